import pino, { type DestinationStream } from 'pino';

/**
 * The only fields a log line may carry. An allowlist, not a redaction list: vendor ids, fixed
 * codes and numbers. There is no field for a URL, a host, an IP, a barcode, a name, a pseudonym
 * or any patron value, so none can be logged by mistake.
 */
export interface LogFields {
  readonly vendor?: string;
  readonly outcome?: string;
  readonly status?: number;
  readonly code?: string;
  readonly kind?: string;
  readonly durationMs?: number;
  readonly count?: number;
  readonly port?: number;
  readonly vendors?: number;
  readonly patrons?: number;
  readonly skipped?: number;
  /** The request's id (src/log/request-ids.ts): a trusted proxy's safe id or a random UUID. */
  readonly requestId?: string;
  /** A fixed code from a protocol or library (an OAuth error code such as invalid_grant), never a message. */
  readonly reason?: string;
  /** Canonical field names (never their values). */
  readonly fields?: ReadonlyArray<string>;
}

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const ALLOWED: ReadonlyArray<keyof LogFields> = ['vendor', 'outcome', 'status', 'code', 'kind', 'durationMs', 'count', 'port', 'vendors', 'patrons', 'skipped', 'requestId', 'reason', 'fields'];

/** A pino logger behind the allowlist. `destination` defaults to standard output; tests pass a capture stream. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const base = pino({ level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, options.destination);
  const pick = (fields: LogFields | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!fields) return out;
    for (const key of ALLOWED) if (fields[key] !== undefined) out[key] = fields[key];
    return out;
  };
  return {
    info: (event, fields) => base.info(pick(fields), event),
    warn: (event, fields) => base.warn(pick(fields), event),
    error: (event, fields) => base.error(pick(fields), event),
  };
}
