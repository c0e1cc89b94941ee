/**
 * The service's one structured logger: one JSON object per line, naming the component and,
 * when there is one, the task. Lines go to stderr (the host process collects them) and,
 * when a file is given, to that file as well.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown> & { taskId?: string };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  component: string;
  level?: LogLevel;
  filePath?: string;
  /** Where lines go besides the file; stderr by default, nothing when null. */
  write?: ((line: string) => void) | null;
}

export function createLogger(options: LoggerOptions): Logger {
  const minRank = LEVEL_RANK[options.level ?? 'info'];
  const write =
    options.write === undefined ? (line: string) => process.stderr.write(line) : options.write;

  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minRank) return;
    const record = {
      time: new Date().toISOString(),
      level,
      component: options.component,
      pid: process.pid,
      message,
      ...fields,
    };
    const line = JSON.stringify(record, errorReplacer) + '\n';
    write?.(line);
    if (options.filePath) {
      try {
        appendFileSync(options.filePath, line);
      } catch {
        // A full or read-only disk must not take the service down; stderr still has the line.
      }
    }
  };

  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (component) =>
      createLogger({ ...options, component: `${options.component}/${component}` }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({
  component: 'silent',
  write: null,
  level: 'error',
});
