/**
 * `microgrid-clearing`: the command line (docs/file-formats.md). The only place with a clock, the console and
 * process exit codes. Errors are printed one a line, never with a stack trace.
 *
 * @module
 * @internal
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ClearingError } from '../errors.js';
import { runBench } from './bench.js';
import { DEFAULT_LOCK_TIMEOUT_MS, type Io, runClear, runVerify } from './commands.js';
import { runDemo } from './demo.js';
import { runGen } from './gen-command.js';
import { CliError, describeErrno, EXIT_IO, oneLine, writeStd } from './io.js';
import { isLedgerUrl, runLedgerClear, runLedgerVerify } from './ledger.js';

const HELP: Record<string, string> = {
  main: `microgrid-clearing: clear peer-to-peer energy markets and verify their chains

Usage: microgrid-clearing <command> [options]

Commands:
  clear BOOK.json    clear one cycle and print or write its RESULT
  verify CHAIN.jsonl check every block hash, link and Merkle root of a chain
  gen                write a seeded synthetic BOOK (random, adversarial, all-or-none, realistic)
  bench              time every phase of a cycle on seeded books, against the floor
  demo               clear the worked example, then a real day of a 17-home microgrid

Run "microgrid-clearing <command> --help" for a command's options; --version prints the version.`,
  clear: `Usage: microgrid-clearing clear BOOK.json [options]     (BOOK.json "-": read the book from stdin)

Clears one cycle of BOOK.json (docs/file-formats.md; the rules: docs/rules.md) and writes the RESULT JSON.

Options:
  --config FILE      CONFIG JSON (every field optional)
  --timestamp T      the block's ISO 8601 UTC time (default: now, to the second)
  --previous FILE    the previous block, or a RESULT file holding it
  --chain FILE       a chain file (JSONL): under its lock (FILE.lock), check the whole chain,
                     chain to its last block, write the RESULT, then append the new block
  --lock-timeout S   seconds to wait while another process holds the chain's lock (default 120)
  --ledger URL       a shared ledger in PostgreSQL, postgres://user@host:port/db[?schema=s]#market:
                     chain to the market's last block there and append the new one (needs "pg")
  --out FILE         write the RESULT there, whole or not at all (default: stdout); a FIFO or a
                     device is written through, a symbolic link's target replaced
  --format F         stdout format: json (default) or table
  --skip-invalid     clear the valid orders and list the refused ones on stderr
  -h, --help         this text

Exit status: 0 cleared; 1 invalid input or a chain that does not verify (every problem on stderr,
one a line); 2 usage; 74 a file or stdout could not be read or written; 75 the chain stayed locked.
What a crash or a concurrent run can leave: docs/operations.md.`,
  verify: `Usage: microgrid-clearing verify CHAIN.jsonl
       microgrid-clearing verify postgres://user@host:port/db[?schema=s]#market

Checks a chain stored one block a line, oldest first (or a market's chain in a PostgreSQL
ledger): every hash, link, timestamp order and, where a line carries its transactions, the
Merkle root.

Exit status: 0 valid; 1 names the first bad block's height and why; 2 usage.`,
  gen: `Usage: microgrid-clearing gen --out BOOK.json [options]

Writes a seeded synthetic BOOK, streamed (10^6 orders a side fit in little memory).

Options:
  --size N           orders a side (default 1000; 1e6 and 1_000_000 are fine)
  --kind K           random (default), adversarial (q × p order opposite to unit price),
                     all-or-none (a third of the bids), realistic (around the CityLearn day)
  --carriers LIST    comma-separated carriers, orders spread over them (default electricity)
  --seed S           the seed (default 42): the same seed writes the same bytes
  --out FILE         where to write (whole or not at all)`,
  bench: `Usage: microgrid-clearing bench [--size N] [--kinds LIST]

Clears seeded books of 10^3 … N orders a side (default 10^4) of each kind (random, random-text:
the random book as JSON text, realistic, adversarial, all-or-none, four-carriers), times every
phase of the cycle, block included, and the
floor (reading every decimal, two native sorts, writing and hashing the trade records).`,
  demo: `Usage: microgrid-clearing demo [--out DIR]

Clears the worked example of docs/rules.md §12, then a day of the Fontana microgrid (CityLearn 2022, 17 homes
with PV) hour by hour through a Market: writes DIR/chain.jsonl (default demo-output/), verifies it,
prints a summary per carrier and draws DIR/day-319.svg.`,
};

/**
 * stdout and stderr written synchronously on their descriptors: a write that fails (a full disk,
 * `/dev/full`, a closed pipe) is known at once and ends the run with one line and exit 74, never
 * with exit 0 and a short file, and never with a stack trace.
 */
function systemIo(): Io {
  return {
    out: (t) => writeStd(1, `${t}\n`),
    write: (t) => writeStd(1, t),
    err: (t) => writeStd(2, `${t}\n`),
    now: () => `${new Date().toISOString().slice(0, 19)}Z`,
  };
}

/**
 * Runs the CLI; returns the exit status — as a promise only for a PostgreSQL ledger
 * (`clear --ledger postgres://…`, `verify postgres://…`), whose driver is asynchronous.
 */
