/**
 * Generates from the record descriptions in `src/engine/records/schema.ts`, in
 * `src/engine/records/`: `generated.ts` — for each record, the writer of its canonical bytes (what
 * the block seals), the writer of its object's JSON text, and its object view;
 * `generated-columns.ts` — its `Columns` view; `generated-inputs.ts` — the writers of the orders
 * of the inputs text.
 *
 *   npx tsx scripts/gen-records.ts           # writes the files
 *   npx tsx scripts/gen-records.ts --check   # exits 1 if a file is not what it would write (CI)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ENUMS,
  type FieldSpec,
  INPUTS,
  type InputSpec,
  RECORDS,
  type RecordSpec,
} from '../src/engine/records/schema.js';

/** A piece of a record's text: fixed text, one of an enum's names, or a value the source writes. */
type Piece =
  | { readonly lit: string }
  | { readonly variants: readonly string[]; readonly field: string }
  | { readonly slot: FieldSpec };

/** A kind written as one of a fixed list of texts. */
const enumerated = (k: FieldSpec['kind']): k is keyof typeof ENUMS => Object.hasOwn(ENUMS, k);

/**
 * The pieces of `{"k":v,…}` for fields in this order, with fixed text merged into its neighbours;
 * without `open`, the opening `{` is left to the caller.
 */
