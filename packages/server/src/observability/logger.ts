/**
 * The logger the server writes to: pino's call shape (`logger.info({ fields }, "message")`),
 * so a service passes its pino instance, or anything with these four methods. At info level
 * the server logs routes, statuses, command types, idempotency keys and timings, never bodies
 * (a command's metadata may carry personal data) nor headers (they may carry credentials).
 */
export interface Logger {
  debug(fields: Readonly<Record<string, unknown>>, message?: string): void;
  info(fields: Readonly<Record<string, unknown>>, message?: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message?: string): void;
  error(fields: Readonly<Record<string, unknown>>, message?: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** One JSON line per entry on a writable (the CLI's standard error), at info and above. */
export function jsonLineLogger(write: (line: string) => void): Logger {
  const entry = (level: string) => (fields: Readonly<Record<string, unknown>>, message?: string) =>
    write(
      `${JSON.stringify({ level, time: new Date().toISOString(), ...fields, ...(message === undefined ? {} : { msg: message }) })}\n`,
    );
  return { debug: ignore, info: entry("info"), warn: entry("warn"), error: entry("error") };
}
