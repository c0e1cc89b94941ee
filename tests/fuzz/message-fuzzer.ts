/**
 * Random and malformed messages for every request channel, from a seeded generator so that a
 * failing run can be replayed: wrong types, missing and extra keys, huge and negative numbers,
 * prototype keys, deep nesting, long strings, paths the user never chose, broken JSON.
 */
import { CHANNELS } from '../../shared/contract';

/** Mulberry32: small, fast and seedable; quality is irrelevant here, replayability is not. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paths a compromised page might name: system files, traversal, devices, the data folder. */
export const FORBIDDEN_PATHS = [
  '/etc/passwd',
  '/etc/shadow',
  '/proc/self/environ',
  '/dev/zero',
  '/dev/urandom',
  '/root/.ssh/id_rsa',
  '../../../../etc/hosts',
  'relative.png',
  '/tmp/../etc/passwd',
  '\\\\?\\C:\\Windows\\win.ini',
  'file:///etc/passwd',
  'http://127.0.0.1:1/x.png',
  '/',
  '',
];

const NASTY_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  'a'.repeat(70_000),
  '${process.exit()}',
  "'; DROP TABLE tasks; --",
  '%s%n%x',
  '../'.repeat(40),
];

const NASTY_NUMBERS = [
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e308,
  -0,
  2 ** 31,
  2 ** 53 + 1,
];

const KEYS = [
  'paths',
  'taskId',
  'taskIds',
  'priority',
  'options',
  'patch',
  'formats',
  'destinationDir',
  'pageIndex',
  'maxSidePx',
  'includeResults',
  'afterId',
  'limit',
  'offset',
  'statuses',
  'search',
  'order',
  'queue',
  'engine',
  'pool',
  'pages',
  'device',
  '__proto__',
  'constructor',
];

export class MessageFuzzer {
  private readonly random: () => number;

  constructor(
    seed: number,
    /** Paths the user did choose, so that some requests are valid and reach the service. */
    private readonly grantedPaths: string[] = [],
  ) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private string(): string {
    if (this.chance(0.3)) return this.pick(NASTY_STRINGS);
    if (this.chance(0.3)) return this.pick([...FORBIDDEN_PATHS, ...this.grantedPaths]);
    const length = Math.floor(this.random() * 40);
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(this.random() * 0xffff));
    return out;
  }

  /** Any JSON value, nested up to `depth`. */
  value(depth = 3): unknown {
    const kind = Math.floor(this.random() * (depth > 0 ? 8 : 5));
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick(NASTY_NUMBERS) * (this.chance(0.5) ? 1 : Math.floor(this.random() * 100));
      case 3:
      case 4:
        return this.string();
      case 5:
        return Array.from({ length: Math.floor(this.random() * 5) }, () => this.value(depth - 1));
      default:
        return this.object(depth - 1);
    }
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const count = Math.floor(this.random() * 5);
    for (let i = 0; i < count; i++) {
      const key = this.chance(0.8) ? this.pick(KEYS) : this.string();
      Object.defineProperty(out, key, {
        value: this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  /** A payload shaped like a real request of `channel` with some part wrong, or valid. */
  private payload(channel: string): unknown {
    if (this.chance(0.15)) return this.value();
    const paths = () =>
      Array.from({ length: 1 + Math.floor(this.random() * 3) }, () =>
        this.pick([...FORBIDDEN_PATHS, ...this.grantedPaths, this.string()]),
      );
    // A switch, not a lookup table: a channel named `__proto__` must not reach Object.prototype.
    const base = this.shapedPayload(channel, paths);
    if (this.chance(0.3)) {
      for (const [key, value] of Object.entries(this.object(1))) {
        Object.defineProperty(base, key, { value, enumerable: true, writable: true });
      }
    }
    return base;
  }

  private shapedPayload(channel: string, paths: () => string[]): Record<string, unknown> {
    switch (channel) {
      case 'submit':
        return { paths: paths(), priority: this.pick(NASTY_NUMBERS) };
      case 'export':
        return {
          taskIds: [this.string()],
          formats: [this.pick(['txt', 'json', 'pdf', 'hocr', 'alto', 'exe', ''])],
          destinationDir: this.pick(FORBIDDEN_PATHS),
        };
      case 'setConfig':
        return { patch: this.object(2) };
      case 'getPageImage':
        return {
          taskId: this.string(),
          pageIndex: this.pick(NASTY_NUMBERS),
          maxSidePx: this.pick(NASTY_NUMBERS),
        };
      case 'listTasks':
        return { limit: this.pick(NASTY_NUMBERS), search: this.string(), offset: -1 };
      default:
        return { taskId: this.string() };
    }
  }

  /** One request envelope as an object (for the Electron router). */
  envelope(): unknown {
    if (this.chance(0.05)) return this.value();
    const channel = this.chance(0.85) ? this.pick(CHANNELS) : this.string();
    const envelope: Record<string, unknown> = { channel, payload: this.payload(channel) };
    if (this.chance(0.05)) delete envelope.payload;
    return envelope;
  }

  /** One WebSocket text frame: mostly request-shaped JSON, some of it broken. */
  wireText(id: number): string {
    if (this.chance(0.05)) return this.string();
    if (this.chance(0.03)) return '{"type":"request","id":' + id + ',"channel":"submit","payload":';
    if (this.chance(0.02)) return '['.repeat(5000) + ']'.repeat(5000);
    const message: Record<string, unknown> = {
      type: this.chance(0.92) ? 'request' : this.value(0),
      id: this.chance(0.95) ? id : this.value(0),
      ...(this.envelope() as object),
    };
    return JSON.stringify(message);
  }
}
