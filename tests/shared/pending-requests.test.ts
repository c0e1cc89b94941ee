import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '../../shared/contract';
import { PendingRequests } from '../../shared/pending-requests';

test('each request gets a fresh id and the response given for that id', async () => {
  const pending = new PendingRequests();
  const sent: number[] = [];
  const first = pending.open<string>((id) => sent.push(id));
  const second = pending.open<string>((id) => sent.push(id));
  assert.deepEqual(sent, [1, 2]);

  pending.settle(2, { ok: true, value: 'two' });
  pending.settle(1, { ok: true, value: 'one' });
  assert.deepEqual(await first, { ok: true, value: 'one' });
  assert.deepEqual(await second, { ok: true, value: 'two' });
});

test('a second response, or one for an unknown id, is dropped', async () => {
  const pending = new PendingRequests();
  const answer = pending.open<number>(() => {});
  pending.settle(7, { ok: true, value: 7 });
  pending.settle(1, { ok: true, value: 1 });
  pending.settle(1, { ok: true, value: 2 });
  pending.failAll({ code: 'internal', message: 'gone' });
  assert.deepEqual(await answer, { ok: true, value: 1 });
});

test('a lost connection answers every open request with the error, and ids go on', async () => {
  const pending = new PendingRequests();
  const answers = [pending.open(() => {}), pending.open(() => {})];
  const error = { code: 'internal', message: 'The connection was lost' } as const;
  pending.failAll(error);
  const expected: Result<unknown> = { ok: false, error };
  assert.deepEqual(await Promise.all(answers), [expected, expected]);

  let nextId = 0;
  void pending.open((id) => (nextId = id));
  assert.equal(nextId, 3);
});

test('a throw while sending rejects that request', async () => {
  const pending = new PendingRequests();
  await assert.rejects(
    pending.open(() => {
      throw new TypeError('cannot serialise');
    }),
    /cannot serialise/,
  );
});
