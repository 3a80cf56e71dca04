// The hub's logger: pino underneath (JSON lines, levels, redaction), with the
// `log.info(message, fields)` shape every call site and plugin already uses. Never give it
// request bodies or keys; the redaction paths are a second line of defence, not the first.
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentRequestId } from './request-context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** The pino logger underneath, for code that writes its own fields (the request line). */
  readonly pino: PinoLogger;
}

/** Where a secret could sit in an object someone logs by mistake. */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'apiKey',
  'api_key',
  '*.apiKey',
  '*.api_key',
];

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly bindings?: Record<string, unknown>;
  /** Receives each line (with its newline); default stderr. Tests capture lines with it. */
  readonly write?: (line: string) => void;
  /** A stream to write to instead (pino-pretty in development). */
  readonly destination?: DestinationStream;
}

export function makeLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? (options.write ? { write: options.write } : pino.destination({ fd: 2, sync: true }));
  const root = pino(
    {
      level: options.level,
      // No pid/hostname on each line: the process manager or container runtime records them once.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return wrap(options.bindings ? root.child(options.bindings) : root, Boolean(options.bindings?.requestId));
}

// `bound`: this logger's bindings already name the request, so the current one is not added twice.
function wrap(base: PinoLogger, bound: boolean): Logger {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (!base.isLevelEnabled(level)) return;
    const requestId = bound || fields?.requestId !== undefined ? undefined : currentRequestId();
    base[level](requestId ? { requestId, ...fields } : (fields ?? {}), message);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => wrap(base.child(fields), bound || fields.requestId !== undefined),
    pino: base,
  };
}
