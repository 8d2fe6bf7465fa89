import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMB } from '../../src/decimal/fixed.js';
import { Accounts, nameKey } from '../../src/settlement/settlement.js';
import { runs } from '../helpers/books.js';

/** Every sum at 24 decimals, so terms of any scale add exactly. */
const TOP = 24;
const at = (v: bigint, s: number) => v * 10n ** BigInt(TOP - s);

/** The canonical decimal of `v / 10^s` (no exponent, no trailing zeros, `0` for zero). */
function canonical(v: bigint, s: number): string {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(s + 1, '0');
  const int = digits.slice(0, digits.length - s);
  const frac = digits.slice(digits.length - s).replace(/0+$/, '');
  if (int === '0' && frac === '') return '0';
  return (negative ? '-' : '') + int + (frac === '' ? '' : `.${frac}`);
}

/** `v / 10^TOP` rounded half-even to `places` decimals, as a scaled integer at `places`. */
function roundHalfEven(v: bigint, places: number): bigint {
  const unit = 10n ** BigInt(TOP - places);
  const sign = v < 0n ? -1n : 1n;
  const m = sign * v;
  let q = m / unit;
  const r = m % unit;
  if (2n * r > unit || (2n * r === unit && q % 2n === 1n)) q += 1n;
  return sign * q;
}

/** A small deterministic generator (the test needs many accounts, not shrinking). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('settlement.participants written in runs', () => {
  it('spells every account of three runs and more as its exact sums, in name order', () => {
    // 20,000 parties (the list writes 8,192 accounts a run): buys and sells of every carrier,
    // fees as high limbs whose low parts add past 10^8, bigint amounts, energy past 2^53, a
    // currency scale that rounds, and parties that never trade (no account).
    const n = 20_000;
    const rand = lcg(7);
    const names = Array.from({ length: n }, (_, k) => `p${(k * 7919) % n}-${k % 13}`);
    const ledger = new Accounts(names);
    const zero = () => ({
      purchases: 0n,
      sales: 0n,
      cfees: 0n,
      sfees: 0n,
      energy: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
    });
    const ref = names.map(zero);
    const open = new Set<number>();
    const M = Number.MAX_SAFE_INTEGER;
    for (let t = 0; t < 3 * n; t++) {
      const party = rand(n);
      if (party % 10 === 3) continue; // never trades
      open.add(party);
      const carrier = rand(4);
      const q = rand(50) === 0 ? M - rand(100) : 1 + rand(100_000);
      // Some amounts past 2^53 at the currency scale (the payments' exact path), some zero (a
      // seller who only pays a fee receives less than nothing).
      const amount =
        rand(40) === 0 ? 10n ** 24n + BigInt(rand(1000)) : rand(20) === 0 ? 0 : rand(10 ** 9);
      const feeHigh = rand(3) === 0 ? 0 : 1 + rand(10 ** 6);
      const fee = rand(LIMB);
      const sell = rand(2) === 0;
      if (sell) ledger.sell(party, carrier, q, amount, 6, fee, 16, feeHigh);
      else ledger.buy(party, carrier, q, amount, 6, fee, 16, feeHigh);
      const r = ref[party]!;
      const feeValue = at(BigInt(feeHigh) * BigInt(LIMB) + BigInt(fee), 16);
      if (sell) {
        r.sales += at(BigInt(amount), 6);
        r.sfees += feeValue;
      } else {
        r.purchases += at(BigInt(amount), 6);
        r.cfees += feeValue;
      }
      r.energy[(sell ? 4 : 0) + carrier]! += BigInt(q);
    }
    const currencyScale = 2;
    const quantityScale = 3;
    const settled = ledger.settle(currencyScale, quantityScale);
    const carriers = ['electricity', 'heat', 'cold', 'gas'] as const;
    const want = [...open]
      .sort((a, b) => (names[a]! < names[b]! ? -1 : 1))
      .map((party) => {
        const r = ref[party]!;
        const paid = roundHalfEven(r.purchases + r.cfees, currencyScale);
        const received = roundHalfEven(r.sales - r.sfees, currencyScale);
        const energy: Record<string, { bought: string; sold: string }> = {};
        carriers.forEach((c, i) => {
          const bought = r.energy[i]!;
          const sold = r.energy[4 + i]!;
          if (bought !== 0n || sold !== 0n)
            energy[c] = {
              bought: canonical(bought, quantityScale),
              sold: canonical(sold, quantityScale),
            };
        });
        return {
          participant: names[party]!,
          energy,
          purchases: canonical(r.purchases, TOP),
          sales: canonical(r.sales, TOP),
          consumerFees: canonical(r.cfees, TOP),
          supplierFees: canonical(r.sfees, TOP),
          paid: canonical(paid, currencyScale),
          received: canonical(received, currencyScale),
          net: canonical(received - paid, currencyScale),
        };
      });
    const list = settled.participants;
    expect(list.length).toBeGreaterThan(2 * 8192);
    // Both paths of the payments were taken: past 2^53 at the currency scale, and negative.
    expect(list.some((p) => p.paid.length > 17)).toBe(true);
    expect(list.some((p) => p.received.startsWith('-'))).toBe(true);
    expect(list).toEqual(want);
    // Keys in the documented order, every level frozen.
    expect(Object.keys(list[0]!)).toEqual(Object.keys(want[0]!));
    expect(Object.isFrozen(list)).toBe(true);
    for (const p of [list[0]!, list[8191]!, list[8192]!, list[list.length - 1]!]) {
      expect(Object.isFrozen(p)).toBe(true);
      expect(Object.isFrozen(p.energy)).toBe(true);
      for (const flow of Object.values(p.energy)) expect(Object.isFrozen(flow)).toBe(true);
    }
    // Structured-cloned to another thread and listed there: the same list.
    expect(Accounts.participantsOf(structuredClone(ledger.data()))).toEqual(want);
  });

  // Names that share long prefixes, end where another goes on, hold NUL, code units of 127 and
  // more, and lone surrogates: what the name keys must not misorder.
  const name = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', '\0', '\x7f', '\x80', 'é', '\ud800', '\uffff') }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.nat({ max: 99_999_999 }).map((k) => `p${k}`),
  );
  it('a name key never orders two names against their code units', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        if (a < b) expect(nameKey(a)).toBeLessThanOrEqual(nameKey(b));
        if (b < a) expect(nameKey(b)).toBeLessThanOrEqual(nameKey(a));
        expect(Number.isSafeInteger(nameKey(a))).toBe(true);
      }),
      runs(3000),
    );
  });
  it('lists the accounts in code-unit order of their names, past the radix sort’s threshold', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 520, maxLength: 900 }), (names) => {
        const ledger = new Accounts(names);
        // Every other party trades (the rest have no account).
        for (let party = 0; party < names.length; party += 2) ledger.buy(party, 0, 1, 1, 0, 0, 0);
        const want = names.filter((_, party) => party % 2 === 0).sort();
        expect(ledger.settle(2, 0).participants.map((p) => p.participant)).toEqual(want);
      }),
      runs(100),
    );
  });
});
