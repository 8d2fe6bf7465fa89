/**
 * The core in a real browser (README "Install": "any modern browser"). The package's browser entry
 * `dist/index.js` is bundled by esbuild for `platform: 'browser'` — a Node built-in anywhere in
 * its import graph fails the bundle — served from 127.0.0.1 as an ES module and run in headless
 * Chromium. In the page it clears the worked example of docs/rules.md §12 and two seeded books of
 * 10,000 orders a side (one as objects, one as JSON text), chains the three blocks, verifies the
 * chain, re-executes a cycle, and proves and checks transactions. Every block hash, result JSON
 * and proof must be byte for byte what Node computes from the same inputs.
 *
 * Needs `dist/` (`npx tsup`; `npm test` builds it first) and Chromium at `/usr/bin/chromium` or
 * `CHROMIUM_PATH` (Debian: `apt-get install -y chromium`). Without Chromium the browser tests are
 * skipped under a name that says so; the bundle check still runs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { type BuildResult, build, type Message, type Metafile } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateBook, generateBookText } from '../../src/cli/generators.js';
import {
  type Block,
  type ChainEntry,
  type ClearingConfig,
  type CycleResult,
  clearCycle,
  type OrderBook,
  proveTransaction,
  type TransactionProof,
  verifyChain,
  verifyProof,
} from '../../src/index.js';
import { nodeSha256Hasher } from '../../src/node/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'index.js');
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const NO_CHROMIUM = `Chromium not found at ${CHROMIUM}; install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH to run the browser tests`;
if (!HAVE_CHROMIUM) console.log(`browser.test.ts: SKIPPED: ${NO_CHROMIUM}`);

/** Chromium as root on a closed network: no sandbox, no GPU, no background calls home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The core's public API, as the page sees it (the bundle's exports). */
type Core = typeof import('../../src/index.js');

/** The chain cleared in both engines: the worked example, then two books of 10k orders a side. */
interface Cycle {
  readonly name: string;
  /** A book as objects, or as its JSON text (the engine's text reader). */
  readonly book: OrderBook | string;
  readonly config: ClearingConfig;
  readonly timestamp: string;
}

const SIZE = 10_000;
const cycles = once((): readonly Cycle[] => [
  { name: 'worked example', book: WORKED_EXAMPLE, config: {}, timestamp: T0 },
  {
    name: `${SIZE} random orders a side, as objects`,
    book: generateBook({
      kind: 'random',
      size: SIZE,
      seed: 19,
      carriers: ['electricity', 'heat', 'cold', 'gas'],
    }),
    config: {},
    timestamp: '2026-01-01T00:01:00Z',
  },
  {
    name: `${SIZE} all-or-none orders a side, as JSON text`,
    book: generateBookText({
      kind: 'all-or-none',
      size: SIZE,
      seed: 20,
      carriers: ['electricity'],
    }),
    config: {
      ranking: 'unit-price',
      pricing: 'ask',
      absorb: 'all',
      commission: { kind: 'flat', rate: '0.01' },
    },
    timestamp: '2026-01-01T00:01:30Z',
  },
]);

/** The same chain, cleared in Node from the sources. */
const nodeChain = once((): readonly CycleResult[] => {
  const out: CycleResult[] = [];
  for (const c of cycles()) {
    const previous = out.at(-1)?.block;
    out.push(
      clearCycle(
        c.book,
        c.config,
        previous ? { timestamp: c.timestamp, previous } : { timestamp: c.timestamp },
      ),
    );
  }
  return out;
});

/**
 * A browser bundle of one dist entry: one ES module, nothing external. esbuild refuses a Node
 * built-in for `platform: 'browser'` ("Could not resolve \"node:fs\""), which fails the bundle
 * here with esbuild's messages.
 */
async function bundle(entry: string): Promise<BuildResult<{ write: false; metafile: true }>> {
  try {
    return await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors ?? [];
    const lines = errors.map((m) => `${m.location?.file ?? ''}: ${m.text}`);
    throw new Error(
      `esbuild cannot bundle ${relative(ROOT, entry)} for the browser:\n${lines.join('\n') || String(e)}`,
    );
  }
}

const browserBundle = once(async (): Promise<{ code: string; metafile: Metafile }> => {
  if (!existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: build dist with \`npx tsup\` first`);
  const out = await bundle(ENTRY);
  return { code: out.outputFiles[0]!.text, metafile: out.metafile };
});

