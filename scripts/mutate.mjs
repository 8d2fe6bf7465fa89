#!/usr/bin/env node
// Mutation testing module by module: `npm run mutate` (all core modules) or
// `npm run mutate -- ranking matching` (some). Each module gets its own Stryker run, JSON report
// (reports/mutation/<module>.json) and incremental file, so a long run that is stopped keeps the
// modules it finished, and a rerun only retests what changed. Ends with the score table that
// docs/quality.md quotes (also written to reports/mutation/summary.md). `--survivors` retests
// only the lines where mutants survived and merges the results back (after adding tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const MODULES = {
  ranking: ['src/ranking/**/*.ts', 'src/internal/radix-sort.ts'],
  matching: ['src/matching/**/*.ts'],
  commission: ['src/commission/**/*.ts'],
  settlement: ['src/settlement/**/*.ts'],
  ledger: ['src/ledger/**/*.ts', 'src/internal/byte-writer.ts'],
  engine: ['src/engine/**/*.ts', 'src/pool/**/*.ts', 'src/internal/column.ts'],
  fixed: ['src/decimal/fixed.ts'],
  memory: ['src/internal/arena.ts'],
  text: ['src/validate/book-text.ts', 'src/internal/string-table.ts'],
};

const args = process.argv.slice(2);
const summaryOnly = args.includes('--summary');
const outFile = args.indexOf('--out') >= 0 ? args[args.indexOf('--out') + 1] : undefined;
const asked = args.filter((a) => !a.startsWith('--') && a !== outFile);
const unknown = asked.filter((m) => !(m in MODULES));
if (unknown.length > 0) {
  console.error(`unknown module ${unknown.join(', ')}; one of ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : Object.keys(MODULES);
const base = JSON.parse(readFileSync('stryker.config.json', 'utf8'));
mkdirSync('reports/mutation', { recursive: true });

let failed = false;
// `--timeouts` adds the lines of timed-out mutants (to confirm timeouts seen on a busy machine).
const retest = new Set([
  'Survived',
  'NoCoverage',
  ...(args.includes('--timeouts') ? ['Timeout'] : []),
]);
if (args.includes('--survivors')) {
  // Retest only the lines where mutants survived (after adding tests): Stryker's incremental mode
  // reuses a survivor's result when its code is unchanged, since it cannot see which new tests
  // cover it. Results are merged back into each module's report.
  for (const name of chosen) {
    const file = `reports/mutation/${name}.json`;
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const patterns = [];
    for (const [path, f] of Object.entries(report.files)) {
      const lines = new Set();
      for (const m of f.mutants) if (retest.has(m.status)) lines.add(m.location.start.line);
      for (const line of [...lines].sort((a, b) => a - b)) patterns.push(`${path}:${line}-${line}`);
    }
    if (patterns.length === 0) continue;
    const rerun = `reports/mutation/${name}.survivors.json`;
    const config = {
      ...base,
      mutate: patterns,
      reporters: ['progress', 'json'],
      jsonReporter: { fileName: rerun },
    };
    delete config.$schema;
    const configFile = `reports/mutation/${name}.survivors.config.json`;
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    console.log(`\n== ${name}: retesting ${patterns.length} lines with survivors`);
    const run = spawnSync('npx', ['stryker', 'run', configFile], {
      stdio: 'inherit',
      env: { ...process.env, STRYKER: '1' },
    });
    if (run.status !== 0 || !existsSync(rerun)) {
      failed = true;
      continue;
    }
    const fresh = JSON.parse(readFileSync(rerun, 'utf8'));
    const key = (m) =>
      `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
    let changed = 0;
    for (const [path, f] of Object.entries(fresh.files)) {
      const byKey = new Map(f.mutants.map((m) => [key(m), m]));
      for (const m of report.files[path]?.mutants ?? []) {
        const n = byKey.get(key(m));
        if (n === undefined || n.status === m.status) continue;
        m.status = n.status;
        m.statusReason = n.statusReason;
        m.killedBy = n.killedBy;
        m.testsCompleted = n.testsCompleted;
        changed++;
      }
    }
    writeFileSync(file, JSON.stringify(report));
    console.log(`== ${name}: ${changed} mutant results changed`);
  }
} else if (!summaryOnly) {
  for (const name of chosen) {
    const config = {
      ...base,
      mutate: MODULES[name],
      reporters: ['progress', 'json', 'html'],
      jsonReporter: { fileName: `reports/mutation/${name}.json` },
      htmlReporter: { fileName: `reports/mutation/${name}.html` },
      incremental: true,
      incrementalFile: `reports/mutation/${name}.incremental.json`,
    };
    delete config.$schema;
    const file = `reports/mutation/${name}.config.json`;
    writeFileSync(file, JSON.stringify(config, null, 2));
    console.log(`\n== ${name}: ${MODULES[name].join(' ')}`);
    const run = spawnSync('npx', ['stryker', 'run', file], {
      stdio: 'inherit',
      env: { ...process.env, STRYKER: '1' },
    });
    if (run.status !== 0) failed = true;
  }
}

// The table: every module with a report, chosen or not.
const rows = [];
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 };
for (const name of Object.keys(MODULES)) {
  const file = `reports/mutation/${name}.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 };
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) {
      if (m.status === 'Killed') c.killed++;
      else if (m.status === 'Timeout') c.timeout++;
      else if (m.status === 'Survived') c.survived++;
      else if (m.status === 'NoCoverage') c.noCoverage++;
      else if (m.status === 'Ignored') c.ignored++;
    }
  }
  for (const k of Object.keys(c)) total[k] += c[k];
  rows.push([name, c]);
}
rows.push(['**all core modules**', total]);
const score = (c) => {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  return valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
};
const lines = [
  '| module | mutants | killed | timed out | survived | no coverage | ignored (static, or marked equivalent) | score |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(([name, c]) => {
    const all = c.killed + c.timeout + c.survived + c.noCoverage + c.ignored;
    return `| ${name} | ${all} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.ignored} | ${score(c)} |`;
  }),
];
writeFileSync('reports/mutation/summary.md', `${lines.join('\n')}\n`);
console.log(`\n${lines.join('\n')}`);
// `--out docs/quality.md`: the table goes between that file's mutation markers.
const outAt = args.indexOf('--out');
if (outAt >= 0) {
  const doc = args[outAt + 1];
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- mutation:start -->';
  const end = '<!-- mutation:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${doc} has no ${start} … ${end} markers`);
  writeFileSync(doc, `${text.slice(0, i + start.length)}\n${lines.join('\n')}\n${text.slice(j)}`);
}
process.exit(failed ? 1 : 0);
