/**
 * @pacioli/server — the ledger over HTTP for services in any language: commands with
 * idempotency keys, balances, history, the audit reading and the change feed, an OpenAPI 3.1
 * document generated from the codecs, Prometheus metrics and OpenTelemetry spans.
 */
export {
  openPacioliServer,
  type PacioliServer,
  type PacioliServerOptions,
} from "./pacioli-server.js";
export { apiDescription, type ApiDescription } from "./openapi/openapi-document.js";
export { jsonLineLogger, silentLogger, type Logger } from "./observability/logger.js";
export { timedEventStore } from "./observability/timed-event-store.js";
export * from "./limits.js";
