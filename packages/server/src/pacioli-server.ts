/**
 * `@pacioli/server`: the engine behind an HTTP/1.1 JSON API on Fastify (ADR 0009).
 *
 * `openPacioliServer` opens the ledger on the given store (wrapped to time appends and
 * snapshots), builds the routes, and returns a server that can `listen` or be driven in
 * process with `app.inject`. `close` is the graceful shutdown: readiness turns 503, long
 * polls answer, the listener stops taking connections, in-flight requests finish (their
 * commands complete), then the ledger and the store close.
 */
import {
  openLedger,
  StoreError,
  type Clock,
  type EventStore,
  type Ledger,
  type OpenLedgerOptions,
} from "@pacioli/engine";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { sendJson, sendProblem } from "./http/problem.js";
import {
  BODY_BYTES_MAX,
  COMMAND_WAIT_MS_DEFAULT,
  REQUEST_TIMEOUT_MS,
  RETRY_AFTER_SECONDS,
} from "./limits.js";
import { silentLogger, type Logger } from "./observability/logger.js";
import { serverMetrics, type ServerMetrics } from "./observability/server-metrics.js";
import { timedEventStore } from "./observability/timed-event-store.js";
import { inSpan } from "./observability/tracing.js";
import { apiDescription } from "./openapi/openapi-document.js";
import { registerAuditRoute } from "./routes/audit-route.js";
import { registerCommandRoutes } from "./routes/command-routes.js";
import { registerEventsRoute } from "./routes/events-route.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerWalletRoutes } from "./routes/wallet-routes.js";
import type { ServerContext } from "./server-context.js";

export interface PacioliServerOptions {
  readonly store: EventStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Engine options other than the store and clock (ledger id, batch sizes, snapshots). */
  readonly ledger?: Omit<OpenLedgerOptions, "store" | "clock">;
  readonly bodyBytesMax?: number;
  /** How long a command request waits for its decision before a 503 (default 10 s). */
  readonly commandWaitMs?: number;
}

export interface PacioliServer {
  readonly app: FastifyInstance;
  readonly ledger: Ledger;
  readonly metrics: ServerMetrics;
  /** Starts taking connections; resolves with the address, e.g. http://127.0.0.1:8080. */
  listen(host: string, port: number): Promise<string>;
  /** Graceful shutdown (idempotent): see the module comment. */
  close(): Promise<void>;
}

export async function openPacioliServer(options: PacioliServerOptions): Promise<PacioliServer> {
  const logger = options.logger ?? silentLogger;
  // Metrics exist before the ledger (they time its opening appends); read once it is open.
  const opening: { ledger?: Ledger } = {};
  const metrics = serverMetrics(async () => {
    const ledger = opening.ledger;
    return {
      sequence: ledger?.sequence ?? 0,
      storeVersion: ledger === undefined ? 0 : await ledger.store.streamVersion(ledger.stream),
    };
  });
  const store = timedEventStore(options.store, metrics);
  const opened = await inSpan("pacioli.replay", {}, () =>
    openLedger({
      ...options.ledger,
      store,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      onWarning: (message) => logger.warn({ component: "engine" }, message),
    }),
  );
  opening.ledger = opened;
  logger.info({ stream: opened.stream, sequence: opened.sequence }, "ledger opened");
  const shutdown = new AbortController();
  const description = apiDescription(opened.registry);
  const context: ServerContext = {
    ledger: opened,
    metrics,
    logger,
    commandWaitMs: options.commandWaitMs ?? COMMAND_WAIT_MS_DEFAULT,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    shutdown: shutdown.signal,
    commandTypes: new Set(description.commandTypes),
  };
  const app = buildApp(context, options.bodyBytesMax ?? BODY_BYTES_MAX);
  app.get("/openapi.json", async (_request, reply) => sendJson(reply, 200, description.document));
  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  let closing: Promise<void> | undefined;
  return {
    app,
    ledger: opened,
    metrics,
    async listen(host, port) {
      const address = await app.listen({ host, port });
      logger.info({ address }, "listening");
      return address;
    },
    close() {
      closing ??= (async () => {
        logger.info({ sequence: opened.sequence }, "shutting down: finishing in-flight requests");
        shutdown.abort();
        await app.close();
        await opened.close();
        await store.close();
        logger.info({ sequence: opened.sequence }, "stopped");
      })();
      return closing;
    },
  };
}

function buildApp(context: ServerContext, bodyBytesMax: number): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: bodyBytesMax,
    requestTimeout: REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  // JSON only: a text/plain body is a 415, not a string handed to the decoder.
  app.removeContentTypeParser(["text/plain"]);
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    context.metrics.httpRequests.inc({
      route,
      method: request.method,
      code: String(reply.statusCode),
    });
    context.metrics.httpSeconds.observe(
      { route, method: request.method },
      reply.elapsedTime / 1000,
    );
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(reply, 404, "not-found", `no route ${request.method} ${request.url.slice(0, 200)}`),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof StoreError) {
      context.logger.warn(
        { route: request.routeOptions.url ?? "unmatched", error: error.message },
        "store unavailable",
      );
      return sendProblem(
        reply.header("retry-after", String(context.retryAfterSeconds)),
        503,
        "unavailable",
        `the store is unavailable: ${error.message}`,
      );
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500)
      return sendProblem(
        reply,
        statusCode,
        "malformed",
        error.message,
        error.code === undefined ? {} : { code: error.code },
      );
    context.logger.error(
      { route: request.routeOptions.url ?? "unmatched", error: error.message, stack: error.stack },
      "internal error",
    );
    return sendProblem(reply, 500, "error", "internal error; the server logged it");
  });
  registerCommandRoutes(app, context);
  registerWalletRoutes(app, context);
  registerAuditRoute(app, context);
  registerEventsRoute(app, context);
  registerHealthRoutes(app, context);
  return app;
}
