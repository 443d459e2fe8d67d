import type { LedgerCommandJson } from "./ledger-command.js";

/** A command request as JSON: amounts are decimal strings, times ISO-8601. */
export interface CommandRequestJson {
  readonly idempotencyKey: string;
  readonly command: LedgerCommandJson;
  readonly commandId?: string;
  readonly actor?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly effectiveAt?: string;
}