function pieces(
  fields: readonly (FieldSpec | { key: 'type'; value: string })[],
  open = true,
): Piece[] {
  const raw: Piece[] = [];
  fields.forEach((f, i) => {
    raw.push({ lit: `${i > 0 ? ',' : open ? '{' : ''}${JSON.stringify(f.key)}:` });
    if ('value' in f) raw.push({ lit: JSON.stringify(f.value) });
    else if (enumerated(f.kind)) raw.push({ variants: ENUMS[f.kind], field: f.key });
    else if (f.kind === 'decimal') raw.push({ lit: '"' }, { slot: f }, { lit: '"' });
    else raw.push({ slot: f });
  });
  raw.push({ lit: '}' });
  // Fixed text joins the names of an enum before or after it; runs of fixed text join.
  const out: Piece[] = [];
  for (const p of raw) {
    const last = out[out.length - 1];
    if ('lit' in p && last !== undefined && 'lit' in last)
      out[out.length - 1] = { lit: last.lit + p.lit };
    else if ('lit' in p && last !== undefined && 'variants' in last)
      out[out.length - 1] = { field: last.field, variants: last.variants.map((v) => v + p.lit) };
    else if ('variants' in p && last !== undefined && 'lit' in last)
      out[out.length - 1] = { field: p.field, variants: p.variants.map((v) => last.lit + v) };
    else out.push(p);
  }
  return out;
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const CONST = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const bytes = (s: string) => `asciiBytes(${JSON.stringify(s)})`;

/**
 * Statements writing the fixed printable ASCII text `s` with `ByteWriter.lit`: 16 bytes a call,
 * as little-endian 32-bit words (a native copy of a constant array costs more than it moves at
 * these sizes), each call under a comment with its text; a last single byte with `byte`.
 */
function lit(s: string): string[] {
  if (!/^[\x20-\x7e]*$/.test(s))
    throw new Error(`gen-records: ${JSON.stringify(s)} is not printable ASCII`);
  const out: string[] = [];
  for (let at = 0; at < s.length; at += 16) {
    const part = s.slice(at, at + 16);
    if (part.length === 1) {
      out.push(`  w.byte(0x${part.charCodeAt(0).toString(16)}); // ${part}`);
      continue;
    }
    const words: string[] = [];
    for (let k = 0; k < part.length; k += 4) {
      let word = 0;
      for (let j = 0; j < 4 && k + j < part.length; j++) word += part.charCodeAt(k + j) * 256 ** j;
      words.push(`0x${word.toString(16).padStart(8, '0')}`);
    }
    out.push(`  // ${part}`, `  w.lit(${part.length}, ${words.join(', ')});`);
  }
  return out;
}

/** How a writer reads a field: an enum's index (an expression) or a value it writes (a statement). */
interface Reader {
  index(field: string): string;
  write(field: string): string;
}

/** A writer that reads its fields through a cursor's methods (`TradeFields`, …). */
const CURSOR: Reader = { index: (f) => `f.${f}()`, write: (f) => `f.${f}(w);` };

/** Constants and the body of a writer for these pieces; `open` gives the first piece a second form. */
function writer(
  prefix: string,
  ps: Piece[],
  json: boolean,
  read: Reader = CURSOR,
): { consts: string[]; body: string[] } {
  const consts: string[] = [];
  const body: string[] = [];
  let n = 0;
  ps.forEach((p, i) => {
    const name = `${prefix}_${'slot' in p ? n : n++}`;
    if ('lit' in p) {
      if (json && i === 0) {
        consts.push(`const ${name} = ${bytes(p.lit)};`);
        consts.push(`const ${name}_NEXT = ${bytes(`,${p.lit}`)};`);
        body.push(`  w.bytes(first ? ${name} : ${name}_NEXT);`);
      } else body.push(...lit(p.lit));
    } else if ('variants' in p) {
      consts.push(`const ${name} = [${p.variants.map(bytes).join(', ')}];`);
      body.push(`  w.bytes(${name}[${read.index(p.field)}]!);`);
    } else body.push(`  ${read.write(p.slot.key)}`);
  });
  return { consts, body };
}

/** Canonical key order (code-unit order, as RFC 8785 sorts). */
const byKey = <F extends { key: string }>(fields: readonly F[]): F[] =>
  [...fields].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** The method a writer calls to read a field. */
const method = (f: FieldSpec) =>
  enumerated(f.kind)
    ? `  /** The index of its ${f.key} in ${ENUMS[f.kind].join(', ')}. */\n  ${f.key}(): number;`
    : `  /** Writes its ${f.key} (${f.kind === 'decimal' ? 'the canonical decimal, no quotes' : f.kind === 'integer' ? 'a whole number' : 'a JSON string'}). */\n  ${f.key}(w: ByteWriter): void;`;

/** The type of a field's text in the object view. */
const textType = (f: FieldSpec) =>
  f.kind === 'carrier' ? 'Carrier' : f.kind === 'source' ? 'LotSource' : 'string';

/** `export interface <name>Fields { … }`: what a writer reads, field by field. */
const fieldsInterface = (N: string, fields: readonly FieldSpec[], doc: string) => [
  `/** @internal ${doc} */`,
  `export interface ${N}Fields {`,
  ...fields.map(method),
  '}',
];

/**
 * A record sealed as it is made, from the maker's state rather than a cursor: the type its writer
 * takes, the lines that open the writer, and how each field is read. The P2P trade is one: its
 * record is written in the trade loop, read straight from plain fields so that V8 inlines all of
 * it there (a cursor's ten method calls were not inlined: 3–8 % of the trades phase).
 */
interface Sealer extends Reader {
  readonly type: string;
  readonly open: readonly string[];
}

/** The sealed trade from the trade being made (`TradeSeal` `s`, its money `m`). */
const SEALERS: Record<string, Sealer> = {
  trade: {
    type: 'TradeSeal',
    open: ['const m = s.m;'],
    index: (f) => ({ carrier: 's.ci' })[f] ?? missing('trade', f),
    write: (f) =>
      ({
        bidId: 'w.entry(s.bidIds, s.bidAt);',
        offerId: 'w.entry(s.offerIds, s.offerAt);',
        buyer: 'w.entry(s.buyers, s.buyerAt);',
        seller: 'w.entry(s.sellers, s.sellerAt);',
        quantity: 'w.decimal(s.q, s.qs);',
        price: 'w.decimal(m.price, m.priceScale);',
        amount: 'w.decimal(m.amount, m.amountScale);',
        consumerFee: 'w.limbsOrWhole(m.consumerFee, m.consumerHigh, m.consumerScale);',
        // A built-in rate charges both sides the same fee, stored once as the consumer's.
        supplierFee:
          'if (s.twoFees) w.limbsOrWhole(m.supplierFee, m.supplierHigh, m.supplierScale);\n  else w.limbsOrWhole(m.consumerFee, m.consumerHigh, m.consumerScale);',
      })[f] ?? missing('trade', f),
  },
};
const missing = (record: string, field: string): never => {
  throw new Error(`gen-records: the ${record} sealer does not read ${field}`);
};

/** A record's writers, its object view and the interfaces they read. */
function record(spec: RecordSpec): string {
  const N = cap(spec.name);
  const P = CONST(spec.name);
  const sorted = byKey([...spec.fields, { key: 'type' as const, value: spec.type }]);
  const sealer = SEALERS[spec.name];
  const canonical = writer(`${P}_RECORD`, pieces(sorted), false, sealer);
  const json = writer(`${P}_JSON`, pieces(spec.fields), true);
  const text = (f: FieldSpec) => `  /** Its ${f.key}. */\n  ${f.key}Text(): ${textType(f)};`;
  return [
    ...fieldsInterface(
      N,
      spec.fields,
      `What the ${spec.name} ${sealer === undefined ? 'writers read' : 'JSON writer reads'}: one ${spec.name}, field by field.`,
    ),
    '',
    `/** @internal What the ${spec.name} object view reads. */`,
    `export interface ${N}Texts {`,
    ...spec.fields.map(text),
    '}',
    '',
    ...canonical.consts,
    '',
    `/** @internal Writes \`canonicalJson({ type: '${spec.type}', ...${spec.name} })\`. */`,
    sealer === undefined
      ? `export function write${N}Record(w: ByteWriter, f: ${N}Fields): void {`
      : `export function write${N}Record(w: ByteWriter, s: ${sealer.type}): void {`,
    ...(sealer?.open ?? []).map((line) => `  ${line}`),
    ...canonical.body,
    '}',
    '',
    ...json.consts,
    '',
    `/** @internal Writes \`JSON.stringify(${spec.name})\`, after a comma unless \`first\`. */`,
    `export function write${N}Json(w: ByteWriter, f: ${N}Fields, first: boolean): void {`,
    ...json.body,
    '}',
    '',
    `/** @internal The ${spec.name} as a frozen object, its fields in documented order. */`,
    `export function ${spec.name}Object(f: ${N}Texts): ${spec.objectType} {`,
    '  return Object.freeze({',
    ...spec.fields.map((f) => `    ${f.key}: f.${f.key}Text(),`),
    '  });',
    '}',
  ].join('\n');
}

/** A record's field names and its `Columns` view over a cursor. */
function columns(spec: RecordSpec): string {
  const N = cap(spec.name);
  const P = CONST(spec.name);
  return [
    `/** @internal The fields of a ${spec.name}, in documented order. */`,
    `export const ${P}_KEYS: readonly (keyof ${spec.objectType})[] = [${spec.fields.map((f) => `'${f.key}'`).join(', ')}];`,
    '',
    `/** @internal \`Columns<${spec.objectType}>\` over \`row\`, which points a cursor at record i (and checks i). */`,
    `export class ${N}Columns implements Columns<${spec.objectType}> {`,
    '  constructor(',
    '    readonly length: number,',
    `    private readonly row: (i: number) => ${N}Texts,`,
    '  ) {',
    '    keepShape(this);',
    '  }',
    `  at(i: number): ${spec.objectType} {`,
    `    return ${spec.name}Object(this.row(i));`,
    '  }',
    ...spec.fields.map(
      (f) => `  ${f.key}(i: number): ${textType(f)} {\n    return this.row(i).${f.key}Text();\n  }`,
    ),
    '}',
  ].join('\n');
}

/**
 * How the inputs writers read an order's field from the book's columns (`OrderColumns` `s`, input
 * index `i`, the side's ids `ids` and the parties `parties` as JSON bytes, the scales `ps`, `qs`).
 */
const ORDER_FIELDS: Record<string, string> = {
  id: 'w.entry(ids, i);',
  participant: 'w.entry(parties, s.party[i]!);',
  carrier: 's.carrier[i]!',
  quantity: 'w.decimal(s.q[i]!, qs);',
  price: 'w.decimal(s.p[i]!, ps);',
  allOrNone: 's.allOrNone[i]!',
  seq: 'w.decimal(s.seq[i]!, 0);',
};
const orderField = (f: string) => {
  const code = ORDER_FIELDS[f];
  if (code === undefined) throw new Error(`gen-records: no column for the order field ${f}`);
  return code;
};
const ORDER: Reader = { index: orderField, write: orderField };
/** The fields of an `InputSide` a writer's body reads besides its orders and their order. */
const reads = (body: readonly string[]) =>
  [
    ['ids', 'ids'],
    ['parties', 'parties'],
    ['priceScale: ps', 'ps'],
    ['quantityScale: qs', 'qs'],
  ]
    .filter(([, name]) => new RegExp(`\\b${name}\\b`).test(body.join('\n')))
    .map(([binding]) => binding)
    .join(', ');

/**
 * An order of the inputs text: the writer of a side's orders as canonical objects, comma-separated,
 * reading the book's columns straight (no cursor between: V8 inlines all of it into one loop).
 */
function input(spec: InputSpec): string {
  const N = cap(spec.name);
  const P = CONST(spec.name);
  const canonical = writer(`${P}`, pieces(byKey(spec.fields), false), false, ORDER);
  return [
    ...canonical.consts,
    '',
    `/** @internal Writes a side's orders as the inputs text's ${spec.name} objects, comma-separated, in \`side.order\`. */`,
    `export function write${N}s(w: ByteWriter, side: InputSide): void {`,
    `  const { orders: s, order, ${reads(canonical.body)} } = side;`,
    '  for (let k = 0; k < s.length; k++) {',
    '    const i = order === null ? k : order[k]!;',
    '    w.bytes(k === 0 ? OPEN : OPEN_NEXT);',
    ...canonical.body.map((line) => `  ${line}`),
    '  }',
    '}',
  ].join('\n');
}

const HEAD = [
  '// Generated by scripts/gen-records.ts from src/engine/records/schema.ts: do not edit.',
  '// Rerun `npx tsx scripts/gen-records.ts` after changing a description; CI runs it with --check.',
];
const module = (doc: string, imports: string[], body: string) =>
  [
    ...HEAD,
    '/**',
    ` * ${doc}`,
    ' *',
    ' * @module',
    ' * @internal',
    ' */',
    ...imports,
    '',
    body,
    '',
  ].join('\n');
const out = (name: string) =>
  fileURLToPath(new URL(`../src/engine/records/${name}`, import.meta.url));

/** Each generated file and its text (one concern a file: records, columns, the inputs text). */
const FILES: [string, string][] = [
  [
    out('generated.ts'),
    module(
      'Writers and object views of the sealed records, derived from their descriptions.',
      [
        "import { asciiBytes, type ByteWriter } from '../../internal/byte-writer.js';",
        "import type { LotSource, PoolPurchase, PoolTrade, Trade } from '../../model/result.js';",
        "import type { Carrier } from '../../model/types.js';",
        "import type { TradeSeal } from './seal.js';",
      ],
      RECORDS.map(record).join('\n\n'),
    ),
  ],
  [
    out('generated-columns.ts'),
    module(
      "The records' `Columns` views (`resultColumns`), derived from their descriptions.",
      [
        "import { keepShape } from '../../internal/shapes.js';",
        "import type { Columns, LotSource, PoolPurchase, PoolTrade, Trade } from '../../model/result.js';",
        "import type { Carrier } from '../../model/types.js';",
        'import {',
        '  type PoolPurchaseTexts,',
        '  type PoolTradeTexts,',
        '  poolPurchaseObject,',
        '  poolTradeObject,',
        '  type TradeTexts,',
        '  tradeObject,',
        "} from './generated.js';",
      ],
      RECORDS.map(columns).join('\n\n'),
    ),
  ],
  [
    out('generated-inputs.ts'),
    module(
      'Writers of the orders of the inputs text (`inputsHash`), derived from their descriptions.',
      [
        "import { asciiBytes, type ByteWriter, type JsonTable } from '../../internal/byte-writer.js';",
        "import type { OrderColumns } from '../../model/columns.js';",
      ],
      [
        "const OPEN = asciiBytes('{');",
        "const OPEN_NEXT = asciiBytes(',{');",
        '',
        '/** @internal One side of the book as the inputs writers read it. */',
        'export interface InputSide {',
        "  /** The side's columns. */",
        '  readonly orders: OrderColumns;',
        '  /** The input indices in the order to write them (seq, id); `null`: input order. */',
        '  readonly order: ArrayLike<number> | null;',
        "  /** The side's ids as JSON bytes, by input index. */",
        '  readonly ids: JsonTable;',
        "  /** The participants' names as JSON bytes, by party number. */",
        '  readonly parties: JsonTable;',
        '  readonly priceScale: number;',
        '  readonly quantityScale: number;',
        '}',
        '',
        INPUTS.map(input).join('\n\n'),
      ].join('\n'),
    ),
  ],
];
// Formatted as the linter wants it, so the files pass `biome check` as written.
const format = (path: string, raw: string) =>
  execFileSync(
    fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)),
    ['format', `--stdin-file-path=${path}`],
    { input: raw, encoding: 'utf8' },
  );

let stale = 0;
for (const [path, raw] of FILES) {
  const text = format(path, raw);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(
        `${path} is not what scripts/gen-records.ts writes: run npx tsx scripts/gen-records.ts`,
      );
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) process.exit(1);
if (process.argv.includes('--check')) console.log('records: the generated files are up to date');
