/**
 * A value built on first use inside a test, never while the file is collected: a broken engine
 * then fails the tests that use it instead of failing to load the file — which a mutation run
 * (Stryker's vitest runner) does not count as a failure.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
