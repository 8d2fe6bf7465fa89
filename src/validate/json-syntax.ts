/**
 * Where a JSON text first breaks the grammar (RFC 8259), for messages: `JSON.parse` names the
 * offending token but, for most mistakes (a trailing comma, a stray bracket), not its offset.
 *
 * @module
 * @internal
 */

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * @internal Where `text` stops being JSON — the start of the token that does not fit (a word or
 * number cut short is one), or its length when it ends before a value is complete — or -1 when
 * `text` is JSON. Linear; nests as deep as the text (callers check depth first).
 */
export function syntaxErrorAt(text: string): number {
  const p = new Locator(text);
  if (!p.value()) return p.at;
  p.blank();
  return p.at === text.length ? -1 : p.at;
}

/** A recursive-descent walk that stops at the first error, {@link at} pointing there. */
class Locator {
  at = 0;
  // Sticky patterns of this walk's own (their `lastIndex` is state).
  private readonly number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  private readonly hex4 = /[0-9A-Fa-f]{4}/y;
  constructor(private readonly text: string) {}

  blank(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at++;
    }
  }

  value(): boolean {
    this.blank();
    const c = this.text.charCodeAt(this.at);
    if (c === 0x7b) return this.container(0x7d, true);
    if (c === 0x5b) return this.container(0x5d, false);
    if (c === 0x22) return this.string();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return true;
      }
    }
    return this.match(this.number);
  }

  /** An object (`keyed`) or an array, from its opening bracket to `close`. */
  private container(close: number, keyed: boolean): boolean {
    this.at++;
    this.blank();
    if (this.text.charCodeAt(this.at) === close) {
      this.at++;
      return true;
    }
    for (;;) {
      if (keyed) {
        this.blank();
        if (this.text.charCodeAt(this.at) !== 0x22 || !this.string()) return false;
        this.blank();
        if (this.text.charCodeAt(this.at) !== 0x3a) return false;
        this.at++;
      }
      if (!this.value()) return false;
      this.blank();
      const c = this.text.charCodeAt(this.at);
      if (c === close) {
        this.at++;
        return true;
      }
      if (c !== 0x2c) return false;
      this.at++;
    }
  }

  private string(): boolean {
    const t = this.text;
    for (this.at++; this.at < t.length; this.at++) {
      const c = t.charCodeAt(this.at);
      if (c === 0x22) {
        this.at++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        this.at++;
        if (t[this.at] === 'u') {
          this.at++;
          if (!this.match(this.hex4)) return false;
          this.at--;
        } else if (!ESCAPES.has(t[this.at] ?? '')) return false;
      }
    }
    return false;
  }

  private match(re: RegExp): boolean {
    re.lastIndex = this.at;
    if (!re.test(this.text)) return false;
    this.at = re.lastIndex;
    return true;
  }
}
