#!/usr/bin/env node
// Audits the `// Stryker disable` pragmas in src/: is each marked mutant truly one no test can
// kill? `node scripts/audit-pragmas.mjs [PATH…] [--keep]` (PATH: files or folders under src/ to
// audit; all of src/ by default — hours on 2 cores, since a surviving mutant runs every test that
// covers it). Copies the checkout (node_modules linked) to a
// temporary folder, replaces every pragma there by a blank comment (so line numbers hold), runs
// Stryker on the marked lines only, and prints, pragma by pragma, how many mutants of the named
// kinds the tests killed. A killed one means the pragma is wrong: its mutant is not equivalent and
// the pragma hides a test's verdict; remove it (or narrow it to the kinds that survive). A
// surviving one is what the pragma's reason must explain; a timed-out one too (a mutant that turns
// a shortcut off may only be slow). Exits 1 when a test kills any marked mutant.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = process.cwd();
const paths = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = spawnSync('git', ['ls-files', 'src'], { encoding: 'utf8' })
  .stdout.split('\n')
  .filter((f) => f.endsWith('.ts'));
const audited = (file) =>
  paths.length === 0 ||
  paths.some((p) => file === p || file.startsWith(`${p.replace(/\/$/, '')}/`));

/** Every pragma: file, the lines it covers, the mutator kinds it names, its reason. */
const pragmas = [];
const copy = mkdtempSync(join(tmpdir(), 'pragma-audit-'));
cpSync(root, copy, {
  recursive: true,
  filter: (src) => {
    const rel = relative(root, src);
    return !/^(node_modules|\.git|\.stryker-tmp|reports|dist|docs\/api)(\/|$)/.test(rel);
  },
});
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
for (const file of files) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  let changed = false;
  let open;
  lines.forEach((line, i) => {
    const m = /\/\/ Stryker (disable next-line|disable|restore) ([\w,]+)(?::\s*(.*))?$/.exec(line);
    if (m === null || !audited(file)) return;
    const [, form, kinds, reason = ''] = m;
    lines[i] = line.replace(/\/\/ Stryker .*$/, '//');
    changed = true;
    if (form === 'disable next-line')
      pragmas.push({ file, from: i + 2, to: i + 2, kinds: kinds.split(','), reason });
    else if (form === 'disable') open = { file, from: i + 2, kinds: kinds.split(','), reason };
    else if (open !== undefined) {
      pragmas.push({ ...open, to: i });
      open = undefined;
    }
  });
  if (changed) writeFileSync(join(copy, file), lines.join('\n'));
}
console.log(`${pragmas.length} pragmas; mutating their lines in ${copy}`);

const base = JSON.parse(readFileSync('stryker.config.json', 'utf8'));
delete base.$schema;
const report = join(copy, 'reports/pragmas.json');
const config = {
  ...base,
  mutate: pragmas.map((p) => `${p.file}:${p.from}-${p.to}`),
  reporters: ['progress', 'json'],
  jsonReporter: { fileName: report },
};
writeFileSync(join(copy, 'pragmas.stryker.json'), JSON.stringify(config, null, 2));
const run = spawnSync('npx', ['stryker', 'run', 'pragmas.stryker.json'], {
  cwd: copy,
  stdio: 'inherit',
  env: { ...process.env, STRYKER: '1' },
});
if (run.status !== 0 || !existsSync(report)) {
  console.error(`Stryker failed (exit ${run.status}); the copy is kept in ${copy}`);
  process.exit(2);
}
const mutants = JSON.parse(readFileSync(report, 'utf8')).files;
let wrong = 0;
const rows = [];
for (const p of pragmas) {
  const on = (mutants[p.file]?.mutants ?? []).filter(
    (m) =>
      m.location.start.line >= p.from &&
      m.location.start.line <= p.to &&
      p.kinds.includes(m.mutatorName),
  );
  // A timeout is no verdict: a mutant that only turns a shortcut off can be slow and still right.
  const killed = on.filter((m) => m.status === 'Killed');
  const slow = on.filter((m) => m.status === 'Timeout');
  wrong += killed.length;
  const show = (ms) => ms.map((m) => `${m.mutatorName} → \`${m.replacement}\``).join('; ') || '–';
  rows.push(
    `| ${p.file}:${p.from} | ${p.kinds.join(', ')} | ${on.length} | ${on.length - killed.length - slow.length} | ${show(slow)} | ${show(killed)} |`,
  );
}
console.log('\n| pragma at | kinds | marked mutants | survived | timed out | killed by a test |');
console.log('|---|---|---:|---:|---|---|');
for (const r of rows) console.log(r);
console.log(`\n${wrong} marked mutants killed by a test`);
if (!process.argv.includes('--keep')) rmSync(copy, { recursive: true, force: true });
process.exit(wrong > 0 ? 1 : 0);
