/**
 * Writes the conformance vectors in conformance/: for each case, the book, the config, the
 * timestamp, and the expected RESULT (every trade, pool trade, settlement and the block hash), so
 * another implementation can test itself against this one. Run: `npx tsx scripts/gen-vectors.ts`.
 * The tests re-clear every vector, with `clearCycle` and with the reference engine
 * (`clearCycleReference`), and hold both results equal to the expected one.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { WORKED_EXAMPLE } from '../src/cli/demo.js';
import { generateBook } from '../src/cli/generators.js';
import { type ClearingConfig, clearCycle, type OrderBook } from '../src/index.js';

const T = '2026-01-01T00:00:30Z';
const worked = WORKED_EXAMPLE;
const scenario2: OrderBook = {
  offers: [
    { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '3', price: '0.20' },
    { id: 's2', participant: 'h2', carrier: 'electricity', quantity: '4', price: '0.10' },
  ],
  bids: [
    {
      id: 'c1',
      participant: 'h1',
      carrier: 'electricity',
      quantity: '8',
      price: '0.50',
      allOrNone: true,
    },
    { id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '2', price: '0.45' },
    { id: 'c3', participant: 'h3', carrier: 'electricity', quantity: '1', price: '0.30' },
    { id: 'c4', participant: 'h4', carrier: 'electricity', quantity: '1', price: '0.05' },
  ],
  storage: [{ id: 'bat', carrier: 'electricity', quantity: '2', price: '0.44' }],
};
const seeded = (
  kind: 'random' | 'adversarial' | 'all-or-none',
  size: number,
  carriers: ('electricity' | 'heat' | 'cold' | 'gas')[],
) => generateBook({ kind, size, seed: 7, carriers });

const cases: Array<{ name: string; description: string; book: OrderBook; config: ClearingConfig }> =
  [
    {
      name: 'worked-example',
      description: 'docs/rules.md §12 (the worked example) with the default config',
      book: worked,
      config: {},
    },
    {
      name: 'worked-example-ask',
      description: 'pay-as-offer pricing',
      book: worked,
      config: { pricing: 'ask' },
    },
    {
      name: 'worked-example-k',
      description: 'pricing k = 0.25, flat 1 % commission',
      book: worked,
      config: { pricing: { k: '0.25' }, commission: { kind: 'flat', rate: '0.01' } },
    },
    {
      name: 'worked-example-unit-price',
      description: 'merit-order ranking',
      book: worked,
      config: { ranking: 'unit-price' },
    },
    {
      name: 'worked-example-uniform',
      description: 'uniform-price mechanism',
      book: worked,
      config: { mechanism: 'uniform-price' },
    },
    {
      name: 'worked-example-capacity',
      description: 'pool capacity 1.5',
      book: worked,
      config: { poolCapacity: { electricity: '1.5' } },
    },
    {
      name: 'scenario-2',
      description:
        'all-or-none bid filled from pool, storage and grid; self-trade; no compatible offer',
      book: scenario2,
      config: { gridPrice: '0.48' },
    },
    {
      name: 'absorb-all',
      description: 'the paper literal pool mode, split pool prices, currency scale 2',
      book: scenario2,
      config: { absorb: 'all', poolBuyPrice: '0.40', poolSellPrice: '0.46', currencyScale: 2 },
    },
    {
      name: 'random-100',
      description: 'seeded random book, 100 a side',
      book: seeded('random', 100, ['electricity']),
      config: {},
    },
    {
      name: 'adversarial-100',
      description: 'q × p order opposite to unit price',
      book: seeded('adversarial', 100, ['electricity']),
      config: {},
    },
    {
      name: 'all-or-none-100',
      description: 'a third of the bids all-or-none, leaf size 4',
      book: seeded('all-or-none', 100, ['electricity']),
      config: { leafSize: 4 },
    },
    {
      name: 'four-carriers-100',
      description: 'four carriers, unit-price ranking',
      book: seeded('random', 100, ['electricity', 'heat', 'cold', 'gas']),
      config: { ranking: 'unit-price', gridPrice: { heat: '0.9' } },
    },
  ];

rmSync('conformance', { recursive: true, force: true });
mkdirSync('conformance');
for (const c of cases) {
  const result = clearCycle(c.book, c.config, { timestamp: T });
  const vector = {
    name: c.name,
    description: c.description,
    timestamp: T,
    book: c.book,
    config: c.config,
    expected: JSON.parse(JSON.stringify(result)),
  };
  writeFileSync(`conformance/${c.name}.json`, `${JSON.stringify(vector)}\n`);
}
writeFileSync(
  'conformance/README.md',
  `# Conformance vectors

Each file is one clearing cycle: \`book\`, \`config\`, \`timestamp\` and the \`expected\` RESULT of
docs/file-formats.md — every trade, pool purchase, pool trade, unsold remainder, outcome, settlement and the
block (Merkle root, inputs hash and block hash, SHA-256, first block of a chain). An
implementation conforms when \`clearCycle(book, config, { timestamp })\` gives the same RESULT, to
the byte of every decimal string and hash. \`scripts/gen-vectors.ts\` writes them; the tests
re-clear each and check its trades against a brute-force reference.

| vector | what it exercises |
|---|---|
${cases.map((c) => `| \`${c.name}.json\` | ${c.description} |`).join('\n')}
`,
);
console.log(`wrote ${cases.length} vectors to conformance/`);
