/**
 * Readable tables for people at a terminal.
 *
 * @module
 * @internal
 */
import type { CycleResult } from '../index.js';

/** Left-aligned text columns, right-aligned numbers. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  // A loop, not Math.max(...rows): a spread of 10^5 rows overflows the call stack.
  const widths = head.map((h, i) => {
    let w = h.length;
    for (const r of rows) w = Math.max(w, (r[i] ?? '').length);
    return w;
  });
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[0-9.]+$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Units to name in the headers: the engine has none, a book's data does (the demo's: kWh, $). */
export interface Units {
  readonly energy: string;
  readonly money: string;
}

/**
 * A cycle result as text: trades, pool, per-carrier summary, accounts, block. With `units`, every
 * quantity, price and money column says its unit (`quantity (kWh)`, `price ($/kWh)`).
 */
export function formatResult(r: CycleResult, units?: Units): string {
  const q = (name: string) => (units === undefined ? name : `${name} (${units.energy})`);
  const m = (name: string) => (units === undefined ? name : `${name} (${units.money})`);
  const price = units === undefined ? 'price' : `price (${units.money}/${units.energy})`;
  const out: string[] = [];
  out.push(`P2P trades (${r.trades.length})`);
  out.push(
    table(
      [
        'bid',
        'offer',
        'carrier',
        q('quantity'),
        price,
        m('amount'),
        m('supplier fee'),
        m('consumer fee'),
      ],
      r.trades.map((t) => [
        t.bidId,
        t.offerId,
        t.carrier,
        t.quantity,
        t.price,
        t.amount,
        t.supplierFee,
        t.consumerFee,
      ]),
    ),
  );
  if (r.poolPurchases.length > 0) {
    out.push('', `Pool purchases (${r.poolPurchases.length})`);
    out.push(
      table(
        ['offer', 'carrier', q('quantity'), price, m('amount')],
        r.poolPurchases.map((p) => [p.offerId, p.carrier, p.quantity, p.price, p.amount]),
      ),
    );
  }
  if (r.poolTrades.length > 0) {
    out.push('', `Scenario 2 trades (${r.poolTrades.length})`);
    out.push(
      table(
        ['bid', 'lot', 'source', 'carrier', q('quantity'), price, m('amount')],
        r.poolTrades.map((p) => [
          p.bidId,
          p.lotId,
          p.source,
          p.carrier,
          p.quantity,
          p.price,
          p.amount,
        ]),
      ),
    );
  }
  if (r.unsold.length > 0) {
    out.push('', `Unsold (${r.unsold.length})`);
    out.push(
      table(
        ['offer', 'carrier', q('quantity'), 'reason'],
        r.unsold.map((u) => [u.offerId, u.carrier, u.quantity, u.reason]),
      ),
    );
  }
  out.push('', units === undefined ? 'Per carrier' : `Per carrier (${units.energy})`);
  out.push(
    table(
      [
        'carrier',
        'offered',
        'demanded',
        'P2P',
        'absorbed',
        'unsold',
        'pool',
        'storage',
        'grid',
        'unserved',
      ],
      r.carriers.map((c) => [
        c.carrier,
        c.offered,
        c.demanded,
        c.p2pVolume,
        c.absorbed,
        c.unsold,
        c.poolVolume,
        c.storageVolume,
        c.gridVolume,
        c.unserved,
      ]),
    ),
  );
  out.push('', 'Accounts');
  out.push(
    table(
      ['participant', m('paid'), m('received'), m('net')],
      r.settlement.participants.map((a) => [a.participant, a.paid, a.received, a.net]),
    ),
  );
  const p = r.settlement.platform;
  // One minus sign (ASCII, as in every decimal of a RESULT), and none before a zero.
  const minus = (d: string) => (/^0(\.0*)?$/.test(d) ? d : `-${d}`);
  out.push(
    `platform income ${p.income}${units === undefined ? '' : ` ${units.money}`} (commissions ${p.commissions}, pool sales ${p.poolSales}, storage ${p.storageSales}, grid ${p.gridSales}, pool purchases ${minus(p.poolPurchases)}, rounding ${p.roundingResidue})`,
  );
  const warning = incomeWarning(r);
  if (warning !== undefined) out.push(warning);
  out.push(
    `supplyIdPool [${r.supplyIdPool.join(', ')}]  consumerIdRest [${r.consumerIdRest.join(', ')}]`,
  );
  const c = r.counters;
  out.push(
    `counters: p2pTrades ${c.p2pTrades}, p2pFailedBids ${c.p2pFailedBids}, poolTrades ${c.poolTrades}, unservedBids ${c.unservedBids}`,
  );
  out.push(
    `block ${r.block.height} ${r.block.hash} (${r.block.transactionCount} transactions, ${r.block.timestamp})`,
  );
  return out.join('\n');
}

/**
 * The warning the CLI prints when the platform's income is negative (the pool bought energy for
 * more than commissions and sales brought in), or `undefined`.
 */
export function incomeWarning(r: CycleResult): string | undefined {
  const income = r.settlement.platform.income;
  return income.startsWith('-')
    ? `warning: the platform's income is negative (${income}): the pool bought energy for more than commissions and sales brought in (see docs/configuration.md, pool prices)`
    : undefined;
}
