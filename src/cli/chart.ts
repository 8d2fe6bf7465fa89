/**
 * The demo's chart (`demo-output/day-319.svg`, docs/demo.md): one panel a carrier; in each hour a
 * bar of the demand, stacked by where it was served from (P2P, pool, storage, grid lot, unserved),
 * the supply offered as a step line and the average P2P price as a dashed line on a right axis.
 * Every panel shares one energy scale and one price scale, so carriers compare at a glance.
 *
 * Plain SVG text written by code, no chart library: the same day gives the same bytes. Energies
 * are exact decimals; they become numbers only for pixel coordinates.
 *
 * @module
 * @internal
 */
import { Dec, formatDec, roundHalfEven } from '../decimal/decimal.js';

/** One carrier's market in one hour, exact: energies in kWh, the P2P amount in $. */
export interface HourFlows {
  /** Σ offer quantities (peers and plants; storage lots are not offers). */
  readonly offered: Dec;
  /** Σ bid quantities: the height of the hour's bar. */
  readonly demanded: Dec;
  /** Scenario 1 volume. */
  readonly p2p: Dec;
  /** Scenario 2 volume from pool lots. */
  readonly pool: Dec;
  /** Scenario 2 volume from storage lots. */
  readonly storage: Dec;
  /** Scenario 2 volume from the grid backstop. */
  readonly grid: Dec;
  /** Bid quantities left unserved. */
  readonly unserved: Dec;
  /** Σ amounts of the hour's P2P trades: the average P2P price is `p2pAmount / p2p`. */
  readonly p2pAmount: Dec;
}

/** One panel: a carrier's 24 hours under a heading. */
export interface ChartPanel {
  readonly heading: string;
  readonly hours: readonly HourFlows[];
}

/** What the chart shows, with its texts. */
export interface ChartSpec {
  readonly title: string;
  readonly subtitle: string;
  /** A footnote: the data's source and assumptions. */
  readonly source: string;
  readonly panels: readonly ChartPanel[];
}

/**
 * Where demand was served from, bottom of the stack first. Okabe–Ito colours (safe for the
 * common colour-vision deficiencies); unserved demand is hatched so it reads in grey print too.
 */
export const SERVED_BY = [
  { key: 'p2p', label: 'P2P trades', fill: '#009E73' },
  { key: 'pool', label: 'from the pool', fill: '#56B4E9' },
  { key: 'storage', label: 'from storage', fill: '#CC79A7' },
  { key: 'grid', label: 'from the grid lot', fill: '#999999' },
  { key: 'unserved', label: 'unserved', fill: 'url(#unserved)' },
] as const;

/** A stacked series. */
export type ServedBy = (typeof SERVED_BY)[number]['key'];

/** The hour's bar, bottom first: each source's energy. Together they are the hour's demand. */
export function servedStack(h: HourFlows): { readonly key: ServedBy; readonly kwh: Dec }[] {
  return SERVED_BY.map((s) => ({ key: s.key, kwh: h[s.key] }));
}

const SUPPLY = { label: 'supply offered', stroke: '#000000' };
const PRICE = { label: 'average P2P price (right axis)', stroke: '#0072B2', dash: '6 3' };
const UNSERVED_PATTERN =
  '<pattern id="unserved" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#F9DCC8"/><rect width="2.5" height="6" fill="#D55E00"/></pattern>';

/**
 * Pixel layout: three plots side by side, room between them for both axes' tick labels. The
 * scales are shared, so the axis titles stand once, on the outer edges.
 */
const L = { width: 1360, height: 600, left: 70, plotW: 350, gap: 84, top: 172, plotH: 330 };
const BOTTOM = L.top + L.plotH;
const HOURS = 24;
const SLOT = L.plotW / HOURS;

const px = (v: number) => v.toFixed(1);
const q3 = (d: Dec) => formatDec(roundHalfEven(d, 3));
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An axis from 0 in `steps` equal steps of 1, 2, 2.5 or 5 × 10^k. */
interface Scale {
  readonly step: Dec;
  readonly steps: number;
  readonly max: Dec;
}

/** The smallest step of 1, 2, 2.5 or 5 × 10^k that reaches `max` in `steps` steps. */
function niceStep(max: Dec, steps: number): Dec {
  if (!max.gt(0)) return new Dec(1);
  const raw = max.div(steps);
  const unit = new Dec(10).pow(Math.floor(Math.log10(Number(raw))));
  return ['1', '2', '2.5', '5', '10'].map((m) => unit.times(m)).find((s) => s.gte(raw))!;
}

/** The energy scale (about six steps) and a price scale with as many steps, so grid lines are shared. */
function scales(panels: readonly ChartPanel[]): { energy: Scale; price: Scale } {
  const hours = panels.flatMap((p) => p.hours);
  const maxEnergy = Dec.max(0, ...hours.flatMap((h) => [h.demanded, h.offered]));
  const step = niceStep(maxEnergy, 6);
  const steps = Math.max(1, Number(maxEnergy.div(step).ceil()));
  const maxPrice = Dec.max(0, ...hours.map(averagePrice).filter((p) => p !== undefined));
  const priceStep = niceStep(maxPrice, steps);
  return {
    energy: { step, steps, max: step.times(steps) },
    price: { step: priceStep, steps, max: priceStep.times(steps) },
  };
}

