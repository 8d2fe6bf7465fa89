/** Frictions a new user met (issue #19 §5), each held by a test. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearCycle, isValidationError } from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { runCli } from '../helpers/cli.js';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

const run = (...argv: string[]) => runCli(argv);

describe('frictions', () => {
  it('--format table on a 10^5 book prints a table (no "Maximum call stack")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const book = join(dir, 'big.json');
    expect(run('gen', '--size', '1e5', '--out', book).code).toBe(0);
    const r = run('clear', book, '--timestamp', T0, '--format', 'table');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^P2P trades \(\d{5,}\)/);
  }, 60_000);

  it('invalid JSON is reported with its line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const book = join(dir, 'bad.json');
    // Line 3, column 15: the comma before `}`.
    writeFileSync(book, '{\n  "offers": [\n    {"id": "a",}\n  ],\n  "bids": []\n}\n');
    const r = run('clear', book, '--timestamp', T0);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3, column 16\)/);
    expect(r.err.split('\n')).toHaveLength(1);
    // A text that ends early names its last line.
    writeFileSync(book, '{\n  "offers": [\n');
    expect(run('clear', book, '--timestamp', T0).err).toMatch(
      /end of JSON input \(line 3, column 1\)/,
    );
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(run('--version')).toEqual({
      code: 0,
      out: `microgrid-clearing ${pkg.version}`,
      err: '',
    });
    expect(execFileSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' }).trim()).toBe(
      `microgrid-clearing ${pkg.version}`,
    );
  });

  it('clear - reads the book from stdin', () => {
    const r = spawnSync(process.execPath, [CLI, 'clear', '-', '--timestamp', T0], {
      input: JSON.stringify(WORKED_EXAMPLE),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).block.hash).toBe(
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }).block.hash,
    );
  });

  it('a bad timestamp does not hide the book\'s problems; the CLI says "--timestamp:" once', () => {
    const bad = { ...WORKED_EXAMPLE, bids: [{ ...WORKED_EXAMPLE.bids[0]!, price: 'cheap' }] };
    let caught: unknown;
    try {
      clearCycle(bad, {}, { timestamp: 'yesterday' });
    } catch (err) {
      caught = err;
    }
    expect(isValidationError(caught)).toBe(true);
    if (isValidationError(caught))
      expect(caught.issues.map((i) => i.path)).toEqual(['timestamp', 'bids[0].price']);
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const book = join(dir, 'book.json');
    writeFileSync(book, JSON.stringify(bad));
    const r = run('clear', book, '--timestamp', 'yesterday');
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^--timestamp: (?!timestamp:).*\(invalid_timestamp\)$/);
    expect(lines[1]).toMatch(/book\.json: bids\[0\]\.price: .*\(invalid_decimal\)$/);
  });

  it('verify on a pretty-printed RESULT says it is not a chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const book = join(dir, 'book.json');
    writeFileSync(book, JSON.stringify(WORKED_EXAMPLE));
    const out = join(dir, 'result.json');
    expect(run('clear', book, '--timestamp', T0, '--out', out).code).toBe(0);
    expect(run('verify', out)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/pretty-printed JSON, a RESULT file say, not a chain/),
    });
  });

  it('bench columns have one name each, with units; npm pack builds first', () => {
    const r = run('bench', '--size', '1e3', '--kinds', 'random');
    const head = r.out.split('\n').find((l) => l.startsWith('| book'))!;
    const names = head
      .split('|')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('trades made');
    expect(names).toContain('validate ms');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toMatch(/build/);
  });

  it('the table uses one minus sign, none before a zero, and warns when the platform loses money', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const book = join(dir, 'book.json');
    writeFileSync(book, JSON.stringify(WORKED_EXAMPLE));
    const loses = run('clear', book, '--timestamp', T0, '--format', 'table').out;
    expect(loses).toContain('pool purchases -0.86');
    expect(loses).not.toContain('−');
    expect(loses).toMatch(/^warning: the platform's income is negative \(-0\.726\)/m);
    const none = join(dir, 'none.json');
    writeFileSync(
      none,
      JSON.stringify({
        offers: [WORKED_EXAMPLE.offers[0]],
        bids: [{ ...WORKED_EXAMPLE.bids[1], quantity: '10' }],
      }),
    );
    const gains = run('clear', none, '--timestamp', T0, '--format', 'table').out;
    expect(gains).toContain('pool purchases 0,');
    expect(gains).not.toMatch(/warning/);
  });

  it('the pool prices docs/configuration.md recommends do not lose money where the defaults do', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Pool prices'), doc.indexOf('## In TypeScript'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(json).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'mgc-fr-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, json!);
    // The issue's case: heat offered at 0.09, left idle after scenario 1 (one small bid).
    const book = join(dir, 'heat.json');
    writeFileSync(
      book,
      JSON.stringify({
        offers: [
          { id: 'h1', participant: 'plant', carrier: 'heat', quantity: '20', price: '0.09' },
        ],
        bids: [{ id: 'b1', participant: 'home', carrier: 'heat', quantity: '2', price: '0.15' }],
      }),
    );
    const byDefault = run('clear', book, '--timestamp', T0, '--format', 'table').out;
    expect(byDefault).toMatch(/^warning: the platform's income is negative \(-7\.7376\)/m);
    // Written as JSON (a file, or stdout), the RESULT stays clean and the warning goes to stderr.
    const toFile = run('clear', book, '--timestamp', T0, '--out', join(dir, 'default.json'));
    expect(toFile.err.split('\n')[0]).toMatch(/^warning: the platform's income is negative/);
    const toStdout = run('clear', book, '--timestamp', T0);
    expect(JSON.parse(toStdout.out).settlement.platform.income).toMatch(/^-/);
    expect(toStdout.err).toMatch(/^warning: the platform's income is negative/);
    const out = join(dir, 'result.json');
    const r = run('clear', book, '--timestamp', T0, '--config', config, '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/warning/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.poolPurchases).toEqual([]);
    expect(result.unsold).toEqual([
      { offerId: 'h1', carrier: 'heat', quantity: '18', reason: 'price_above_pool' },
    ]);
    expect(Number(result.settlement.platform.income)).toBeGreaterThan(0);
    const worked = join(dir, 'worked.json');
    writeFileSync(worked, JSON.stringify(WORKED_EXAMPLE));
    const table = run('clear', worked, '--timestamp', T0, '--config', config, '--format', 'table');
    expect(table.out).not.toMatch(/warning/);
  });
});
