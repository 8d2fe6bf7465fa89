/** Where the benchmarks write their tables in the docs. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in `path` with `table`;
 * writes the table alone to a new file, and refuses (throws) an existing file without both markers
 * rather than overwrite it.
 */
export function writeBetweenMarkers(path: string, name: string, table: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (!existsSync(path)) {
    writeFileSync(path, `${table}\n`);
    return;
  }
  const old = readFileSync(path, 'utf8');
  const i = old.indexOf(start);
  const j = old.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${path} has no ${start} … ${end} markers to write between`);
  writeFileSync(path, `${old.slice(0, i + start.length)}\n${table}\n${old.slice(j)}`);
}
