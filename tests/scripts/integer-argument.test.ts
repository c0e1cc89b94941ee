import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integerArgument } from '../../scripts/integer-argument';

const argv = ['node', 'chaos.ts', '--tasks', '12', '--seed', '0', '--kills', 'many', '--pages'];

describe('integerArgument', () => {
  it('reads the value after the option, and the fallback when the option is absent', () => {
    assert.equal(integerArgument('--tasks', 100, argv), 12);
    assert.equal(integerArgument('--count', 10_000, argv), 10_000);
  });

  it('refuses zero, a word and a missing value, naming the option', () => {
    assert.throws(() => integerArgument('--seed', 1, argv), /--seed needs a positive integer/);
    assert.throws(() => integerArgument('--kills', 1, argv), /--kills needs/);
    assert.throws(() => integerArgument('--pages', 1, argv), /--pages needs/);
  });

  it('reads the process command line by default', () => {
    assert.equal(integerArgument('--no-such-option-here', 7), 7);
  });
});
