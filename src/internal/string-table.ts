/**
 * Numbering strings: an open-addressing hash table in typed arrays, for the millions of ids and
 * participants of a large book.
 *
 * @module
 * @internal
 */

import { type Allocator, HEAP } from './arena.js';
import { keepShape } from './shapes.js';

/** The longest probe run tolerated before the table hands its work to a `Map`. */
const MAX_PROBE = 64;

/** @internal FNV-1a over the UTF-16 code units of `s`, 32 bits. */
export function fnv1a(s: string): number {
  return fnv1aAt(s, 0, s.length);
}

/** @internal {@link fnv1a} of the code units of `text` from `from` up to `to`. */
export function fnv1aAt(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * @internal Numbers distinct strings 0, 1, 2, … in order of first {@link add}. About three times
 * faster than a `Map` on millions of short strings (no per-entry objects, no rehash while the
 * expected count holds). The hash is not keyed, so a book could be made of colliding strings:
 * a probe run longer than {@link MAX_PROBE} moves every entry into a `Map` (whose hash V8 seeds
 * per process), which keeps the worst case that of a `Map`.
 */
export class StringTable {
  /**
   * Two cells a slot: the string's number (-1: empty) and its hash, so a probe past another
   * string compares two integers in the same cache line instead of visiting that string.
   */
  private slots: Int32Array;
  private mask: number;
  private map: Map<string, number> | undefined;
  /** The strings by number. */
  readonly names: string[] = [];

  /**
   * @param expected - how many strings are likely to be added (the table grows past it).
   * @param memory - where the first slots come from (a larger table is made on its own).
   */
  constructor(expected: number, memory: Allocator = HEAP) {
    keepShape(this);
    let size = 16;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the table grows as needed (speed only)
    while (size < 2 * expected) size *= 2;
    this.slots = memory.i32(2 * size).fill(-1);
    this.mask = size - 1;
  }

  /** How many distinct strings were added. */
  get size(): number {
    return this.names.length;
  }

  /** Whether the table moved to a `Map` (colliding strings). */
  get degraded(): boolean {
    return this.map !== undefined;
  }

  /** The number of `s`, or -1. */
  get(s: string): number {
    if (this.map !== undefined) return this.map.get(s) ?? -1;
    const names = this.names;
    const slots = this.slots;
    const h = fnv1a(s) | 0;
    let slot = h & this.mask;
    for (;;) {
      const at = slots[2 * slot]!;
      if (at === -1 || (slots[2 * slot + 1] === h && names[at] === s)) return at;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The number of `s`, given the next number when `s` is new. */
  add(s: string): number {
    const map = this.map;
    if (map !== undefined) {
      const known = map.get(s);
      if (known !== undefined) return known;
      const id = this.names.length;
      map.set(s, id);
      this.names.push(s);
      return id;
    }
    const names = this.names;
    const slots = this.slots;
    const h = fnv1a(s) | 0;
    let slot = h & this.mask;
    for (let probe = 0; ; probe++) {
      const at = slots[2 * slot]!;
      if (at === -1) break;
      if (slots[2 * slot + 1] === h && names[at] === s) return at;
      if (probe === MAX_PROBE) {
        this.degrade();
        return this.add(s);
      }
      slot = (slot + 1) & this.mask;
    }
    return this.insert(slot, h, s);
  }

  /** Numbers the new string `s` of hash `h` next, in the empty `slot`. */
  private insert(slot: number, h: number, s: string): number {
    const names = this.names;
    const slots = this.slots;
    const id = names.length;
    slots[2 * slot] = id;
    slots[2 * slot + 1] = h;
    names.push(s);
    // Stryker disable next-line EqualityOperator: growing one string earlier numbers the same (speed only)
    if (4 * names.length > slots.length) this.grow();
    return id;
  }

  /**
   * {@link add} of `text.slice(from, to)`, which is made only when it is new: a name seen before
   * is compared in place and its first string is returned with its number, in {@link names}.
   */
  addSpan(text: string, from: number, to: number): number {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: add() numbers the slice the same, and probing an emptied table degrades again (speed only)
    if (this.map !== undefined) return this.add(text.slice(from, to));
    const names = this.names;
    const slots = this.slots;
    const h = fnv1aAt(text, from, to) | 0;
    let slot = h & this.mask;
    for (let probe = 0; ; probe++) {
      const at = slots[2 * slot]!;
      if (at === -1) return this.insert(slot, h, text.slice(from, to));
      if (slots[2 * slot + 1] === h) {
        const name = names[at]!;
        if (name.length === to - from && text.startsWith(name, from)) return at;
      }
      if (probe === MAX_PROBE) {
        this.degrade();
        return this.add(text.slice(from, to));
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Doubles the table, keeping it at most half full; the stored hashes place every string. */
  private grow(): void {
    const old = this.slots;
    const size = old.length;
    const slots = new Int32Array(2 * size).fill(-1);
    const mask = size - 1;
    for (let k = 0; k < old.length; k += 2) {
      const id = old[k]!;
      if (id === -1) continue;
      const h = old[k + 1]!;
      let slot = h & mask;
      // Stryker disable next-line UpdateOperator: only bounds the worst case's time; a rehash places every string
      for (let probe = 0; slots[2 * slot] !== -1; probe++) {
        if (probe === MAX_PROBE) {
          this.degrade();
          return;
        }
        slot = (slot + 1) & mask;
      }
      slots[2 * slot] = id;
      slots[2 * slot + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }

  private degrade(): void {
    const map = new Map<string, number>();
    for (let id = 0; id < this.names.length; id++) map.set(this.names[id]!, id);
    this.map = map;
    this.slots = new Int32Array(0);
  }
}
