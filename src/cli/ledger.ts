/**
 * The CLI on a shared ledger in PostgreSQL: `clear BOOK --ledger postgres://…#market` appends the
 * cycle's block to the market's chain in the database; `verify postgres://…#market` checks it.
 * `pg` is loaded only here, when a ledger URL is given (it is an optional peer dependency).
 *
 * @module
 * @internal
 */
import {
  type Block,
  type CycleResult,
  clearCycle,
  type OrderBook,
  ValidationError,
} from '../index.js';
import { nodeSha256Hasher } from '../node/index.js';
import { ChainConflictError, PostgresLedger } from '../postgres/index.js';
import type { SqlClient } from '../postgres/sql.js';
import { sqlState } from '../postgres/sql.js';
import type { ClearArgs, Io } from './commands.js';
import {
  cycleIssueLines,
  emitResult,
  readConfig,
  timestampError,
  warnIncome,
  writeResult,
} from './commands.js';
import { AtomicFile, CliError, oneLine, parseJson, readText } from './io.js';

/** A ledger address: `postgres://user@host:port/db?schema=name#market`. */
export interface LedgerUrl {
  readonly connectionString: string;
  readonly schema: string;
  readonly market: string;
}

/** Whether an argument names a PostgreSQL ledger rather than a file. */
export function isLedgerUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//.test(text);
}

/** Splits a ledger URL: the market after `#`, an optional `schema` query parameter. */
export function parseLedgerUrl(text: string): LedgerUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(
      `${redact(text)}: not a URL; expected postgres://user@host:port/database#market`,
      2,
    );
  }
  let market: string;
  try {
    market = decodeURIComponent(url.hash.slice(1));
  } catch {
    throw new CliError(`${redact(text)}: the market after "#" is not valid percent-encoding`, 2);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(market))
    throw new CliError(`${redact(text)}: the market's name holds a control character`, 2);
  if (url.searchParams.getAll('schema').length > 1)
    throw new CliError(`${redact(text)}: give "schema" once`, 2);
  if (market === '')
    throw new CliError(
      `${redact(text)}: name the market after "#" (postgres://…/database#zone-1/electricity)`,
      2,
    );
  const schema = url.searchParams.get('schema') ?? 'microgrid';
  url.searchParams.delete('schema');
  url.hash = '';
  return { connectionString: url.toString(), schema, market };
}

/** The URL without its password, for messages. */
function redact(text: string): string {
  return text.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

async function connect(
  url: LedgerUrl,
): Promise<{ client: SqlClient; ledger: PostgresLedger; close(): Promise<void> }> {
  let pg: typeof import('pg');
  try {
    pg = (await import('pg')).default as unknown as typeof import('pg');
  } catch {
    throw new CliError('a postgres:// ledger needs the "pg" package: npm install pg', 2);
  }
  const pool = new pg.Pool({ connectionString: url.connectionString, max: 2 });
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new CliError(
      `${redact(url.connectionString)}: cannot connect: ${oneLine((err as Error).message)}`,
      74,
    );
  }
  let ledger: PostgresLedger;
  try {
    ledger = new PostgresLedger(pool as unknown as SqlClient, {
      schema: url.schema,
      hasher: nodeSha256Hasher,
    });
  } catch (err) {
    await pool.end();
    throw new CliError(oneLine((err as Error).message), 2);
  }
  return { client: pool as unknown as SqlClient, ledger, close: () => pool.end() };
}

/**
 * `clear BOOK --ledger URL#market`: clears on the market's tip and appends; when another process
 * appended first (the height is taken), clears again on the new tip, up to 10 times.
 */
export async function runLedgerClear(
  args: ClearArgs & { ledger: string },
  io: Io,
): Promise<number> {
  const url = parseLedgerUrl(args.ledger);
  const config = readConfig(args.config, io);
  if (config === undefined) return 1;
  const text = readText(args.book);
  let book: unknown;
  try {
    book = parseJson(args.book, text);
  } catch (err) {
    io.err((err as Error).message);
    return 1;
  }
  const db = await connect(url);
  try {
    await db.ledger.migrate();
    for (let attempt = 1; ; attempt++) {
      const previous: Block | undefined = await db.ledger.tip(url.market);
      // The clock is read after the tip: a run that lost a race clears after the winner.
      const timestamp = args.timestamp ?? io.now();
      let result: CycleResult;
      try {
        result = clearCycle(book as OrderBook | string, config, {
          timestamp,
          previous,
          hasher: nodeSha256Hasher,
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw timestampError(err, args.timestamp);
        for (const line of cycleIssueLines(args.book, err.issues)) io.err(line);
        return 1;
      }
      // The result first, as for a chain file: written to its temporary file (so a bad --out
      // stops the run before anything is stored), made the file only once the block is in.
      const file = args.out === undefined ? undefined : new AtomicFile(args.out);
      let stored: Awaited<ReturnType<PostgresLedger['append']>>;
      try {
        if (file !== undefined) writeResult(result, (t) => file.write(t));
        stored = await db.ledger.append(url.market, result);
      } catch (err) {
        file?.abort();
        if (err instanceof ChainConflictError && err.reason === 'height_taken' && attempt < 10)
          continue;
        if (err instanceof ChainConflictError)
          throw new CliError(`${url.market}: ${oneLine(err.message)}; nothing appended`, 1);
        throw err;
      }
      let wrote: string | undefined;
      if (file !== undefined) {
        file.commit();
        wrote = `wrote ${args.out}${file.note === undefined ? '' : ` (${file.note})`}`;
      } else emitResult(result, args, io);
      warnIncome(result, args, io);
      io.err(
        `${wrote === undefined ? '' : `${wrote}; `}${stored.status === 'appended' ? 'appended' : 'found already stored'} block ${stored.height} ${result.block.hash} in ${url.market}`,
      );
      return 0;
    }
  } finally {
    await db.close();
  }
}

/** `verify URL#market`: the market's whole chain as stored, Merkle roots included. */
export async function runLedgerVerify(address: string, io: Io): Promise<number> {
  const url = parseLedgerUrl(address);
  const db = await connect(url);
  try {
    const where = `${redact(address)}`;
    let verdict: Awaited<ReturnType<PostgresLedger['verify']>>;
    try {
      verdict = await db.ledger.verify(url.market);
    } catch (err) {
      if (sqlState(err) === '42P01' || sqlState(err) === '3F000')
        throw new CliError(`${where}: schema "${url.schema}" holds no ledger`, 1);
      throw err;
    }
    if (!verdict.ok) {
      io.err(`${where}: block ${verdict.height}: ${oneLine(verdict.reason)}`);
      return 1;
    }
    const tip = await db.ledger.tip(url.market);
    if (tip === undefined) {
      io.err(`${where}: market ${JSON.stringify(url.market)} has no blocks in this ledger`);
      return 1;
    }
    const n = tip.height + 1;
    io.out(
      `${where}: ok, ${n} block${n === 1 ? '' : 's'} verified (hashes, links and Merkle roots)`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