/** `p2pAmount / p2p`, exact; none in an hour without P2P trades. */
function averagePrice(h: HourFlows): Dec | undefined {
  return h.p2p.gt(0) ? h.p2pAmount.div(h.p2p) : undefined;
}

/**
 * The chart as SVG text.
 *
 * @param spec - the texts and one panel a carrier, 24 hours each.
 * @returns the SVG document, ending with a newline.
 */
export function chart(spec: ChartSpec): string {
  const scale = scales(spec.panels);
  const withGrid = spec.panels.some((p) => p.hours.some((h) => h.grid.gt(0)));
  const series = SERVED_BY.filter((s) => s.key !== 'grid' || withGrid);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="13" fill="#222222">
<title>${esc(spec.title)}</title>
<defs>${UNSERVED_PATTERN}</defs>
<rect width="${L.width}" height="${L.height}" fill="#FFFFFF"/>
<text class="title" x="${L.left}" y="32" font-size="22" font-weight="bold">${esc(spec.title)}</text>
<text class="subtitle" x="${L.left}" y="57" font-size="14" fill="#444444">${esc(spec.subtitle)}</text>
${legend(series)}
${spec.panels.map((p, i) => panel(p, L.left + i * (L.plotW + L.gap), scale)).join('\n')}
${axisTitles(spec.panels.length)}
<text class="source" x="${L.left}" y="${L.height - 14}" font-size="12" fill="#555555">${esc(spec.source)}</text>
</svg>
`;
}

/** One row: area swatches for the stacked series, then the two lines as they are drawn. */
function legend(series: readonly (typeof SERVED_BY)[number][]): string {
  const items: string[] = [];
  let x = L.left;
  const item = (key: string, label: string, swatch: string) => {
    items.push(
      `<g class="legend-item" data-series="${key}" transform="translate(${x},0)">${swatch}<text x="30" y="4">${esc(label)}</text></g>`,
    );
    // Labels at 13 px run about 8 px a character.
    x += 30 + label.length * 8 + 24;
  };
  for (const s of series)
    item(s.key, s.label, `<rect x="0" y="-7" width="22" height="12" fill="${s.fill}"/>`);
  item(
    'supply',
    SUPPLY.label,
    `<line x1="0" y1="0" x2="22" y2="0" stroke="${SUPPLY.stroke}" stroke-width="2"/>`,
  );
  item(
    'price',
    PRICE.label,
    `<line x1="0" y1="0" x2="22" y2="0" stroke="${PRICE.stroke}" stroke-width="2" stroke-dasharray="${PRICE.dash}"/><circle cx="11" cy="0" r="2.5" fill="${PRICE.stroke}"/>`,
  );
  return `<g class="legend" transform="translate(0,94)">${items.join('')}</g>`;
}

/** One carrier: heading, grid and axes, the stacked bars, the supply and price lines. */
function panel(p: ChartPanel, x0: number, s: { energy: Scale; price: Scale }): string {
  const x1 = x0 + L.plotW;
  const yOf = (v: Dec, sc: Scale) => BOTTOM - L.plotH * Number(v.div(sc.max));
  const y = (v: Dec) => yOf(v, s.energy);
  const mid = (k: number) => x0 + (k + 0.5) * SLOT;
  const out: string[] = [
    `<text class="panel-title" x="${x0}" y="${L.top - 34}" font-size="16" font-weight="bold">${esc(p.heading)}</text>`,
    `<text class="panel-summary" x="${x0}" y="${L.top - 14}" font-size="13" fill="#444444">${esc(summary(p.hours))}</text>`,
  ];
  // Horizontal grid lines and both axes' labels, one per step (the two scales share their steps).
  for (let i = 0; i <= s.energy.steps; i++) {
    const gy = px(y(s.energy.step.times(i)));
    if (i > 0)
      out.push(
        `<line class="y-grid" x1="${x0}" y1="${gy}" x2="${x1}" y2="${gy}" stroke="#DDDDDD"/>`,
      );
    out.push(
      `<text class="y-label" x="${x0 - 7}" y="${gy}" dy="4" text-anchor="end">${formatDec(s.energy.step.times(i))}</text>`,
      `<text class="y2-label" x="${x1 + 7}" y="${gy}" dy="4" fill="${PRICE.stroke}">${formatDec(s.price.step.times(i))}</text>`,
    );
  }
  out.push(...p.hours.map((h, k) => bar(h, k, mid(k), y)));
  out.push(
    supplyLine(p.hours, x0, y),
    priceLine(p.hours, mid, (v) => yOf(v, s.price)),
  );
  // Axes last, over the bars; a tick every hour, a label every 3 h.
  out.push(
    `<path class="axes" d="M${x0},${L.top}V${BOTTOM}H${x1}V${L.top}" fill="none" stroke="#333333"/>`,
  );
  for (let k = 0; k < HOURS; k++) {
    const tx = px(mid(k));
    out.push(
      `<line class="tick-x" x1="${tx}" y1="${BOTTOM}" x2="${tx}" y2="${BOTTOM + (k % 3 === 0 ? 6 : 3)}" stroke="#333333"/>`,
    );
    if (k % 3 === 0)
      out.push(
        `<text class="x-label" x="${tx}" y="${BOTTOM + 20}" text-anchor="middle">${k}</text>`,
      );
  }
  out.push(
    `<text class="x-title" x="${x0 + L.plotW / 2}" y="${BOTTOM + 42}" text-anchor="middle">hour of the day (h)</text>`,
  );
  return `<g class="panel">\n${out.join('\n')}\n</g>`;
}

/** The energy title left of the first plot, the price title right of the last. */
function axisTitles(panels: number): string {
  const midY = L.top + L.plotH / 2;
  const right = L.left + panels * L.plotW + (panels - 1) * L.gap;
  return `<text class="y-title" transform="translate(${L.left - 46},${midY}) rotate(-90)" text-anchor="middle">energy in the hour (kWh)</text>
<text class="y2-title" transform="translate(${right + 54},${midY}) rotate(-90)" text-anchor="middle" fill="${PRICE.stroke}">average P2P price ($/kWh)</text>`;
}

/** The day in one line: total demand and the share of each source that served any of it. */
function summary(hours: readonly HourFlows[]): string {
  const total = hours.reduce((a, h) => a.plus(h.demanded), new Dec(0));
  if (total.isZero()) return 'no demand';
  const shares = SERVED_BY.flatMap((s) => {
    const kwh = hours.reduce((a, h) => a.plus(h[s.key]), new Dec(0));
    if (kwh.isZero()) return [];
    // A share under 1 % keeps a decimal: 0.1 kWh unserved must not read as none.
    const share = kwh.times(100).div(total);
    const pct = formatDec(roundHalfEven(share, share.lt(1) ? 1 : 0));
    return [`${s.key === 'p2p' ? 'P2P' : s.key} ${pct} %`];
  });
  return `${formatDec(roundHalfEven(total, 1))} kWh demanded: ${shares.join(', ')}`;
}

/** The hour's stacked bar; each segment carries its exact energy (`data-kwh`) for readers and tests. */
function bar(h: HourFlows, k: number, cx: number, y: (v: Dec) => number): string {
  const price = averagePrice(h);
  const parts = servedStack(h).filter((s) => s.kwh.gt(0));
  const tip = `${k} h: demand ${q3(h.demanded)} kWh (${parts.map((s) => `${s.key} ${q3(s.kwh)}`).join(', ') || 'none'}), offered ${q3(h.offered)} kWh${price === undefined ? '' : `, average P2P price ${formatDec(roundHalfEven(price, 4))} $/kWh`}`;
  let base = new Dec(0);
  const rects = parts.map((s) => {
    // From the running sums, so the segments meet exactly and the top is the demand.
    const bottom = px(y(base));
    base = base.plus(s.kwh);
    const top = px(y(base));
    const fill = SERVED_BY.find((x) => x.key === s.key)!.fill;
    return `<rect class="${s.key}" data-kwh="${formatDec(s.kwh)}" x="${px(cx - SLOT * 0.4)}" y="${top}" width="${px(SLOT * 0.8)}" height="${px(Number(bottom) - Number(top))}" fill="${fill}"/>`;
  });
  return `<g class="hour" data-hour="${k}" data-demanded="${formatDec(h.demanded)}"><title>${tip}</title>${rects.join('')}</g>`;
}

/** Supply offered as steps: each hour's volume across the hour's slot. */
function supplyLine(hours: readonly HourFlows[], x0: number, y: (v: Dec) => number): string {
  const d = hours
    .map(
      (h, k) =>
        `${k === 0 ? 'M' : 'L'}${px(x0 + k * SLOT)},${px(y(h.offered))}H${px(x0 + (k + 1) * SLOT)}`,
    )
    .join('');
  return `<path class="supply" d="${d}" fill="none" stroke="${SUPPLY.stroke}" stroke-width="2"/>`;
}

/** Average P2P price at the hours' middles, broken where an hour had no P2P trade. */
function priceLine(
  hours: readonly HourFlows[],
  mid: (k: number) => number,
  y: (v: Dec) => number,
): string {
  let d = '';
  let dots = '';
  let drawing = false;
  hours.forEach((h, k) => {
    const price = averagePrice(h);
    if (price === undefined) {
      drawing = false;
      return;
    }
    const at = `${px(mid(k))},${px(y(price))}`;
    d += `${drawing ? 'L' : 'M'}${at}`;
    dots += `<circle cx="${px(mid(k))}" cy="${px(y(price))}" r="2.5"/>`;
    drawing = true;
  });
  return `<path class="price" d="${d}" fill="none" stroke="${PRICE.stroke}" stroke-width="2" stroke-dasharray="${PRICE.dash}"/><g class="price-dots" fill="${PRICE.stroke}">${dots}</g>`;
}
