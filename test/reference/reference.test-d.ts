import { describe, expectTypeOf, it } from 'vitest';
import { clearCycle, clearCycleReference } from '../../src/index.js';

describe('clearCycleReference', () => {
  it('has exactly the signature and return type of clearCycle', () => {
    expectTypeOf(clearCycleReference).toEqualTypeOf(clearCycle);
    expectTypeOf(clearCycleReference).parameters.toEqualTypeOf<Parameters<typeof clearCycle>>();
    expectTypeOf(clearCycleReference).returns.toEqualTypeOf<ReturnType<typeof clearCycle>>();
  });
});
