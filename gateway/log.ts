/**
 * Structured logs: one JSON object per line, with the request's correlation id. Fields whose
 * name suggests a secret are replaced before anything is written, as a second line of defence
 * behind "never pass a token to the logger".
 */
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** A logger that adds these fields (e.g. the correlation id) to every line. */
  child(fields: LogFields): Logger;
}

const secretField = /token|secret|password|authorization|cookie|ticket|code_verifier|^code$|^state$|key/i;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] = secretField.test(name) ? '[redacted]' : value;
  }
  return out;
}

export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), base: LogFields = {}, now: () => number = Date.now): Logger {
  return {
    log(level, event, fields = {}) {
      write(JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...redact({ ...base, ...fields }) }));
    },
    child(fields) {
      return createJsonLogger(write, { ...base, ...fields }, now);
    },
  };
}

/** Collects lines in memory; tests assert on them (and on what they must never contain). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createJsonLogger((line) => lines.push(line));
  return Object.assign(logger, { lines });
}
