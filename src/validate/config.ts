/**
 * Configuration validation (docs/configuration.md): every field optional, with its default.
 *
 * @module
 */

import { formatScaled } from '../decimal/decimal.js';
import { ClearingError, type Issue, IssueList, ValidationError } from '../errors.js';
import type { ClearingConfig, Limits, ResolvedConfig } from '../model/types.js';
import {
  checkDecimal,
  checkFields,
  checkInteger,
  describe,
  fromJson,
  isRecord,
  own,
  ownRecord,
} from './common.js';
import { CONFIG_DEFAULTS, DEFAULT_LIMITS, LIMIT_RANGES } from './defaults.js';
import { perCarrier, perCarrierMap, perCarrierOptional, perCarrierOver } from './per-carrier.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const CONFIG_FIELDS = new Set([
  'mechanism',
  'ranking',
  'pricing',
  'fixedPrice',
  'poolBuyPrice',
  'poolSellPrice',
  'absorb',
  'poolCapacity',
  'gridPrice',
  'commission',
  'currencyScale',
  'leafSize',
  'idleCyclesBeforePool',
  'limits',
]);
const LIMIT_FIELDS = new Set(Object.keys(DEFAULT_LIMITS));
const D = CONFIG_DEFAULTS;
const L = LIMIT_RANGES;
const RATE_SCALE = D.rateScale;
const K_SCALE = D.kScale;

/**
 * The result of {@link safeParseConfig}.
 *
 * @example
 * ```ts
 * import { safeParseConfig, type ResolvedConfig, type SafeParseResult } from 'microgrid-clearing';
 * const r: SafeParseResult<ResolvedConfig> = safeParseConfig({ pricing: 'ask' });
 * if (r.success) r.output.pricingK; // '0'
 * ```
 */
export type SafeParseResult<T> =
  | {
      /** The input is valid. */
      readonly success: true;
      /** The parsed value. */
      readonly output: T;
    }
  | {
      /** The input is not valid. */
      readonly success: false;
      /** Every problem found. */
      readonly issues: readonly Issue[];
    };

/**
 * Validates a configuration and fills every default.
 *
 * @param input - a {@link ClearingConfig} object, or its JSON text. A {@link ResolvedConfig}
 *   (say, read back from a stored market state) is accepted too and resolves to itself; it is
 *   recognised by its `pricingK` field, and a config with both `pricing` and `pricingK` is refused.
 * @returns the resolved configuration (frozen).
 * @throws {@link ValidationError} listing every problem.
 * @example
 * ```ts
 * import { parseConfig } from 'microgrid-clearing';
 * const cfg = parseConfig('{ "pricing": "ask", "fixedPrice": { "heat": "0.12" } }');
 * cfg.poolBuyPrice.heat; // '0.12'
 * cfg.poolBuyPrice.electricity; // '0.43'
 * ```
 */
export function parseConfig(input: unknown): ResolvedConfig {
  const value = fromJson(input, 'config');
  const issues = new IssueList();
  const out = resolveConfig(value, issues);
  issues.throwIfAny();
  return out as ResolvedConfig;
}

/**
 * Like {@link parseConfig}, but returns the issues instead of throwing.
 *
 * @param input - a {@link ClearingConfig} object, or its JSON text.
 * @returns `{ success: true, output }` or `{ success: false, issues }`.
 * @example
 * ```ts
 * import { safeParseConfig } from 'microgrid-clearing';
 * const r = safeParseConfig({ currencyScale: -1 });
 * r.success; // false
 * ```
 */
export function safeParseConfig(input: unknown): SafeParseResult<ResolvedConfig> {
  try {
    return { success: true, output: parseConfig(input) };
  } catch (err) {
    if (err instanceof ValidationError) return { success: false, issues: err.issues };
    throw err;
  }
}

