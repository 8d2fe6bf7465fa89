#!/usr/bin/env node
// Same-run A/B of two checkouts, phase by phase: `node scripts/ab-phases.mjs OLD_ROOT [NEW_ROOT]
// [--size 1e5] [--rounds 5] [--reps 5] [--kinds random,adversarial]`. Each round runs every kind
// once in each checkout (scripts/ab-one.ts, a process each: the same book and hasher, each
// checkout's engine, REPS timed calls after one untimed with a full GC before each, the order of
// the two alternating round by round so drift in the machine's load falls on both). The table
// gives two estimates a phase: `least`, its least time over every process of a build (noise on a
// shared machine only ever adds time, and JIT and heap layout vary from process to process: the
// least is the code's own speed), ratio new / old of those; `median`, its median over the rounds,
// ratio = the median of the rounds' new / old. Phases under 1 ms get no ratio (timer noise).
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const size = Number(take('--size', '1e5'));
const rounds = Number(take('--rounds', '5'));
const reps = Number(take('--reps', '5'));
const kinds = take('--kinds', 'random,realistic,adversarial,all-or-none,four-carriers').split(',');
const [oldRoot, newRoot = '.'] = args.map((a) => resolve(a));
if (oldRoot === undefined) {
  console.error(
    'usage: node scripts/ab-phases.mjs OLD_ROOT [NEW_ROOT] [--size N] [--rounds R] [--reps K]',
  );
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const PHASES = [
  'validate',
  'rank',
  'match',
  'trades',
  'pool',
  'settle',
  'records',
  'seal',
  'total',
  'read',
  'all-in',
];
/** kind → list of { old, new } phase medians, one a round. */
const runs = new Map(kinds.map((k) => [k, []]));
const one = (root, kind) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--max-old-space-size=8192',
        '--expose-gc',
        join(here, 'ab-one.ts'),
        root,
        kind,
        String(size),
        String(reps),
      ],
      { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 1 << 20 },
    ),
  );
for (let r = 0; r < rounds; r++) {
  for (const kind of kinds) {
    const row = {};
    const order = r % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
    for (const which of order) row[which] = one(which === 'old' ? oldRoot : newRoot, kind);
    runs.get(kind).push(row);
  }
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const least = (xs) => Math.min(...xs);
console.log(
  `A/B at ${size} a side: ${rounds} rounds, ${reps} warm calls a process (a full GC before each). ` +
    "`least`: each phase's least time over every process of a build, ratio new / old of those; " +
    "`median`: each phase's median over the rounds, ratio = median of the rounds' new / old.",
);
console.log(`| kind | estimate | build | ${PHASES.join(' | ')} |`);
console.log(`|---|---|---|${PHASES.map(() => '---:').join('|')}|`);
let worst = 0;
let worstMedian = 0;
for (const kind of kinds) {
  const rows = runs.get(kind);
  const per = (which, f) => PHASES.map((p) => f(rows.map((x) => x[which][p] ?? 0)));
  for (const [name, f] of [
    ['least', least],
    ['median', median],
  ]) {
    const o = per('old', f);
    const n = per('new', f);
    const ratio = PHASES.map((p, i) => {
      if (o[i] < 1) return '–';
      const v =
        name === 'least' ? n[i] / o[i] : median(rows.map((x) => (x.new[p] ?? 0) / (x.old[p] ?? 1)));
      if (p !== 'total' && p !== 'all-in') {
        if (name === 'least') worst = Math.max(worst, v);
        else worstMedian = Math.max(worstMedian, v);
      }
      return v.toFixed(3);
    });
    console.log(`| ${kind} | ${name} | old | ${o.map((v) => v.toFixed(1)).join(' | ')} |`);
    console.log(`| ${kind} | ${name} | new | ${n.map((v) => v.toFixed(1)).join(' | ')} |`);
    console.log(`| ${kind} | ${name} | ratio | ${ratio.join(' | ')} |`);
  }
}
console.log(
  `\nslowest phase ratio: ${worst.toFixed(3)} (least times), ${worstMedian.toFixed(3)} (medians)`,
);
