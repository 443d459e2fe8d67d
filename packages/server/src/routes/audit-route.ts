/**
 * `GET /audit`: the chain head and the trial balance of what the server holds in memory. It
 * is a live reading, not an audit: it reports no verdict (no "clean"), because it replays
 * nothing. The full audit, every invariant from the stored bytes, is `pacioli audit`.
 */
import type { FastifyInstance } from "fastify";
import { moneyText } from "../http/money-text.js";
import { sendJson } from "../http/problem.js";
import type { ServerContext } from "../server-context.js";

export function registerAuditRoute(app: FastifyInstance, context: ServerContext): void {
  const { ledger } = context;
  app.get("/audit", async (_request, reply) => {
    const registry = ledger.registry;
    const trialBalance = [...ledger.trialBalance()]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([currency, total]) => ({ currency, total: moneyText(registry, total, currency) }));
    return sendJson(reply, 200, {
      stream: ledger.stream,
      sequence: ledger.sequence,
      headHash: ledger.headHash,
      trialBalance,
      trialBalanceIsZero: [...ledger.trialBalance().values()].every((total) => total === 0n),
    });
  });
}
