/**
 * `GET /wallets/{id}/balances` and `GET /wallets/{id}/history`: the wallet's holder's view,
 * amounts as decimal strings in the currency's exponent. History is newest first, a page at
 * a time; `nextCursor` (a sequence) fetches the next page, null on the last. Each line carries
 * the command's id, key, actor and metadata and the counterparty (`walletHistoryLineJson`).
 */
import { ID_PATTERN } from "@pacioli/core";
import { walletHistoryLineJson } from "@pacioli/engine";
import type { FastifyInstance, FastifyReply } from "fastify";
import { moneyText } from "../http/money-text.js";
import { sendJson, sendProblem } from "../http/problem.js";
import { pageParameters } from "../http/query-values.js";
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from "../limits.js";
import type { ServerContext } from "../server-context.js";

interface WalletParams {
  readonly walletId: string;
}

export function registerWalletRoutes(app: FastifyInstance, context: ServerContext): void {
  const { ledger } = context;
  const isOpenWallet = (walletId: string): boolean =>
    ID_PATTERN.test(walletId) && ledger.currentState.wallets.has(walletId);

  app.get<{ Params: WalletParams }>("/wallets/:walletId/balances", async (request, reply) => {
    const { walletId } = request.params;
    if (!isOpenWallet(walletId)) return walletNotFound(reply, walletId);
    const registry = ledger.registry;
    const balances = ledger.walletBalances(walletId).map((balance) => ({
      currency: balance.currency,
      available: moneyText(registry, balance.available, balance.currency),
      held: moneyText(registry, balance.held, balance.currency),
      total: moneyText(registry, balance.total, balance.currency),
    }));
    return sendJson(reply, 200, { walletId, sequence: ledger.sequence, balances });
  });

  app.get<{ Params: WalletParams }>("/wallets/:walletId/history", async (request, reply) => {
    const { walletId } = request.params;
    const page = pageParameters(request.query, HISTORY_PAGE_MAX, HISTORY_PAGE_DEFAULT);
    if (page._tag === "Bad") return sendProblem(reply, 400, "malformed", page.message);
    if (!isOpenWallet(walletId)) return walletNotFound(reply, walletId);
    const history = await ledger.history(walletId, page.value);
    const lines = history.lines.map((line) => walletHistoryLineJson(ledger.registry, line));
    return sendJson(reply, 200, { walletId, lines, nextCursor: history.nextCursor ?? null });
  });
}

/** The 404 of a wallet route whose wallet this ledger does not hold. */
function walletNotFound(reply: FastifyReply, walletId: string): FastifyReply {
  return sendProblem(
    reply,
    404,
    "not-found",
    `no wallet ${JSON.stringify(walletId)} in this ledger`,
  );
}
