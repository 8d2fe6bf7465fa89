/**
 * Per-carrier config fields (`fixedPrice`, `poolBuyPrice`, `poolCapacity`, `gridPrice`, …): one
 * decimal for all carriers or `{ carrier: decimal }`, each checked with the field's rule.
 *
 * @module
 * @internal
 */
import { formatScaled } from '../decimal/decimal.js';
import type { IssueList } from '../errors.js';
import { CARRIERS, type Carrier } from '../model/types.js';
import { checkDecimal, describe, isRecord, join } from './common.js';

const CARRIER_SET: ReadonlySet<string> = new Set(CARRIERS);

/** @internal A value for each carrier. */
export type CarrierMap<T> = { readonly [C in Carrier]: T };

function fill<T>(f: (c: Carrier) => T): CarrierMap<T> {
  return Object.freeze({
    electricity: f('electricity'),
    heat: f('heat'),
    cold: f('cold'),
    gas: f('gas'),
  });
}

/** A decimal for every carrier, or per carrier with `fallback` for absent ones. */
/** @internal */
export function perCarrier(
  value: unknown,
  path: string,
  rule: { scale: number; maxScaled: number; allowZero: boolean },
  scale: number,
  issues: IssueList,
  fallback: string,
): CarrierMap<string> | undefined {
  return perCarrierOver(
    value,
    path,
    rule,
    scale,
    issues,
    fill(() => fallback),
  );
}

/** @internal */
export function perCarrierOver(
  value: unknown,
  path: string,
  rule: { scale: number; maxScaled: number; allowZero: boolean },
  scale: number,
  issues: IssueList,
  fallback: CarrierMap<string> | undefined,
): CarrierMap<string> | undefined {
  const map = perCarrierMap(value, path, rule, scale, issues, true);
  if (map === undefined || fallback === undefined) return undefined;
  return fill((c) => map[c] ?? fallback[c]);
}

/** @internal */
export function perCarrierOptional(
  value: unknown,
  path: string,
  rule: { scale: number; maxScaled: number; allowZero: boolean },
  scale: number,
  issues: IssueList,
): CarrierMap<string | null> | undefined {
  return perCarrierMap(value, path, rule, scale, issues, true);
}

/** @internal `{ carrier: decimal }` (or, when `allowScalar`, one decimal for all); absent carriers are `null`. */
export function perCarrierMap(
  value: unknown,
  path: string,
  rule: { scale: number; maxScaled: number; allowZero: boolean },
  scale: number,
  issues: IssueList,
  allowScalar = false,
): CarrierMap<string | null> | undefined {
  if (value === undefined) return fill(() => null);
  if (allowScalar && !isRecord(value)) {
    const scaled = checkDecimal(value, path, rule, issues);
    return scaled === undefined ? undefined : fill(() => formatScaled(scaled, scale));
  }
  if (!isRecord(value)) {
    issues.add(path, 'invalid_type', `expected { carrier: decimal }, got ${describe(value)}`);
    return undefined;
  }
  const out: Partial<Record<Carrier, string | null>> = {};
  let ok = true;
  // Object.keys: own keys only, each value read once below.
  for (const key of Object.keys(value)) {
    if (!CARRIER_SET.has(key)) {
      issues.add(
        join(path, key),
        'unknown_carrier',
        `unknown carrier ${JSON.stringify(key)}; expected one of ${CARRIERS.join(', ')}`,
      );
      ok = false;
      continue;
    }
    const scaled = checkDecimal(value[key], join(path, key), rule, issues);
    if (scaled === undefined) ok = false;
    else out[key as Carrier] = formatScaled(scaled, scale);
  }
  return ok ? fill((c) => out[c] ?? null) : undefined;
}
