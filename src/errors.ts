/**
 * Errors raised by microgrid-clearing.
 *
 * Two classes only: {@link ValidationError} for input that breaks the contract (it lists every
 * problem at once), and {@link ClearingError} for a request that is well-formed but cannot be
 * carried out (a timestamp earlier than the chain tip, a custom policy that returns a bad fee).
 *
 * @module
 */
import { keepShape } from './internal/shapes.js';

/**
 * One problem found in an input.
 *
 * @example
 * ```ts
 * const issue: Issue = { path: 'bids[3].price', code: 'invalid_decimal', message: 'expected a plain decimal string such as "0.43"' };
 * ```
 */
export interface Issue {
  /** Where the problem is, in JavaScript accessor notation: `bids[3].price`, `fixedPrice.heat`; `''` for the whole input. */
  readonly path: string;
  /** A stable machine-readable code, e.g. `invalid_decimal`, `duplicate_id`. See {@link IssueCode}. */
  readonly code: IssueCode;
  /** A sentence for people. Its wording may change between versions; match on `code`. */
  readonly message: string;
}

/**
 * Every code an {@link Issue} may carry.
 *
 * @example
 * ```ts
 * const code: IssueCode = 'duplicate_id';
 * ```
 */
export type IssueCode =
  | 'invalid_json'
  | 'invalid_type'
  | 'required'
  | 'unknown_field'
  | 'invalid_decimal'
  | 'number_not_allowed'
  | 'negative'
  | 'not_positive'
  | 'too_many_decimals'
  | 'too_large'
  | 'out_of_range'
  | 'unknown_carrier'
  | 'duplicate_id'
  | 'invalid_id'
  | 'too_many_orders'
  | 'invalid_value'
  | 'invalid_timestamp';

/**
 * Input that breaks the contract: thrown by `parseBook`, `parseConfig` and `clearCycle`.
 * `issues` lists every problem found, not only the first one.
 *
 * @example
 * ```ts
 * import { parseBook, ValidationError } from 'microgrid-clearing';
 * try {
 *   parseBook({ offers: [], bids: [{ id: 'c1', participant: 'h1', carrier: 'electricity', quantity: '4', price: 0.45 }] });
 * } catch (err) {
 *   if (err instanceof ValidationError) console.log(err.issues.map((i) => `${i.path}: ${i.code}`));
 *   // → [ 'bids[0].price: number_not_allowed' ]
 * }
 * ```
 */
export class ValidationError extends Error {
  /** Every problem found, in input order. Never empty. */
  readonly issues: readonly Issue[];

  /**
   * @param issues - the problems; the message summarises the first few.
   */
  constructor(issues: readonly Issue[]) {
    const head = issues
      .slice(0, 3)
      .map((i) => `${i.path || '(input)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
    super(`${issues.length} invalid input${issues.length === 1 ? '' : 's'}: ${head}${more}`);
    this.name = 'ValidationError';
    this.issues = Object.freeze(issues.slice());
  }
}

/**
 * Codes of {@link ClearingError}.
 *
 * @example
 * ```ts
 * const code: ClearingErrorCode = 'timestamp_before_previous';
 * ```
 */
export type ClearingErrorCode =
  | 'timestamp_before_previous'
  | 'invalid_previous'
  | 'invalid_fee'
  | 'invalid_option'
  | 'unknown_order'
  | 'duplicate_order'
  | 'invalid_proof'
  | 'invalid_block';

/**
 * A well-formed request that cannot be carried out.
 *
 * @example
 * ```ts
 * import { ClearingError } from 'microgrid-clearing';
 * const err = new ClearingError('timestamp_before_previous', 'cycle timestamp is earlier than the previous block');
 * console.log(err.code); // 'timestamp_before_previous'
 * ```
 */
export class ClearingError extends Error {
  /** A stable machine-readable code. */
  readonly code: ClearingErrorCode;

  /**
   * @param code - the stable code.
   * @param message - a sentence for people.
   */
  constructor(code: ClearingErrorCode, message: string) {
    super(message);
    this.name = 'ClearingError';
    this.code = code;
  }
}

/**
 * Whether a value is a {@link ValidationError} (also across bundle copies, by name and shape).
 *
 * @param value - anything caught.
 * @returns `true` when `value` is a ValidationError.
 * @example
 * ```ts
 * import { isValidationError, parseBook } from 'microgrid-clearing';
 * try { parseBook('{'); } catch (e) { if (isValidationError(e)) console.log(e.issues[0]?.code); } // 'invalid_json'
 * ```
 */
export function isValidationError(value: unknown): value is ValidationError {
  return (
    value instanceof ValidationError ||
    (value instanceof Error &&
      value.name === 'ValidationError' &&
      Array.isArray((value as { issues?: unknown }).issues))
  );
}

/**
 * A path, or something that spells one when an issue is reported: validators walking millions of
 * orders reuse one {@link OrderPath} instead of building a string per field. @internal
 */
export type PathLike = string | { toString(): string };

/** `side[index].field`, mutable and reused while a side of a book is read. @internal */
export class OrderPath {
  index = 0;
  field = '';
  constructor(private readonly side: string) {
    keepShape(this);
  }
  /** This path pointed at `field` (`''`: the order itself). */
  at(field: string): this {
    this.field = field;
    return this;
  }
  toString(): string {
    const order = `${this.side}[${this.index}]`;
    return this.field === '' ? order : `${order}.${this.field}`;
  }
}

/** Collects issues while a validator walks an input. @internal */
export class IssueList {
  readonly items: Issue[] = [];

  constructor() {
    keepShape(this);
  }
  add(path: PathLike, code: IssueCode, message: string): void {
    this.items.push({ path: String(path), code, message });
  }
  get size(): number {
    return this.items.length;
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new ValidationError(this.items);
  }
}