/** @internal A config given as an already-resolved value passes through unchanged. */
export function toResolvedConfig(
  config: ClearingConfig | ResolvedConfig | undefined,
): ResolvedConfig {
  if (config !== undefined && RESOLVED.has(config as object)) return config as ResolvedConfig;
  return parseConfig(config ?? {});
}

/** Resolved configs made by this module, so they are not validated twice. */
const RESOLVED = new WeakSet<object>();

/** @internal Marks a resolved config with a custom commission id. */
export function withCustomCommission(config: ResolvedConfig, id: string): ResolvedConfig {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
    throw new ClearingError(
      'invalid_option',
      'a custom commission policy needs a non-empty string id',
    );
  }
  const out = Object.freeze({
    ...config,
    commission: Object.freeze({ kind: 'custom' as const, id }),
  });
  RESOLVED.add(out);
  return out;
}

/**
 * A resolved config read back from JSON (an exported market state, say) as the input form that
 * resolves to it again. It is recognised by `pricingK`; beside `pricing` (the input form's field)
 * it is refused, so neither silently wins. A custom commission cannot be rebuilt from its id and
 * is refused.
 */
function fromResolved(value: Record<string, unknown>, issues: IssueList): Record<string, unknown> {
  if (Object.hasOwn(value, 'pricing')) {
    issues.add(
      'pricingK',
      'invalid_value',
      'a config gives "pricing" (its input form) or "pricingK" (a resolved config read back), not both',
    );
  }
  const out: Record<string, unknown> = { ...value, pricing: { k: value['pricingK'] } };
  delete out['pricingK'];
  const dropNulls = (m: unknown) =>
    isRecord(m) ? Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null)) : m;
  out['poolCapacity'] = dropNulls(value['poolCapacity']);
  out['gridPrice'] = dropNulls(value['gridPrice']);
  const commission = value['commission'];
  if (isRecord(commission) && own(commission, 'kind') === 'custom') {
    issues.add(
      'commission',
      'invalid_value',
      `was cleared with the custom commission policy ${JSON.stringify(own(commission, 'id'))}: pass that policy instead`,
    );
    out['commission'] = undefined;
  }
  return out;
}

function resolveConfig(input: unknown, issues: IssueList): ResolvedConfig | undefined {
  if (input === undefined || input === null) input = {};
  if (!isRecord(input)) {
    issues.add('', 'invalid_type', `expected a config object, got ${describe(input)}`);
    return undefined;
  }
  // Own properties only, read once: a polluted `Object.prototype.pricingK` is no config field.
  let value = ownRecord(input);
  if (Object.hasOwn(value, 'pricingK')) value = ownRecord(fromResolved(value, issues));
  checkFields(value, CONFIG_FIELDS, '', issues);
  const limits = resolveLimits(value['limits'], issues);
  const priceScale = limits?.priceScale ?? DEFAULT_LIMITS.priceScale;
  const quantityScale = limits?.quantityScale ?? DEFAULT_LIMITS.quantityScale;
  const priceRule = { scale: priceScale, maxScaled: MAX_SAFE, allowZero: true };
  const capacityRule = { scale: quantityScale, maxScaled: MAX_SAFE, allowZero: true };

  const mechanism = oneOf(value['mechanism'], 'mechanism', D.mechanism, issues);
  const ranking = oneOf(value['ranking'], 'ranking', D.ranking, issues);
  const pricingK = resolvePricing(value['pricing'], issues);
  const fixed = perCarrier(
    value['fixedPrice'],
    'fixedPrice',
    priceRule,
    priceScale,
    issues,
    D.fixedPrice,
  );
  const poolBuyPrice = perCarrierOver(
    value['poolBuyPrice'],
    'poolBuyPrice',
    priceRule,
    priceScale,
    issues,
    fixed,
  );
  const poolSellPrice = perCarrierOver(
    value['poolSellPrice'],
    'poolSellPrice',
    priceRule,
    priceScale,
    issues,
    fixed,
  );
  const absorb = oneOf(value['absorb'], 'absorb', D.absorb, issues);
  const poolCapacity = perCarrierMap(
    value['poolCapacity'],
    'poolCapacity',
    capacityRule,
    quantityScale,
    issues,
  );
  const gridPrice = perCarrierOptional(
    value['gridPrice'],
    'gridPrice',
    priceRule,
    priceScale,
    issues,
  );
  const commission = resolveCommission(value['commission'], issues);
  const currencyScale = optionalInt(
    value['currencyScale'],
    'currencyScale',
    D.currencyScale,
    issues,
  );
  const leafSize = optionalInt(value['leafSize'], 'leafSize', D.leafSize, issues);
  const idle = optionalInt(
    value['idleCyclesBeforePool'],
    'idleCyclesBeforePool',
    D.idleCyclesBeforePool,
    issues,
  );
  if (issues.size > 0 || limits === undefined) return undefined;
  const out: ResolvedConfig = Object.freeze({
    mechanism: mechanism!,
    ranking: ranking!,
    pricingK: pricingK!,
    poolBuyPrice: poolBuyPrice!,
    poolSellPrice: poolSellPrice!,
    absorb: absorb!,
    poolCapacity: poolCapacity!,
    gridPrice: gridPrice!,
    commission: commission!,
    currencyScale: currencyScale!,
    leafSize: leafSize!,
    idleCyclesBeforePool: idle!,
    limits,
  });
  RESOLVED.add(out);
  return out;
}