/** Where two long texts first differ, with some context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const near = (t: string) => t.slice(Math.max(0, i - 80), i + 80);
  return `lengths ${a.length} and ${b.length}, first difference at ${i}: …${near(a)}… vs …${near(b)}…`;
}

describe('the browser bundle of dist/index.js', () => {
  it('bundles for platform "browser" from dist, decimal.js and @noble/hashes alone, importing nothing', async () => {
    const { code, metafile } = await browserBundle();
    const inputs = Object.keys(metafile.inputs);
    const packages = new Set(
      inputs.map((f) => {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
        return m ? m[1] : relative(ROOT, join(process.cwd(), f)).split('/')[0];
      }),
    );
    expect([...packages].sort()).toEqual(['@noble/hashes', 'decimal.js', 'dist']);
    // A `browser` field mapping a module to false would leave a hole instead of failing.
    expect(inputs.filter((f) => f.startsWith('(disabled)'))).toEqual([]);
    expect(Object.values(metafile.outputs).flatMap((o) => o.imports)).toEqual([]);
    expect(code).toContain('clearCycle');
  });

  it('fails on a Node built-in: the Node entry does not bundle for the browser', async () => {
    // The control: the same options on dist/node.js (node:crypto, worker_threads) must fail,
    // else the check above would pass whatever the core imported.
    await expect(bundle(join(ROOT, 'dist', 'node.js'))).rejects.toThrow(
      /cannot bundle dist\/node\.js for the browser:\n.*Could not resolve "(node:)?(crypto|worker_threads|os)"/,
    );
  });
});

describe.skipIf(!HAVE_CHROMIUM)(
  HAVE_CHROMIUM ? `the core in headless Chromium (${CHROMIUM})` : `SKIPPED: ${NO_CHROMIUM}`,
  () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];
    const strayRequests: string[] = [];

    beforeAll(async () => {
      const { code } = await browserBundle();
      const html =
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>microgrid-clearing</title>' +
        '<script type="module">import * as core from "/microgrid-clearing.js"; ' +
        'globalThis.core = core; document.title = "ready";</script>';
      server = createServer((req, res) => {
        const [type, body] =
          req.url === '/'
            ? ['text/html; charset=utf-8', html]
            : req.url === '/microgrid-clearing.js'
              ? ['text/javascript; charset=utf-8', code]
              : [undefined, undefined];
        if (body === undefined) {
          strayRequests.push(String(req.url));
          res.writeHead(404).end();
        } else res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
      });
      await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
      const { port } = server.address() as AddressInfo;

      // launch() gives Chromium a fresh profile in a temporary directory, removed on close.
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        timeout: 20_000,
      });
      page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(`console.error: ${m.text()}`);
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      try {
        await page.waitForFunction(
          () => (globalThis as { document?: { title: string } }).document?.title === 'ready',
          undefined,
          { timeout: 10_000 },
        );
      } catch (e) {
        throw new Error(`the page did not load the bundle: ${pageErrors.join('; ') || String(e)}`);
      }
    }, 30_000);

    // Nothing the page did may have thrown or logged an error (each reported once).
    afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
      // Nor asked for a file other than the page and the bundle.
      expect(strayRequests).toEqual([]);
    });

    /**
     * Runs `task(core, arg, kept)` in the page — `core` is the bundle's exports, `kept` an object
     * that lives as long as the page — and returns its (awaited) result. The task must use nothing
     * from this file but types: its source text is what runs. Data crosses as JSON text both ways,
     * since Playwright's own serialiser takes seconds over 20,000 orders.
     */
    async function inPage<A, R>(
      task: (core: Core, arg: A, kept: Record<string, unknown>) => R,
      arg: A,
    ): Promise<Awaited<R>> {
      const text = await page.evaluate(
        async ([source, json]) => {
          const g = globalThis as unknown as { core: Core; kept?: Record<string, unknown> };
          g.kept ??= {};
          const run = new Function(`return (${source});`)() as (
            core: Core,
            arg: unknown,
            kept: Record<string, unknown>,
          ) => unknown;
          return JSON.stringify(await run(g.core, JSON.parse(json), g.kept)) ?? 'null';
        },
        [task.toString(), JSON.stringify(arg) ?? 'null'] as const,
      );
      return JSON.parse(text) as Awaited<R>;
    }

    /**
     * The chain cleared in the page: its blocks, and each result's JSON as its SHA-256 (Web
     * Crypto) and length — 7 MB a 10k result need not cross unless it differs. The results, their
     * JSON and the chain entries (blocks with their transaction records) stay in the page.
     */
    const pageChain = once(() =>
      inPage(async (core, input: readonly Cycle[], kept) => {
        const results: CycleResult[] = [];
        for (const c of input) {
          const previous = results.at(-1)?.block;
          const options = previous
            ? { timestamp: c.timestamp, previous }
            : { timestamp: c.timestamp };
          results.push(core.clearCycle(c.book, c.config, options));
        }
        const json = results.map((r) => JSON.stringify(r));
        kept['results'] = results;
        kept['json'] = json;
        kept['entries'] = results.map(
          (r): ChainEntry => ({ ...r.block, transactions: core.transactionRecords(r) }),
        );
        const subtle = (
          globalThis as unknown as {
            crypto: { subtle: { digest(a: string, d: Uint8Array): Promise<ArrayBuffer> } };
          }
        ).crypto.subtle;
        const digests = await Promise.all(
          json.map((t) => subtle.digest('SHA-256', new TextEncoder().encode(t))),
        );
        return {
          blocks: results.map((r) => r.block),
          json: json.map((t, i) => ({
            length: t.length,
            sha256: core.toHex(new Uint8Array(digests[i]!)),
          })),
        };
      }, cycles()),
    );

    it("runs in Chromium's JavaScript engine, not Node's", async () => {
      expect(browser!.version()).toMatch(/^\d+\./);
      const where = await inPage((core) => {
        const g = globalThis as unknown as {
          navigator: { userAgent: string };
          process?: unknown;
          require?: unknown;
        };
        return {
          userAgent: g.navigator.userAgent,
          process: typeof g.process,
          require: typeof g.require,
          clearCycle: typeof core.clearCycle,
        };
      }, null);
      expect(where).toEqual({
        userAgent: expect.stringContaining('HeadlessChrome/'),
        process: 'undefined',
        require: 'undefined',
        clearCycle: 'function',
      });
    });

    it('clears the worked example of docs/rules.md §12 as Node does', async () => {
      await pageChain();
      const worked = await inPage(
        (_, __: null, kept) => (kept['results'] as CycleResult[])[0]!,
        null,
      );
      expect(worked.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual([
        ['c2', 's1', '8', '0.325'],
        ['c3', 's3', '2', '0.55'],
        ['c3', 's2', '1', '0.5'],
        ['c1', 's2', '4', '0.425'],
      ]);
      expect(worked.settlement.platform.income).toBe('-0.726');
      expect(JSON.stringify(worked)).toBe(JSON.stringify(nodeChain()[0]));
    });

    it('seals the same blocks and results as Node for 10,000 orders a side', async () => {
      const { blocks, json } = await pageChain();
      const node = nodeChain();
      expect(blocks.map((b) => b.height)).toEqual([0, 1, 2]);
      for (const [i, r] of node.entries()) {
        const what = `block ${i} (${cycles()[i]!.name})`;
        expect(blocks[i]!.hash, what).toBe(r.block.hash);
        expect(blocks[i], what).toEqual(r.block);
        const text = JSON.stringify(r);
        const sha256 = createHash('sha256').update(text).digest('hex');
        if (json[i]!.sha256 !== sha256) {
          const theirs = await inPage((_, k: number, kept) => (kept['json'] as string[])[k]!, i);
          expect.fail(`${what}: the result JSON differs, ${firstDifference(theirs, text)}`);
        }
        expect(json[i]).toEqual({ length: text.length, sha256 });
      }
      // The big books really traded, on every carrier and in the pool.
      expect(node[1]!.trades.length).toBeGreaterThan(1000);
      expect(node[2]!.trades.length).toBeGreaterThan(1000);
      expect(node[1]!.carriers.map((c) => c.carrier)).toEqual([
        'electricity',
        'heat',
        'cold',
        'gas',
      ]);
      expect(node[2]!.poolPurchases.length).toBeGreaterThan(0);
      // Node's own SHA-256 (node:crypto) agrees with every hash the browser sealed.
      expect(verifyChain(blocks, nodeSha256Hasher)).toEqual({ ok: true });
    });

    it("gives the JSON Node's ClearingPool.clearToJson writes (worker threads, node:crypto)", async () => {
      const { blocks, json } = await pageChain();
      // The service path: the built Node entry, its own JSON writer and SHA-256, on threads.
      const { ClearingPool } = (await import(
        new URL('../../dist/node.js', import.meta.url).href
      )) as typeof import('../../src/node/index.js');
      const pool = new ClearingPool({ workers: 1 });
      try {
        const texts = await pool.clearToJson(
          cycles().map((c, i) => ({
            book: c.book,
            config: c.config,
            timestamp: c.timestamp,
            previous: i === 0 ? undefined : blocks[i - 1],
          })),
        );
        expect(
          texts.map((t) => ({
            length: t.length,
            sha256: createHash('sha256').update(t).digest('hex'),
          })),
        ).toEqual(json);
      } finally {
        await pool.close();
      }
    });

    it('verifies the chain in the browser, Merkle roots included, and finds forged blocks', async () => {
      await pageChain();
      const verdicts = await inPage((core, _: null, kept) => {
        const own = kept['entries'] as ChainEntry[];
        const txs = [...own[1]!.transactions!];
        const t = txs[txs.length - 1]!;
        txs[txs.length - 1] = { ...t, quantity: `${t.quantity}1` };
        const forged = own.map((e, i) => (i === 1 ? { ...e, transactions: txs } : e));
        const skipped = [own[0]!, own[2]!];
        return [own, forged, skipped].map((chain) => core.verifyChain(chain));
      }, null);
      expect(verdicts).toEqual([
        { ok: true },
        { ok: false, height: 1, reason: expect.stringMatching(/merkle/i) },
        { ok: false, height: 1, reason: expect.stringMatching(/height/) },
      ]);
    });

    it('re-executes a 10k cycle in the browser (verifyCycle)', async () => {
      const verdicts = await inPage(
        (core, { cycle, block }: { cycle: Cycle; block: Block }) => [
          core.verifyCycle(cycle.book, cycle.config, block),
          core.verifyCycle(cycle.book, { ...cycle.config, pricing: 'bid' }, block),
        ],
        { cycle: cycles()[2]!, block: nodeChain()[2]!.block },
      );
      expect(verdicts).toEqual([{ ok: true }, { ok: false, reason: expect.any(String) }]);
    });

    it('proves and checks transactions in the browser exactly as Node does', async () => {
      await pageChain();
      const node = nodeChain();
      // First, middle and last transaction of each 10k block.
      const wanted = [1, 2].flatMap((height) => {
        const n = node[height]!.block.transactionCount;
        return [0, Math.floor(n / 2), n - 1].map((index) => ({ height, index }));
      });
      const fromNode = wanted.map(({ height, index }) => proveTransaction(node[height]!, index));
      const out = await inPage(
        (
          core,
          {
            wanted,
            fromNode,
          }: { wanted: { height: number; index: number }[]; fromNode: TransactionProof[] },
          kept,
        ) => {
          const results = kept['results'] as CycleResult[];
          const blockOf = (i: number) => results[wanted[i]!.height]!.block;
          const proofs = wanted.map(({ height, index }) =>
            core.proveTransaction(results[height]!, index),
          );
          return {
            proofs,
            own: proofs.map((p, i) => core.verifyProof(p, blockOf(i))),
            nodes: fromNode.map((p, i) => core.verifyProof(p, blockOf(i))),
            tampered: proofs.map((p, i) =>
              core.verifyProof(
                { ...p, transaction: { ...p.transaction, amount: `${p.transaction.amount}1` } },
                blockOf(i),
              ),
            ),
            otherBlock: proofs.map((p, i) =>
              core.verifyProof(p, results[3 - wanted[i]!.height]!.block),
            ),
          };
        },
        { wanted, fromNode },
      );
      expect(out.proofs).toEqual(fromNode);
      expect(out.proofs.every((p) => p.path.length > 0)).toBe(true);
      expect(out.own).toEqual(Array(6).fill({ ok: true }));
      expect(out.nodes).toEqual(Array(6).fill({ ok: true }));
      expect(out.tampered).toEqual(Array(6).fill({ ok: false, reason: expect.any(String) }));
      expect(out.otherBlock).toEqual(
        Array(6).fill({ ok: false, reason: 'the proof is for another block' }),
      );
      // The browser's proofs hold in Node, against Node's own blocks.
      for (const [i, p] of out.proofs.entries())
        expect(verifyProof(p, node[wanted[i]!.height]!.block)).toEqual({ ok: true });
    });
  },
);
