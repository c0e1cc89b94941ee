/**
 * The short fuzz: 3,000 random and malformed messages at each door (Electron main's router in
 * front of a real service, the browser-mode WebSocket), no crash, no hang, every answer a
 * typed value, nothing read from a path the user did not choose. `npm run fuzz` runs 10,000.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz } from './run-fuzz';

test('3,000 fuzzed messages per door: no crash, no hang, nothing forbidden let through', async () => {
  const run = await runFuzz({ count: 3_000, seed: 20261204 });
  assert.deepEqual(run.problems, []);
  for (const report of run.reports) {
    assert.deepEqual(report.violations, [], report.target);
    assert.equal(report.answered, report.sent, `${report.target}: every message answered`);
    assert.ok(report.accepted > 0, `${report.target}: some well-formed requests got through`);
    assert.ok(
      Object.values(report.refusedByCode).reduce((a, b) => a + b, 0) > report.sent / 2,
      `${report.target}: most fuzzed messages were refused`,
    );
  }
});