function resolveLimits(input: unknown, issues: IssueList): Limits | undefined {
  if (input === undefined) return DEFAULT_LIMITS;
  if (!isRecord(input)) {
    issues.add('limits', 'invalid_type', `expected an object, got ${describe(input)}`);
    return undefined;
  }
  const value = ownRecord(input);
  checkFields(value, LIMIT_FIELDS, 'limits', issues);
  const before = issues.size;
  const quantityScale = optionalInt(
    value['quantityScale'],
    'limits.quantityScale',
    L.quantityScale,
    issues,
  );
  const priceScale = optionalInt(value['priceScale'], 'limits.priceScale', L.priceScale, issues);
  const maxOrders = optionalInt(value['maxOrders'], 'limits.maxOrders', L.maxOrders, issues);
  const maxIdLength = optionalInt(
    value['maxIdLength'],
    'limits.maxIdLength',
    L.maxIdLength,
    issues,
  );
  const maxQuantity = limitDecimal(
    value['maxQuantity'],
    'limits.maxQuantity',
    quantityScale,
    DEFAULT_LIMITS.maxQuantity,
    issues,
  );
  const maxPrice = limitDecimal(
    value['maxPrice'],
    'limits.maxPrice',
    priceScale,
    DEFAULT_LIMITS.maxPrice,
    issues,
  );
  if (issues.size > before) return undefined;
  return Object.freeze({
    quantityScale: quantityScale!,
    priceScale: priceScale!,
    maxQuantity: maxQuantity!,
    maxPrice: maxPrice!,
    maxOrders: maxOrders!,
    maxIdLength: maxIdLength!,
  });
}

/** A limit whose scaled value must stay a safe integer at its scale. */
function limitDecimal(
  value: unknown,
  path: string,
  scale: number | undefined,
  fallback: string,
  issues: IssueList,
): string | undefined {
  const text = value === undefined ? fallback : value;
  if (scale === undefined) return undefined;
  const scaled = checkDecimal(text, path, { scale, maxScaled: MAX_SAFE, allowZero: false }, issues);
  if (scaled === undefined) {
    // checkDecimal reports "too_large" for values past 2^53 at this scale; say why.
    const last = issues.items[issues.items.length - 1];
    if (last?.path === path && last.code === 'too_large') {
      issues.items[issues.items.length - 1] = {
        ...last,
        message: `${String(text)} × 10^${scale} passes 2^53 − 1: lower the limit or the scale`,
      };
    }
    return undefined;
  }
  return formatScaled(scaled, scale);
}

