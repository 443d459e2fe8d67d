/**
 * `GET /healthz` (the process answers) and `GET /readyz` (it takes commands: not shutting
 * down). A load balancer stops routing on the first 503 from /readyz during a shutdown.
 */
import type { FastifyInstance } from "fastify";
import { sendJson } from "../http/problem.js";
import type { ServerContext } from "../server-context.js";

export function registerHealthRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get("/healthz", async (_request, reply) => sendJson(reply, 200, { status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    if (context.shutdown.aborted)
      return sendJson(reply.header("retry-after", String(context.retryAfterSeconds)), 503, {
        status: "unavailable",
        message: "shutting down",
      });
    return sendJson(reply, 200, { status: "ready", sequence: context.ledger.sequence });
  });
}
