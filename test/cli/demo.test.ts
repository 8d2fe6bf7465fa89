import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVED_BY } from '../../src/cli/chart.js';
import { HOT_WATER_SHARES, ordersForHour, readDay, runDemo } from '../../src/cli/demo.js';
import { Dec } from '../../src/decimal/decimal.js';
import { verifyChain } from '../../src/index.js';

function demo(): { code: number; text: string; dir: string; svg: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mgc-demo-'));
  const out: string[] = [];
  const code = runDemo(
    { out: (t) => out.push(t), err: () => {}, now: () => '2026-01-01T00:00:00Z' },
    dir,
  );
  return { code, text: out.join('\n'), dir, svg: readFileSync(join(dir, 'day-319.svg'), 'utf8') };
}

const run = demo();

/** The attributes (and text, for `<text>`) of every `tag` element whose class is `cls`. */
function elements(svg: string, tag: string, cls?: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const re = new RegExp(`<${tag}\\b([^>]*?)/?>(?:([^<]*)</${tag}>)?`, 'g');
  for (const m of svg.matchAll(re)) {
    const attrs: Record<string, string> = { text: m[2] ?? '' };
    for (const a of m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    if (cls === undefined || attrs['class'] === cls) found.push(attrs);
  }
  return found;
}

/** The SVG text of each carrier's panel, in panel order: one a carrier. */
function panels(svg: string): string[] {
  const found = svg.split('<g class="panel">').slice(1);
  expect(found, 'one panel a carrier').toHaveLength(3);
  return found;
}

const CARRIERS = ['electricity', 'heat', 'cold'] as const;

describe('the demo', () => {
  it('clears the real day, writes a chain that verifies, and prints a summary per carrier', () => {
    const { code, text, dir, svg } = run;
    expect(code).toBe(0);
    // The worked example first, every column with its unit.
    expect(text).toMatch(/quantity \(kWh\) +price \(\$\/kWh\) +amount \(\$\)/);
    expect(text).toMatch(/c2 +s1 +electricity +8 +0\.325 +2\.6 /);
    expect(text).toMatch(
      /offered \(kWh\) +demanded \(kWh\) +P2P \(kWh\) +avg P2P price \(\$\/kWh\)/,
    );
    expect(text).toMatch(/electricity\s+143\.517\s+333\.858\s+100\.664/); // real PV surplus and deficit
    expect(text).toMatch(/chain: 24 blocks, last [0-9a-f]{64}, verified/);
    const chain = readFileSync(join(dir, 'chain.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(chain).toHaveLength(24);
    expect(verifyChain(chain)).toEqual({ ok: true });
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(existsSync(join(dir, 'chain.jsonl'))).toBe(true);
  });

  it('spreads hot water by shares that sum to the whole day', () => {
    expect(HOT_WATER_SHARES).toHaveLength(24);
    expect(HOT_WATER_SHARES.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('the demo chart', () => {
  it('has a visible title, not only a tooltip, and a heading per carrier', () => {
    const [title] = elements(run.svg, 'text', 'title');
    expect(title?.text).toMatch(/^Fontana microgrid.*day 319/);
    expect(Number(title?.['font-size'])).toBeGreaterThanOrEqual(16);
    expect(elements(run.svg, 'text', 'panel-title').map((t) => t.text)).toEqual([
      expect.stringMatching(/^Electricity/),
      expect.stringMatching(/^Heat/),
      expect.stringMatching(/^Cold/),
    ]);
  });

  it('ticks every hour and labels every 3 h, in every panel', () => {
    for (const p of panels(run.svg)) {
      const ticks = elements(p, 'line', 'tick-x').map((t) => Number(t['x1']));
      expect(ticks).toHaveLength(24);
      const gaps = ticks.slice(1).map((x, i) => x - ticks[i]!);
      for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 0);
      expect(gaps[0]).toBeGreaterThan(10);
      expect(elements(p, 'text', 'x-label').map((t) => t.text)).toEqual([
        '0',
        '3',
        '6',
        '9',
        '12',
        '15',
        '18',
        '21',
      ]);
    }
    expect(elements(run.svg, 'text', 'x-title').every((t) => /hour.*\(h\)/.test(t.text!))).toBe(
      true,
    );
  });

  it('draws every panel on one energy scale, with grid lines and axis titles in units', () => {
    const labels = panels(run.svg).map((p) => elements(p, 'text', 'y-label').map((t) => t.text));
    expect(labels).toHaveLength(3);
    expect(labels[1]).toEqual(labels[0]);
    expect(labels[2]).toEqual(labels[0]);
    expect(labels[0]![0]).toBe('0');
    // The peak hour of the day (cold at 13 h, 25.9 kWh) fits under the shared maximum.
    expect(Number(labels[0]!.at(-1))).toBeGreaterThanOrEqual(25.9);
    for (const p of panels(run.svg))
      expect(elements(p, 'line', 'y-grid')).toHaveLength(labels[0]!.length - 1);
    expect(elements(run.svg, 'text', 'y-title')[0]?.text).toMatch(/\(kWh\)/);
    // Same pixels per kWh in every panel: each hour's bar is its demand on the one scale.
    for (const p of panels(run.svg)) {
      const ys = elements(p, 'text', 'y-label').map((t) => Number(t['y']));
      const pxPerKwh = (ys[0]! - ys.at(-1)!) / Number(labels[0]!.at(-1));
      for (const hour of p.split('<g class="hour"').slice(1)) {
        const demanded = Number(/data-demanded="([^"]+)"/.exec(hour)![1]);
        const height = elements(hour, 'rect').reduce((a, r) => a + Number(r['height']), 0);
        expect(Math.abs(height - demanded * pxPerKwh)).toBeLessThan(0.2);
      }
    }
  });

  it('puts the average P2P price on a right axis in $/kWh, drawn dashed as its legend shows', () => {
    expect(elements(run.svg, 'text', 'y2-title')[0]?.text).toMatch(/price.*\(\$\/kWh\)/);
    for (const p of panels(run.svg)) {
      const labels = elements(p, 'text', 'y2-label');
      expect(labels[0]?.text).toBe('0');
      expect(Number(labels.at(-1)?.text)).toBeGreaterThan(0);
    }
    const lines = elements(run.svg, 'path', 'price');
    expect(lines).toHaveLength(3);
    const swatch = legendItem('price');
    const [line] = elements(swatch, 'line');
    expect(line?.['stroke-dasharray']).toBe(lines[0]!['stroke-dasharray']);
    expect(line?.['stroke']).toBe(lines[0]!['stroke']);
    // The supply line is solid, and so is its swatch.
    const [supply] = elements(run.svg, 'path', 'supply');
    const [supplySwatch] = elements(legendItem('supply'), 'line');
    expect(supply?.['stroke-dasharray']).toBeUndefined();
    expect(supplySwatch?.['stroke-dasharray']).toBeUndefined();
    expect(supplySwatch?.['stroke']).toBe(supply?.['stroke']);
  });

  it('stacks P2P, pool, storage and unserved, each with an area swatch of its own colour', () => {
    const drawn = new Set(elements(run.svg, 'rect').map((r) => r['class']));
    for (const key of ['p2p', 'storage', 'unserved']) expect(drawn).toContain(key);
    const fills = SERVED_BY.filter((s) => s.key !== 'grid').map((s) => {
      const [swatch] = elements(legendItem(s.key), 'rect');
      expect(swatch, s.key).toBeDefined();
      for (const r of elements(run.svg, 'rect', s.key)) expect(r['fill']).toBe(swatch!['fill']);
      return swatch!['fill'];
    });
    expect(new Set(fills).size).toBe(fills.length);
    // No grid lot in the demo: the grid series is not in the legend.
    expect(run.svg).not.toContain('data-series="grid"');
  });

  it("stacks each hour's served and unserved energy to exactly the hour's demand, the same bytes each run", () => {
    const rows = readDay();
    panels(run.svg).forEach((p, i) => {
      const carrier = CARRIERS[i]!;
      const hours = p.split('<g class="hour"').slice(1);
      expect(hours).toHaveLength(24);
      let p2p = new Dec(0);
      hours.forEach((hour, k) => {
        expect(hour).toMatch(new RegExp(`^ data-hour="${k}"`));
        // The hour's demand from the demo's own bids, not from the engine.
        const bids = ordersForHour(rows, k, new Dec(0)).filter(
          (o) => o.side === 'bid' && o.carrier === carrier,
        );
        const demand = bids.reduce((a, o) => a.plus(o.quantity), new Dec(0));
        expect(/data-demanded="([^"]+)"/.exec(hour)![1], `${carrier} ${k} h`).toBe(
          demand.toFixed(),
        );
        const segments = elements(hour, 'rect');
        const stacked = segments.reduce((a, r) => a.plus(r['data-kwh']!), new Dec(0));
        expect(stacked.eq(demand), `${carrier} ${k} h: ${stacked} ≠ ${demand}`).toBe(true);
        // Bottom first, each segment on the one below it.
        for (let j = 1; j < segments.length; j++) {
          const below = segments[j - 1]!;
          expect(Number(segments[j]!['y']) + Number(segments[j]!['height'])).toBeCloseTo(
            Number(below['y']),
            5,
          );
        }
        for (const r of segments.filter((r) => r['class'] === 'p2p'))
          p2p = p2p.plus(r['data-kwh']!);
      });
      if (carrier === 'electricity') expect(p2p.toFixed()).toBe('100.664'); // the table's total
    });
    expect(demo().svg).toBe(run.svg);
  });
});

/** The legend entry of one series. */
function legendItem(key: string): string {
  const m = new RegExp(`<g class="legend-item" data-series="${key}"[^>]*>(.*?)</g>`).exec(run.svg);
  expect(m, `legend entry ${key}`).not.toBeNull();
  return m![1]!;
}