export function main(argv: readonly string[], io: Io = systemIo()): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v') {
      io.out(version());
      return 0;
    }
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP['main']!);
      return command === undefined ? 2 : 0;
    }
    if (!(command in HELP) || command === 'main')
      throw new CliError(`unknown command "${command}"\n\n${HELP['main']}`, 2);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        config: { type: 'string' },
        timestamp: { type: 'string' },
        previous: { type: 'string' },
        chain: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        'skip-invalid': { type: 'boolean' },
        size: { type: 'string' },
        kind: { type: 'string' },
        seed: { type: 'string' },
        carriers: { type: 'string' },
        kinds: { type: 'string' },
        'lock-timeout': { type: 'string' },
        ledger: { type: 'string' },
      },
    });
    if (values.help) {
      io.out(HELP[command]!);
      return 0;
    }
    switch (command) {
      case 'clear': {
        if (positionals.length !== 1)
          throw new CliError(`clear takes one BOOK.json\n\n${HELP['clear']}`, 2);
        const format = values.format ?? 'json';
        if (format !== 'json' && format !== 'table')
          throw new CliError(`--format must be json or table, got "${format}"`, 2);
        if (values.ledger !== undefined) {
          if (values.chain !== undefined || values.previous !== undefined)
            throw new CliError('--ledger keeps the chain: give no --chain or --previous', 2);
          if (values['skip-invalid'] === true)
            throw new CliError(
              '--skip-invalid is for files: a block in a shared ledger clears the whole book',
              2,
            );
          return settle(
            runLedgerClear(
              {
                book: positionals[0]!,
                config: values.config,
                timestamp: values.timestamp,
                out: values.out,
                format,
                skipInvalid: false,
                ledger: values.ledger,
              },
              io,
            ),
            io,
            command,
          );
        }
        return runClear(
          {
            book: positionals[0]!,
            config: values.config,
            timestamp: values.timestamp,
            previous: values.previous,
            chain: values.chain,
            out: values.out,
            format,
            skipInvalid: values['skip-invalid'] === true,
            lockTimeoutMs: lockTimeout(values['lock-timeout']),
          },
          io,
        );
      }
      case 'verify':
        if (positionals.length !== 1)
          throw new CliError(`verify takes one CHAIN.jsonl\n\n${HELP['verify']}`, 2);
        if (isLedgerUrl(positionals[0]!))
          return settle(runLedgerVerify(positionals[0]!, io), io, command);
        return runVerify(positionals[0]!, io);
      case 'gen':
        if (positionals.length !== 0)
          throw new CliError(`gen takes no positional arguments\n\n${HELP['gen']}`, 2);
        return runGen(values, io, process.stderr.isTTY === true);
      case 'bench':
        if (positionals.length !== 0)
          throw new CliError(`bench takes no positional arguments\n\n${HELP['bench']}`, 2);
        try {
          return runBench(values, io, process.stderr.isTTY === true);
        } catch (err) {
          if (err instanceof RangeError) throw new CliError(err.message, 2);
          throw err;
        }
      case 'demo':
        return runDemo(io, values.out ?? 'demo-output', process.stderr.isTTY === true);
    }
    return 2;
  } catch (err) {
    return failure(err, io, command);
  }
}

/** The exit status of a command's promise, its errors reported as a synchronous one's are. */
function settle(run: Promise<number>, io: Io, command: string | undefined): Promise<number> {
  return run.catch((err: unknown) => failure(err, io, command));
}

/** Reports what a command threw, in one line (never a stack), and gives its exit status. */
function failure(err: unknown, io: Io, command: string | undefined): number {
  if (err instanceof CliError) {
    io.err(err.message);
    return err.exitCode;
  }
  if (err instanceof ClearingError) {
    // As every other problem is printed: what is wrong, then its code.
    io.err(`${oneLine(err.message)} (${err.code})`);
    return 1;
  }
  if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`${(err as Error).message}\n\n${HELP[command ?? 'main'] ?? HELP['main']}`);
    return 2;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    io.err(`cannot go on: ${describeErrno(err)}`);
    return EXIT_IO;
  }
  io.err(`internal error: ${(err as Error).message ?? String(err)} (please report it)`);
  return 70;
}

/** The package's version, from the package.json beside the build (or the source tree). */
function version(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'microgrid-clearing' && typeof pkg.version === 'string')
        return `microgrid-clearing ${pkg.version}`;
    } catch {
      // not there: try the next place
    }
  }
  return 'microgrid-clearing (version unknown)';
}

function lockTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LOCK_TIMEOUT_MS;
  const s = Number(text);
  if (text.trim() === '' || !Number.isFinite(s) || s < 0)
    throw new CliError(`--lock-timeout must be a number of seconds ≥ 0, got "${text}"`, 2);
  return Math.round(s * 1000);
}

// Run when executed (the bin, or `tsx src/cli/main.ts`), not when imported by tests.
const invoked = process.argv[1] ?? '';
if (/(?:cli\.js|main\.ts|microgrid-clearing)$/.test(invoked)) {
  const status = main(process.argv.slice(2));
  if (typeof status === 'number') process.exitCode = status;
  else
    void status.then((code) => {
      process.exitCode = code;
    });
}