function oneOf<T extends string>(
  value: unknown,
  path: string,
  field: { readonly choices: readonly T[]; readonly fallback: T },
  issues: IssueList,
): T | undefined {
  const allowed = field.choices;
  if (value === undefined) return field.fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  issues.add(
    path,
    'invalid_value',
    `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`,
  );
  return undefined;
}

function optionalInt(
  value: unknown,
  path: string,
  range: { readonly min: number; readonly max: number; readonly fallback: number },
  issues: IssueList,
): number | undefined {
  if (value === undefined) return range.fallback;
  return checkInteger(value, path, range.min, range.max, issues);
}

function resolvePricing(value: unknown, issues: IssueList): string | undefined {
  if (value === undefined) return D.pricing.fallback;
  if (value === 'midpoint' || value === 'ask' || value === 'bid') return D.pricing[value];
  if (isRecord(value)) {
    const pricing = ownRecord(value);
    checkFields(pricing, new Set(['k']), 'pricing', issues);
    return unitInterval(pricing['k'], 'pricing.k', K_SCALE, issues);
  }
  issues.add(
    'pricing',
    'invalid_value',
    `expected "midpoint", "ask", "bid" or { "k": "0.25" }, got ${describe(value)}`,
  );
  return undefined;
}

/** A decimal string in [0, 1] with at most `scale` decimals, canonical. */
function unitInterval(
  value: unknown,
  path: string,
  scale: number,
  issues: IssueList,
): string | undefined {
  const scaled = checkDecimal(value, path, { scale, maxScaled: MAX_SAFE, allowZero: true }, issues);
  if (scaled === undefined) return undefined;
  if (scaled > 10 ** scale) {
    issues.add(path, 'out_of_range', `must be between 0 and 1, got ${String(value)}`);
    return undefined;
  }
  return formatScaled(scaled, scale);
}

function resolveCommission(
  input: unknown,
  issues: IssueList,
): ResolvedConfig['commission'] | undefined {
  if (input === undefined) return D.commission;
  if (!isRecord(input)) {
    issues.add(
      'commission',
      'invalid_type',
      `expected an object with "kind", got ${describe(input)}`,
    );
    return undefined;
  }
  const value = ownRecord(input);
  switch (value['kind']) {
    case 'priority': {
      checkFields(value, new Set(['kind', 'minRate', 'maxRate']), 'commission', issues);
      const minRate = unitInterval(
        value['minRate'] ?? D.commission.minRate,
        'commission.minRate',
        RATE_SCALE,
        issues,
      );
      const maxRate = unitInterval(
        value['maxRate'] ?? D.commission.maxRate,
        'commission.maxRate',
        RATE_SCALE,
        issues,
      );
      if (minRate === undefined || maxRate === undefined) return undefined;
      // Distinct decimals of at most 8 places in [0, 1] are far apart for a double: comparing
      // them as numbers is exact.
      if (Number(minRate) > Number(maxRate)) {
        issues.add(
          'commission.minRate',
          'out_of_range',
          `must not be above maxRate (${maxRate}), got ${minRate}: the first-ranked bid pays the lowest rate`,
        );
        return undefined;
      }
      return Object.freeze({ kind: 'priority', minRate, maxRate });
    }
    case 'flat': {
      checkFields(value, new Set(['kind', 'rate']), 'commission', issues);
      const rate = unitInterval(value['rate'], 'commission.rate', RATE_SCALE, issues);
      return rate === undefined ? undefined : Object.freeze({ kind: 'flat', rate });
    }
    case 'none':
      checkFields(value, new Set(['kind']), 'commission', issues);
      return Object.freeze({ kind: 'none' });
    default:
      issues.add(
        'commission.kind',
        'invalid_value',
        `expected "priority", "flat" or "none", got ${describe(value['kind'])}`,
      );
      return undefined;
  }
}
