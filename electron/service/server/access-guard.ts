/**
 * Who may talk to the browser-mode server: only a page that knows the random access token and
 * comes from the server's own origin. Pure decisions, so that they can be tested without sockets.
 */
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'ocr_desk_token';

export interface AccessRequest {
  /** Request target, e.g. `/api/upload?token=…`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AccessDecision =
  | { allowed: true; tokenFrom: 'query' | 'cookie' | 'header' }
  | { allowed: false; status: 400 | 401 | 403; reason: string };

export interface AccessPolicy {
  token: string;
  port: number;
}

function header(request: AccessRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** decodeURIComponent that answers null for a malformed escape (`%E0%A4%A`) instead of throwing. */
export function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** A request target as a URL, or null when it cannot be parsed (`http://[`, for one). */
export function parseTarget(target: string): URL | null {
  try {
    return new URL(target, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** A cookie's decoded value: undefined when absent, null when its encoding is malformed. */
export function readCookie(
  cookieHeader: string | undefined,
  name: string,
): string | null | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeComponent(rest.join('='));
  }
  return undefined;
}

/** The origins a page served by us can have; anything else is a foreign site. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

type PresentedToken =
  { token: string; from: 'query' | 'cookie' | 'header' } | { malformed: string } | undefined;

/** The token the request carries; a target or cookie that cannot be parsed is named as such. */
function presentedToken(request: AccessRequest): PresentedToken {
  const target = parseTarget(request.url);
  if (!target) return { malformed: 'malformed request target' };
  const query = target.searchParams.get('token');
  if (query) return { token: query, from: 'query' };
  const authorization = header(request, 'authorization');
  if (authorization?.startsWith('Bearer '))
    return { token: authorization.slice(7), from: 'header' };
  const cookie = readCookie(header(request, 'cookie'), TOKEN_COOKIE);
  if (cookie === null) return { malformed: 'malformed token cookie' };
  if (cookie) return { token: cookie, from: 'cookie' };
  return undefined;
}

/**
 * Decides one HTTP request or WebSocket upgrade. The Host check stops DNS rebinding (a foreign
 * name resolving to 127.0.0.1); the Origin check stops other sites' pages, which a browser lets
 * send requests (and cookies) to loopback.
 */
export function decideAccess(request: AccessRequest, policy: AccessPolicy): AccessDecision {
  const host = header(request, 'host');
  const hosts = ownOrigins(policy.port).map((origin) => origin.slice('http://'.length));
  if (!host || !hosts.includes(host)) {
    return { allowed: false, status: 403, reason: 'foreign host' };
  }

  const origin = header(request, 'origin');
  if (origin !== undefined && !ownOrigins(policy.port).includes(origin)) {
    return { allowed: false, status: 403, reason: 'foreign origin' };
  }

  const presented = presentedToken(request);
  if (!presented) return { allowed: false, status: 401, reason: 'missing token' };
  if ('malformed' in presented) return { allowed: false, status: 400, reason: presented.malformed };
  if (!sameSecret(presented.token, policy.token)) {
    return { allowed: false, status: 403, reason: 'wrong token' };
  }
  return { allowed: true, tokenFrom: presented.from };
}
