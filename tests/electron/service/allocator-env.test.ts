import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withEngineAllocator } from '../../../electron/service/allocator-env';

test('the engine process gets two malloc arenas and a fixed trim threshold', () => {
  const env = withEngineAllocator({ PATH: '/usr/bin' });
  assert.equal(env.MALLOC_ARENA_MAX, '2');
  assert.equal(env.MALLOC_TRIM_THRESHOLD_, String(4 * 1024 * 1024));
  assert.equal(env.PATH, '/usr/bin', 'the rest of the environment is passed on');
});

test('a malloc setting the user chose is kept', () => {
  assert.equal(withEngineAllocator({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX, '8');
});
