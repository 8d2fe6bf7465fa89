/**
 * `settlement.participants` (docs/rules.md §9–10), built on first read: the texts of a run of
 * accounts are written as bytes into one buffer by the writers the JSON text uses, decoded once,
 * and each field cut from that one string — instead of each sum formatted into a string of its
 * own (fee sums carry up to 19 decimals, which took a bigint each), most of the list's cost.
 * Every text is an ASCII decimal, so the byte offsets of the fields are their string indices. As
 * with `result.trades`, a text of 13 characters or more is a V8 slice of its run's string: one
 * account held alone keeps that run's string (~1 MB) alive.
 *
 * @module
 * @internal
 */
import { type Fixed, format, sub } from '../decimal/fixed.js';
import { ByteWriter, COLLECT } from '../internal/byte-writer.js';
import type { EnergyFlow, ParticipantAccount } from '../model/result.js';
import { CARRIERS, type Carrier } from '../model/types.js';
import type { SumColumn } from './sum-column.js';

/** Accounts whose texts are written and decoded together (bounded so no string grows huge). */
const RUN = 1 << 13;
/** Fields an account: purchases, sales, the two fees, paid, received, net, then bought and sold by carrier. */
const FIELDS = 7 + 2 * CARRIERS.length;
const DECODER = /* @__PURE__ */ new TextDecoder();

/** @internal What the participants list is read from: settled accounts, by party number. */
export interface SettledAccounts {
  /** Every participant's name by party number. */
  readonly names: readonly string[];
  readonly purchases: SumColumn;
  readonly sales: SumColumn;
  readonly consumerFees: SumColumn;
  readonly supplierFees: SumColumn;
  /** Scaled energy of `flow` (0–3 bought, 4–7 sold, by carrier number) of `party`. */
  readonly energyOf: (flow: number, party: number) => number | bigint;
  /** `party`'s payments rounded half-even exactly (when {@link paidAt} is not a safe integer). */
  readonly payments: (party: number) => { paid: Fixed; received: Fixed };
  /** The open accounts' party numbers in list order. */
  readonly order: Int32Array;
  readonly currencyScale: number;
  readonly quantityScale: number;
  /** Rounded payments at the currency scale by party number: safe integers, or NaN. */
  readonly paidAt: Float64Array;
  readonly receivedAt: Float64Array;
}

/**
 * @internal The frozen list of every open account of `a`, in `a.order`: the same objects and
 * texts as formatting each sum on its own would give (a test holds them equal).
 */
export function participantList(a: SettledAccounts): readonly ParticipantAccount[] {
  const { order, names } = a;
  const n = order.length;
  const size = Math.min(n, RUN);
  const w = new ByteWriter(COLLECT, 160 * size);
  const ends = new Int32Array(FIELDS * size);
  const list = new Array<ParticipantAccount>(n);
  for (let from = 0; from < n; from += RUN) {
    const to = Math.min(n, from + RUN);
    writeRun(a, w, ends, from, to);
    const text = DECODER.decode(w.digest());
    let k = 0;
    // Field f of the account in hand: the text from the end of field f − 1 to its own end.
    const cut = (f: number) => text.slice(k + f === 0 ? 0 : ends[k + f - 1]!, ends[k + f]!);
    for (let i = from; i < to; i++, k += FIELDS) {
      let energy: Partial<Record<Carrier, EnergyFlow>> = {};
      for (let c = 0; c < CARRIERS.length; c++) {
        const bought = 7 + 2 * c;
        // A carrier neither bought nor sold wrote nothing (a decimal is never empty).
        if (ends[k + bought + 1] === ends[k + bought - 1]) continue;
        energy[CARRIERS[c]!] = Object.freeze({ bought: cut(bought), sold: cut(bought + 1) });
      }
      energy = Object.freeze(energy);
      list[i] = Object.freeze({
        participant: names[order[i]!]!,
        energy,
        purchases: cut(0),
        sales: cut(1),
        consumerFees: cut(2),
        supplierFees: cut(3),
        paid: cut(4),
        received: cut(5),
        net: cut(6),
      });
    }
  }
  return Object.freeze(list);
}

/** Writes the texts of accounts `order[from]` up to `order[to]`, each field's end in `ends`. */
function writeRun(
  a: SettledAccounts,
  w: ByteWriter,
  ends: Int32Array,
  from: number,
  to: number,
): void {
  const { order, currencyScale, quantityScale, paidAt, receivedAt } = a;
  let k = 0;
  for (let i = from; i < to; i++) {
    const party = order[i]!;
    a.purchases.write(w, party);
    ends[k++] = w.length;
    a.sales.write(w, party);
    ends[k++] = w.length;
    a.consumerFees.write(w, party);
    ends[k++] = w.length;
    a.supplierFees.write(w, party);
    ends[k++] = w.length;
    const paid = paidAt[party]!;
    const received = receivedAt[party]!;
    const net = received - paid;
    // Each rounded payment and their difference as safe integers, or the exact path.
    if (Number.isSafeInteger(paid) && Number.isSafeInteger(received) && Number.isSafeInteger(net)) {
      w.decimal(paid, currencyScale);
      ends[k++] = w.length;
      w.decimal(received, currencyScale);
      ends[k++] = w.length;
      w.decimal(net, currencyScale);
      ends[k++] = w.length;
    } else {
      const exact = a.payments(party);
      w.text(format(exact.paid));
      ends[k++] = w.length;
      w.text(format(exact.received));
      ends[k++] = w.length;
      w.text(format(sub(exact.received, exact.paid)));
      ends[k++] = w.length;
    }
    for (let c = 0; c < CARRIERS.length; c++) {
      const bought = a.energyOf(c, party);
      const sold = a.energyOf(4 + c, party);
      // biome-ignore lint/suspicious/noDoubleEquals: 0 and 0n alike
      if (bought != 0 || sold != 0) {
        w.decimal(bought, quantityScale);
        ends[k++] = w.length;
        w.decimal(sold, quantityScale);
        ends[k++] = w.length;
      } else {
        ends[k] = ends[k - 1]!;
        ends[k + 1] = ends[k - 1]!;
        k += 2;
      }
    }
  }
}
