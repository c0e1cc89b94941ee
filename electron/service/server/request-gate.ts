/**
 * The checks every request from a window passes before it reaches the service, in Electron main
 * and in browser mode alike: a known channel, a payload that fits its schema, and only paths the
 * user chose. Refusals are error values with a code.
 */
import { CHANNELS, type Channel, type RequestOf, type Result } from '../../../shared/contract';
import { parseRequest } from '../../../shared/schemas';
import type { GrantedPaths } from './granted-paths';

export type GateResult =
  | { ok: true; channel: Channel; payload: RequestOf<Channel> }
  | Extract<Result<never>, { ok: false }>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function gateRequest(channel: unknown, payload: unknown, grants: GrantedPaths): GateResult {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `Unknown channel: ${String(channel).slice(0, 80)}`,
      },
    };
  }

  const parsed = parseRequest(channel, payload);
  if (!parsed.ok) {
    return {
      ok: false,
      error: { code: 'invalid_request', message: `${channel}: ${parsed.message}` },
    };
  }

  if (channel === 'submit') {
    const { paths } = parsed.value as RequestOf<'submit'>;
    const refused = paths.find((path) => !grants.mayRead(path));
    if (refused !== undefined) {
      return {
        ok: false,
        error: { code: 'forbidden', message: `Not a file you opened or dropped: ${refused}` },
      };
    }
  }
  if (channel === 'export') {
    const { destinationDir } = parsed.value as RequestOf<'export'>;
    if (!grants.mayExportTo(destinationDir)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Exports go only to a folder you chose for them.' },
      };
    }
  }
  return { ok: true, channel, payload: parsed.value };
}
