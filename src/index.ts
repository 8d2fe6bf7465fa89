/**
 * microgrid-clearing: an exact, deterministic clearing engine for peer-to-peer trading of
 * electricity, heat, cold and gas in an urban microgrid. This entry is the pure core: it runs in
 * browsers and Node alike and imports nothing from Node.
 *
 * @packageDocumentation
 */
export {
  type CommissionContext,
  type CommissionPolicy,
  type CommissionTrade,
  type Fees,
  priorityRate,
} from './commission/commission.js';
export { type ClearOptions, clearCycle } from './engine/clear.js';
export { type CycleVerdict, verifyCycle } from './engine/verify.js';
export { resultColumns } from './engine/views.js';
export {
  ClearingError,
  type ClearingErrorCode,
  type Issue,
  type IssueCode,
  isValidationError,
  ValidationError,
} from './errors.js';
export {
  type ChainTip,
  GENESIS_PREVIOUS_HASH,
  type TransactionRecord,
  transactionRecords,
} from './ledger/block.js';
export { canonicalJson } from './ledger/canonical-json.js';
export { type ChainEntry, type ChainVerdict, verifyChain } from './ledger/chain.js';
export { defaultHasher } from './ledger/default-hasher.js';
export { type BlockHasher, type IncrementalHash, sha256Hasher, toHex } from './ledger/hasher.js';
export type { ProofStep } from './ledger/merkle.js';
export {
  type ProofVerdict,
  proveTransaction,
  type TransactionProof,
  verifyProof,
} from './ledger/proof.js';
export {
  type JournalEntry,
  Market,
  type MarketCycle,
  type MarketOptions,
  type MarketOrder,
  type MarketState,
  type OrderRef,
  type OrderSide,
  type Replay,
  type RestingOrder,
  type SubmitResult,
} from './market/market.js';
export {
  type CarrierOptimum,
  constrainedOptimum,
  type OptimalPair,
  type OptimumOptions,
} from './metrics/optimum.js';
export { allocationQuality, type CarrierWelfare } from './metrics/welfare.js';
export type {
  BidOutcome,
  BidReason,
  Block,
  CarrierSummary,
  Columns,
  Counters,
  CycleResult,
  EnergyFlow,
  LotSource,
  OfferOutcome,
  ParticipantAccount,
  PlatformAccount,
  PoolPurchase,
  PoolTrade,
  ResultColumns,
  Settlement,
  Trade,
  UnsoldOffer,
  UnsoldReason,
} from './model/result.js';
export {
  type Bid,
  type ByCarrier,
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type CommissionConfig,
  type EveryCarrier,
  type Limits,
  type Mechanism,
  type Offer,
  type OrderBook,
  type PerCarrier,
  type PricingRule,
  type RankingName,
  type ResolvedCommission,
  type ResolvedConfig,
  type StorageLot,
} from './model/types.js';
export { clearCycleReference } from './reference/clear.js';
export { parseBook, safeParseBook } from './validate/book.js';
export {
  parseConfig,
  type SafeParseResult,
  safeParseConfig,
} from './validate/config.js';
export { DEFAULT_LIMITS } from './validate/defaults.js';
