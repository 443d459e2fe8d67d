/**
 * `GET /events?after=POSITION&limit=N&wait=MS`: the change feed as long polls. It answers at
 * once with the recorded events after `after` when there are any; otherwise it waits up to
 * `wait` ms for the next append (an in-process subscription notices it at once), then reads.
 * `last` is the position to pass as `after` next time (the same `after` when nothing came).
 * Events come in commit order, each exactly as `POST /commands` returned it, with its position.
 */
import { recordedEventCodec } from "@pacioli/core";
import { decodeStoredEvent, type Ledger, type Position, type Subscription } from "@pacioli/engine";
import type { FastifyInstance } from "fastify";
import { sendJson, sendProblem } from "../http/problem.js";
import { integerParameter, textParameter } from "../http/query-values.js";
import {
  EVENTS_PAGE_DEFAULT,
  EVENTS_PAGE_MAX,
  EVENTS_WAIT_MS_MAX,
  POSITION_CHARS_MAX,
} from "../limits.js";
import type { ServerContext } from "../server-context.js";

const POSITION_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${POSITION_CHARS_MAX}}$`);

export function registerEventsRoute(app: FastifyInstance, context: ServerContext): void {
  app.get("/events", async (request, reply) => {
    const after = textParameter(
      request.query,
      "after",
      POSITION_PATTERN,
      `a position returned as "last" (1-${POSITION_CHARS_MAX} printable ASCII characters)`,
    );
    if (after._tag === "Bad") return sendProblem(reply, 400, "malformed", after.message);
    const limit = integerParameter(request.query, "limit", 1, EVENTS_PAGE_MAX, EVENTS_PAGE_DEFAULT);
    if (limit._tag === "Bad") return sendProblem(reply, 400, "malformed", limit.message);
    const wait = integerParameter(request.query, "wait", 0, EVENTS_WAIT_MS_MAX, 0);
    if (wait._tag === "Bad") return sendProblem(reply, 400, "malformed", wait.message);
    const from = (after.value ?? null) as Position | null;
    let page: FeedPage;
    try {
      page = await readPage(context.ledger, from, limit.value ?? EVENTS_PAGE_DEFAULT);
    } catch (error) {
      // Stores refuse a position they did not hand out with a RangeError (the port's contract).
      if (error instanceof RangeError)
        return sendProblem(
          reply,
          400,
          "malformed",
          `after is not a position of this ledger's store: ${error.message}`,
        );
      throw error;
    }
    if (page.scanned === 0 && (wait.value ?? 0) > 0) {
      await nextAppend(context.ledger, from, wait.value ?? 0, context.shutdown);
      page = await readPage(context.ledger, from, limit.value ?? EVENTS_PAGE_DEFAULT);
    }
    return sendJson(reply, 200, { events: page.events, last: page.last });
  });
}

interface FeedPage {
  readonly events: readonly { readonly position: string; readonly event: unknown }[];
  readonly last: string | null;
  /** Stored events read, of any stream: 0 means nothing exists after `after` yet. */
  readonly scanned: number;
}

async function readPage(ledger: Ledger, after: Position | null, limit: number): Promise<FeedPage> {
  const stored = await ledger.store.readAll(after, limit);
  const registry = ledger.registry;
  const codec = recordedEventCodec(registry);
  const events = stored.events
    .filter((event) => event.stream === ledger.stream)
    .map((event) => ({
      position: event.position,
      event: codec.encode(decodeStoredEvent(registry, event).recorded),
    }));
  return { events, last: stored.last ?? after, scanned: stored.events.length };
}

/** Resolves at the first event after `after`, after `waitMs`, or at shutdown, whichever is first. */
async function nextAppend(
  ledger: Ledger,
  after: Position | null,
  waitMs: number,
  shutdown: AbortSignal,
): Promise<void> {
  let subscription: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onShutdown: (() => void) | undefined;
  try {
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      onShutdown = resolve;
      shutdown.addEventListener("abort", onShutdown, { once: true });
      subscription = ledger.store.subscribe(after, () => resolve(), { onError: () => resolve() });
    });
  } finally {
    clearTimeout(timer);
    if (onShutdown !== undefined) shutdown.removeEventListener("abort", onShutdown);
    await subscription?.close();
  }
}
