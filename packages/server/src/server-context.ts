/** What every route of one server shares: the ledger, its metrics and logger, and the limits. */
import type { Ledger } from "@pacioli/engine";
import type { Logger } from "./observability/logger.js";
import type { ServerMetrics } from "./observability/server-metrics.js";

export interface ServerContext {
  readonly ledger: Ledger;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly commandWaitMs: number;
  readonly retryAfterSeconds: number;
  /** Aborted when the server starts shutting down: long polls answer with what they have. */
  readonly shutdown: AbortSignal;
  /** Command types the codecs know (a metric label takes no other value). */
  readonly commandTypes: ReadonlySet<string>;
}
