/**
 * Routes the renderer's requests to the service. Nothing reaches the service unless it comes
 * from our window's main frame, names a known channel, fits its schema, and names only paths the
 * user chose. Free of Electron imports, so that it is tested with fake senders.
 */
import type { Result, ServiceClient } from '../../shared/contract';
import type { GrantedPaths } from '../service/server/granted-paths';
import { gateRequest } from '../service/server/request-gate';

/** What main knows of the frame a message came from. */
export interface SenderInfo {
  webContentsId: number;
  isMainFrame: boolean;
  url: string;
}

export interface TrustedWindow {
  webContentsId: number;
  /** The origin our page is served from, e.g. `app://ocr-desk`. */
  origin: string;
}

export interface RouterLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Our window's main frame, showing our own page; not an iframe, not another window. */
export function isTrustedSender(sender: SenderInfo, trusted: TrustedWindow | null): boolean {
  if (!trusted || sender.webContentsId !== trusted.webContentsId || !sender.isMainFrame)
    return false;
  // Custom schemes have no URL origin in Node, so the served prefix is compared instead.
  return sender.url.startsWith(`${trusted.origin}/`);
}

export class IpcRouter {
  constructor(
    private readonly client: ServiceClient,
    private readonly grants: GrantedPaths,
    private readonly trustedWindow: () => TrustedWindow | null,
    private readonly log: RouterLog,
  ) {}

  /** Answers one request; never throws. */
  async handle(sender: SenderInfo, message: unknown): Promise<Result<unknown>> {
    if (!isTrustedSender(sender, this.trustedWindow())) {
      this.log.warn('request from a foreign sender refused', { url: sender.url.slice(0, 200) });
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: 'Requests are accepted only from the OCR Desk window.',
        },
      };
    }
    const envelope = (typeof message === 'object' && message !== null ? message : {}) as {
      channel?: unknown;
      payload?: unknown;
    };
    const gated = gateRequest(envelope.channel, envelope.payload, this.grants);
    if (!gated.ok) {
      this.log.warn('request refused', {
        channel: String(envelope.channel).slice(0, 80),
        reason: gated.error.message,
      });
      return gated;
    }
    try {
      return await this.client.request(gated.channel, gated.payload);
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: String(error) } };
    }
  }
}
