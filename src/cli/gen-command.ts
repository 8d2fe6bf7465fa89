/**
 * `microgrid-clearing gen`: a seeded synthetic BOOK, streamed to a file.
 *
 * @module
 * @internal
 */
import { CARRIERS, type Carrier } from '../index.js';
import type { Io } from './commands.js';
import { dayProfile } from './demo.js';
import { BOOK_KINDS, type BookKind, bookText, type GenerateOptions } from './generators.js';
import { AtomicFile, CliError } from './io.js';

export interface GenArgs {
  readonly size?: string | undefined;
  readonly kind?: string | undefined;
  readonly seed?: string | undefined;
  readonly carriers?: string | undefined;
  readonly out?: string | undefined;
}

/** Parses `1e6`, `250000` or `250_000` as a positive whole number of orders. */
export function parseSize(text: string, what: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError(`${what} must be a whole number ≥ 1, got "${text}"`, 2);
  return n;
}

export function genOptions(args: Omit<GenArgs, 'out'>): GenerateOptions {
  const kind = (args.kind ?? 'random') as BookKind;
  if (!BOOK_KINDS.includes(kind))
    throw new CliError(`--kind must be one of ${BOOK_KINDS.join(', ')}, got "${args.kind}"`, 2);
  const carriers = (args.carriers ?? 'electricity').split(',') as Carrier[];
  for (const c of carriers)
    if (!CARRIERS.includes(c))
      throw new CliError(`--carriers: unknown carrier "${c}"; expected ${CARRIERS.join(', ')}`, 2);
  const seed = args.seed === undefined ? 42 : parseSize(args.seed, '--seed');
  return {
    kind,
    size: parseSize(args.size ?? '1000', '--size'),
    seed,
    carriers,
    profile: kind === 'realistic' ? dayProfile() : undefined,
  };
}

export function runGen(args: GenArgs, io: Io, progress: boolean): number {
  if (args.out === undefined) throw new CliError('gen needs --out FILE (books can be large)', 2);
  const o = genOptions(args);
  const file = new AtomicFile(args.out);
  const total = 2 * o.size;
  let done = 0;
  const tick = () => {
    done++;
    if (progress && done % 100_000 === 0)
      io.err(`\r  ${Math.round((100 * done) / total)} % of ${total} orders`);
  };
  try {
    // Every piece but three (the brackets around each side) is an order: progress is approximate.
    for (const piece of bookText(o, true)) {
      file.write(piece);
      tick();
    }
  } catch (err) {
    file.abort();
    throw err;
  }
  file.commit();
  if (progress) io.err('');
  io.err(
    `wrote ${args.out}: ${o.size} offers and ${o.size} bids, ${o.kind}, seed ${o.seed}, ${o.carriers.join(', ')}`,
  );
  return 0;
}
