// Browser mode's access decisions: token, Origin and Host, without sockets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAccess, readCookie, TOKEN_COOKIE } from '../../electron/service/server/access-guard';
import { safeFileName } from '../../electron/service/server/file-drop-box';

const policy = { token: 'secret-token-123', port: 4567 };
const host = { host: '127.0.0.1:4567' };

describe('access guard', () => {
  it('admits the token from the query, a bearer header or the cookie', () => {
    assert.deepEqual(decideAccess({ url: '/?token=secret-token-123', headers: host }, policy), {
      allowed: true,
      tokenFrom: 'query',
    });
    const bearer = decideAccess(
      { url: '/ws', headers: { ...host, authorization: 'Bearer secret-token-123' } },
      policy,
    );
    assert.equal(bearer.allowed, true);
    const cookie = decideAccess(
      { url: '/app.js', headers: { ...host, cookie: `a=b; ${TOKEN_COOKIE}=secret-token-123` } },
      policy,
    );
    assert.equal(cookie.allowed, true);
  });

  it('refuses a missing token with 401 and a wrong one with 403', () => {
    assert.deepEqual(decideAccess({ url: '/', headers: host }, policy), {
      allowed: false,
      status: 401,
      reason: 'missing token',
    });
    const wrong = decideAccess({ url: '/?token=secret-token-124', headers: host }, policy);
    assert.equal(wrong.allowed, false);
    assert.equal(!wrong.allowed && wrong.status, 403);
    const short = decideAccess({ url: '/?token=s', headers: host }, policy);
    assert.equal(!short.allowed && short.status, 403);
  });

  it('refuses a foreign Origin or Host even with the right token', () => {
    const url = '/?token=secret-token-123';
    for (const origin of [
      'http://evil.example',
      'http://127.0.0.1:4568',
      'null',
      'https://127.0.0.1:4567',
    ]) {
      const decision = decideAccess({ url, headers: { ...host, origin } }, policy);
      assert.equal(!decision.allowed && decision.status, 403, origin);
    }
    const rebound = decideAccess({ url, headers: { host: 'evil.example:4567' } }, policy);
    assert.equal(!rebound.allowed && rebound.status, 403);
    assert.equal(
      decideAccess({ url, headers: { ...host, origin: 'http://localhost:4567' } }, policy).allowed,
      true,
    );
  });

  it('answers a malformed cookie or request target with 400, not a throw', () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/', { cookie: `${TOKEN_COOKIE}=%E0%A4%A` }, 'malformed token cookie'],
      ['/ws', { cookie: `a=b; ${TOKEN_COOKIE}=%` }, 'malformed token cookie'],
      ['http://[', {}, 'malformed request target'],
      ['http://[?token=secret-token-123', {}, 'malformed request target'],
    ];
    for (const [url, headers, reason] of cases) {
      assert.deepEqual(
        decideAccess({ url, headers: { ...host, ...headers } }, policy),
        { allowed: false, status: 400, reason },
        `${url} ${JSON.stringify(headers)}`,
      );
    }
    // Another cookie's bad encoding is none of our business.
    const other = decideAccess(
      { url: '/', headers: { ...host, cookie: `x=%E0; ${TOKEN_COOKIE}=secret-token-123` } },
      policy,
    );
    assert.equal(other.allowed, true);
  });

  it('reads cookies and makes upload names safe', () => {
    assert.equal(readCookie('x=1; y=two%20words', 'y'), 'two words');
    assert.equal(readCookie(undefined, 'y'), undefined);
    assert.equal(readCookie('y=%E0%A4%A', 'y'), null);
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('folder\\..\\evil.png'), 'evil.png');
    assert.equal(safeFileName('..'), '_');
    assert.equal(safeFileName('a<b>:c.png'), 'a_b__c.png');
    assert.equal(safeFileName(''), 'upload');
  });
});
