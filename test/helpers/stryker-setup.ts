import fc from 'fast-check';

// Under mutation testing a failing property should fail fast: shrinking a counterexample only
// helps a human reading it, and under Stryker's time limit it turns a killed mutant into a timeout.
fc.configureGlobal({ endOnFailure: true });
