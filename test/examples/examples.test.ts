import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/pg-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const run = (file: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(process.execPath, ['--import', 'tsx', join('examples', file)], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });

describe('examples/ run and print what they claim', () => {
  it('clear-a-book', () => {
    const out = run('clear-a-book.ts');
    // Eq. 2: pv-roof-9 (1.5 × 0.25 = 0.375) ranks before pv-roof-7 (3.2 × 0.21 = 0.672).
    expect(out).toContain('P2P  ev-3 <- pv-roof-9: 1.5 @ 0.325');
    expect(out).toContain('P2P  ev-3 <- pv-roof-7: 3.2 @ 0.305');
    expect(out).toContain('P2P  home-2-heat <- heat-pump: 12.5 @ 0.105');
    expect(out).toContain('pool ev-3 <- battery (storage): 1.3 @ 0.38');
    expect(out).toContain('bid ev-3: filled (insufficient_supply)');
  });
  it('verify-a-chain', () => {
    const out = run('verify-a-chain.ts');
    expect(out).toContain('chain: { ok: true }');
    expect(out).toContain('re-executed cycle: { ok: true }');
    expect(out).toContain('proof of trade 0: { ok: true }');
    expect(out).toMatch(/forged chain: \{\s+ok: false,\s+height: 1/);
  });
  it('custom-policies', () => {
    const out = run('custom-policies.ts');
    expect(out).toContain("supplierFee: '0.016'");
    expect(out).toContain('verifies with the node hasher: { ok: true }');
  });
});

describe('many-markets', () => {
  it('clears six markets a slot on warm threads and chains each', () => {
    const out = run('many-markets.ts');
    expect(out).toContain('slot 2: 6 markets, 6 trades');
    expect(out).toContain('north/heat price: 0.25');
    expect(out).toContain('north/heat chain: { ok: true }');
  });
});

describe('distributed', () => {
  it('clears 8 markets × 20 cycles on 3 worker processes, one killed, and every chain verifies', async () => {
    // The server the other PostgreSQL tests use (DATABASE_URL, else 127.0.0.1:5432, else an
    // embedded one): the example's own embedded server cannot start from a checkout under a
    // directory its unprivileged initdb user cannot enter (a `mktemp -d` clone, say).
    const server = await startServer();
    let out: string;
    try {
      out = run('distributed.ts', { ...process.env, DATABASE_URL: server.url });
    } finally {
      await server.stop();
    }
    expect(out).toContain('enqueued 8 markets × 20 cycles');
    expect(out).toContain('killed worker 1 with SIGKILL');
    expect(out).toContain('160 blocks, 160 distinct (market, height)');
    expect(out).toContain('every chain verifies: true (8 of 8)');
  }, 180_000);
});

describe('run-a-market', () => {
  it('refuses the bad order alone, rests, restores and chains', () => {
    const out = run('run-a-market.ts');
    expect(out).toContain('bad order: price: invalid_decimal');
    expect(out).toContain("cycle 0 trades: [ 'ev-3 2 @ 0.275' ]");
    expect(out).toContain("resting: [ 'pv-7 3' ]");
    expect(out).toContain("cycle 1 trades: [ 'heat-1 1 @ 0.225' ]");
    expect(out).toContain("pool bought: [ 'pv-7 2' ]");
    expect(out).toContain('chain: { ok: true }');
  });
});

describe('README', () => {
  it('quick start is examples/quick-start.ts, which the type-check covers and this test runs', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(join(ROOT, 'examples', 'quick-start.ts'), 'utf8'));
    const out = run('quick-start.ts');
    expect(out).toContain("price: '0.425'");
    expect(out).toContain("offerId: 's1'");
  });
  it('opens with the two set-up commands', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });
});
