#!/usr/bin/env node
// Same-run A/B of two checkouts, phase by phase: `node scripts/ab-phases.mjs OLD_ROOT [NEW_ROOT]
// [--size 1e5] [--rounds 5] [--kinds random,adversarial]`. Each round runs every kind once in
// each checkout (its own `bench/run.ts --one`, a process each, the order alternating round by
// round so drift in the machine's load falls on both), then prints each phase's median in ms and
// the ratio new / old. Run it on a quiet machine: the ratio is only as good as the noise allows.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const size = Number(take('--size', '1e5'));
const rounds = Number(take('--rounds', '5'));
const kinds = take('--kinds', 'random,realistic,adversarial,all-or-none,four-carriers').split(',');
const [oldRoot, newRoot = '.'] = args.map((a) => resolve(a));
if (oldRoot === undefined) {
  console.error('usage: node scripts/ab-phases.mjs OLD_ROOT [NEW_ROOT] [--size N] [--rounds R]');
  process.exit(2);
}
const PHASES = ['validate', 'rank', 'match', 'trades', 'pool', 'settle', 'records', 'seal'];
const runs = new Map();
const one = (root, kind) => {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--max-old-space-size=8192',
      'bench/run.ts',
      '--one',
      kind,
      String(size),
      'node',
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const row = JSON.parse(out);
  const key = `${kind} ${root === oldRoot ? 'old' : 'new'}`;
  if (!runs.has(key)) runs.set(key, []);
  runs.get(key).push({ ...row.phases, total: row.total });
};
for (let r = 0; r < rounds; r++) {
  for (const kind of kinds) {
    const order = r % 2 === 0 ? [oldRoot, newRoot] : [newRoot, oldRoot];
    for (const root of order) one(root, kind);
  }
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const cols = [...PHASES, 'total'];
console.log(`A/B at ${size} a side, medians of ${rounds} (ms); ratio = new / old`);
console.log(`| kind | build | ${cols.join(' | ')} |`);
console.log(`|---|---|${cols.map(() => '---:').join('|')}|`);
for (const kind of kinds) {
  const med = (which) =>
    cols.map((c) => median(runs.get(`${kind} ${which}`).map((x) => x[c] ?? 0)));
  const o = med('old');
  const n = med('new');
  console.log(`| ${kind} | old | ${o.map((v) => v.toFixed(1)).join(' | ')} |`);
  console.log(`| ${kind} | new | ${n.map((v) => v.toFixed(1)).join(' | ')} |`);
  console.log(
    `| ${kind} | ratio | ${n.map((v, i) => (o[i] > 0 ? (v / o[i]).toFixed(3) : '–')).join(' | ')} |`,
  );
}
