import { describe, expect, it } from 'vitest';
import { type ChartSpec, chart, type HourFlows, servedStack } from '../../src/cli/chart.js';
import { Dec } from '../../src/decimal/decimal.js';

type Volumes = Partial<Record<keyof HourFlows, string>>;

/** An hour from the volumes given (the rest zero); demand is the sum of the stack unless given. */
function hour(v: Volumes): HourFlows {
  const d = (k: keyof HourFlows) => new Dec(v[k] ?? 0);
  const stack = ['p2p', 'pool', 'storage', 'grid', 'unserved'] as const;
  const demanded = v.demanded ?? stack.reduce((a, k) => a.plus(d(k)), new Dec(0)).toFixed();
  return {
    offered: d('offered'),
    demanded: new Dec(demanded),
    p2p: d('p2p'),
    pool: d('pool'),
    storage: d('storage'),
    grid: d('grid'),
    unserved: d('unserved'),
    p2pAmount: d('p2pAmount'),
  };
}

/** One panel of 24 hours: the given ones first, then empty hours. */
function spec(hours: Volumes[], title = 'A day'): ChartSpec {
  const all = [...hours, ...Array.from({ length: 24 - hours.length }, () => ({}))].map(hour);
  return {
    title,
    subtitle: 'sub',
    source: 'src',
    panels: [{ heading: 'Electricity', hours: all }],
  };
}

const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

describe('chart', () => {
  it('stacks P2P, pool, storage, grid, unserved from the bottom, and lists the grid only when it served', () => {
    const h = hour({ p2p: '1', pool: '2', storage: '3', grid: '4', unserved: '5' });
    expect(servedStack(h).map((s) => `${s.key} ${s.kwh}`)).toEqual([
      'p2p 1',
      'pool 2',
      'storage 3',
      'grid 4',
      'unserved 5',
    ]);
    const withGrid = chart(spec([{ p2p: '1', grid: '4', unserved: '5' }]));
    expect([...withGrid.matchAll(/data-series="(\w+)"/g)].map((m) => m[1])).toEqual([
      'p2p',
      'pool',
      'storage',
      'grid',
      'unserved',
      'supply',
      'price',
    ]);
    // Bottom first: P2P lowest on the page (largest y), unserved on top.
    const ys = [
      ...withGrid.matchAll(/<rect class="(\w+)" data-kwh="[^"]+" x="[^"]+" y="([^"]+)"/g),
    ];
    expect(ys.map((m) => m[1])).toEqual(['p2p', 'grid', 'unserved']);
    expect(Number(ys[0]![2])).toBeGreaterThan(Number(ys[1]![2]));
    expect(Number(ys[1]![2])).toBeGreaterThan(Number(ys[2]![2]));
    expect(chart(spec([{ p2p: '1', unserved: '5' }]))).not.toContain('data-series="grid"');
  });

  it('picks a round energy scale and a price scale with as many steps, so grid lines are shared', () => {
    const svg = chart(spec([{ p2p: '7', p2pAmount: '3.78', offered: '6.5' }])); // 0.54 $/kWh
    expect(texts(svg, 'y-label')).toEqual(['0', '2', '4', '6', '8']);
    expect(texts(svg, 'y2-label')).toEqual(['0', '0.2', '0.4', '0.6', '0.8']);
    // Supply can set the scale too.
    expect(texts(chart(spec([{ p2p: '1', offered: '25.9' }])), 'y-label').at(-1)).toBe('30');
    expect(texts(chart(spec([{ unserved: '0.04' }])), 'y-label')).toEqual([
      '0',
      '0.01',
      '0.02',
      '0.03',
      '0.04',
    ]);
    expect(texts(chart(spec([])), 'y-label')).toEqual(['0', '1']);
  });

  it('draws the average P2P price at its height on the right axis, broken where no P2P traded', () => {
    const svg = chart(
      spec([
        { p2p: '2', p2pAmount: '0.4' }, // 0.2 $/kWh
        { p2p: '1', p2pAmount: '0.1' },
        { unserved: '3' },
        { p2p: '4', p2pAmount: '1.6' }, // 0.4 $/kWh
      ]),
    );
    const d = /<path class="price" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/[ML]/g)).toEqual(['M', 'L', 'M']);
    const plotted = /<g class="price-dots"[^>]*>(.*?)<\/g>/.exec(svg)![1]!;
    const dots = [...plotted.matchAll(/<circle cx="[^"]+" cy="([^"]+)"/g)].map((m) => m[1]);
    expect(dots).toHaveLength(3);
    const labelY = (text: string) =>
      new RegExp(`<text class="y2-label" x="[^"]+" y="([^"]+)"[^>]*>${text}</text>`).exec(svg)![1];
    expect(dots[0]).toBe(labelY('0.2'));
    expect(dots[2]).toBe(labelY('0.4'));
  });

  it('sums up the day per panel; a share under 1 % keeps a decimal, and a source that served nothing is left out', () => {
    const svg = chart(spec([{ p2p: '99.9', unserved: '0.1' }]));
    expect(texts(svg, 'panel-summary')).toEqual(['100 kWh demanded: P2P 100 %, unserved 0.1 %']);
    expect(texts(chart(spec([])), 'panel-summary')).toEqual(['no demand']);
  });

  it('escapes its texts and writes the title as visible text and as the tooltip', () => {
    const svg = chart(spec([{ p2p: '1' }], 'Heat & cold <draft>'));
    expect(svg).toContain('<title>Heat &amp; cold &lt;draft&gt;</title>');
    expect(texts(svg, 'title')).toEqual(['Heat &amp; cold &lt;draft&gt;']);
    expect(svg).not.toContain('<draft>');
  });
});
