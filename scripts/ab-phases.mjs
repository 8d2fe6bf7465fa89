#!/usr/bin/env node
// Same-run A/B of two checkouts, phase by phase: `node scripts/ab-phases.mjs OLD_ROOT [NEW_ROOT]
// [--size 1e5] [--rounds 5] [--reps 5] [--kinds random,adversarial]`. Each round runs every kind
// once in each checkout (scripts/ab-one.ts, a process each: the same book and hasher, each
// checkout's engine, REPS timed calls after one untimed, the order of the two alternating round by
// round so drift in the machine's load falls on both). The table gives each phase's median over
// the rounds in ms and the median of the rounds' ratios new / old; phases under 1 ms get no ratio
// (timer noise). Run it on a quiet machine: the ratio is only as good as the noise allows.
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
console.log(
  `A/B at ${size} a side: ${rounds} rounds, ${reps} warm calls a process; medians (ms), ratio = median of the rounds' new / old`,
);
console.log(`| kind | build | ${PHASES.join(' | ')} |`);
console.log(`|---|---|${PHASES.map(() => '---:').join('|')}|`);
let worst = 0;
for (const kind of kinds) {
  const rows = runs.get(kind);
  const med = (which) => PHASES.map((p) => median(rows.map((x) => x[which][p] ?? 0)));
  const o = med('old');
  const n = med('new');
  const ratio = PHASES.map((p, i) => {
    if (o[i] < 1) return '–';
    const v = median(rows.map((x) => (x.new[p] ?? 0) / (x.old[p] ?? 1)));
    if (p !== 'total') worst = Math.max(worst, v);
    return v.toFixed(3);
  });
  console.log(`| ${kind} | old | ${o.map((v) => v.toFixed(1)).join(' | ')} |`);
  console.log(`| ${kind} | new | ${n.map((v) => v.toFixed(1)).join(' | ')} |`);
  console.log(`| ${kind} | ratio | ${ratio.join(' | ')} |`);
}
console.log(`\nslowest phase ratio: ${worst.toFixed(3)}`);
