/**
 * Embedding Pacioli in a service: the example that docs/recipes/embedding.md copies verbatim.
 * It is compiled by `tsc -b` and run by `embed-in-a-service.test.ts`, so it cannot drift
 * from the API.
 *
 * One ledger per process per file (the single writer); every request carries an idempotency
 * key chosen by the caller; results are values to map onto the service's own responses; a
 * `StoreError` means "not recorded, retry with the same key"; due work runs on a timer.
 */
import { formatAmount } from "@pacioli/core";
import {
  openLedger,
  StoreError,
  type Clock,
  type CommandRequestJson,
  type ExecuteResult,
  type Ledger,
} from "@pacioli/engine";
import { openSqliteEventStore } from "../index.js";
import { AssertionFailure } from "@pacioli/core";

/** What the service answers its own callers (an HTTP layer would map it to status codes). */
export type Reply =
  | { readonly status: "recorded"; readonly sequence: number; readonly repeated: boolean }
  | { readonly status: "refused"; readonly reason: string; readonly retryable: boolean }
  | { readonly status: "invalid"; readonly message: string }
  | { readonly status: "unavailable"; readonly message: string };

export interface WalletService {
  /** Sends one command; safe to call again with the same key after any failure. */
  send(request: CommandRequestJson): Promise<Reply>;
  balance(
    walletId: string,
  ): { readonly currency: string; readonly available: string; readonly held: string }[];
  close(): Promise<void>;
}

export interface WalletServiceOptions {
  readonly path: string;
  /** Tests pass a `TestClock`; production uses the system clock. */
  readonly clock?: Clock;
  /** How often holds past their deadline are expired (0 = never: call `runDueWork` yourself). */
  readonly dueWorkEveryMs?: number;
}

export async function startWalletService(options: WalletServiceOptions): Promise<WalletService> {
  // FULL (the default): a command is acknowledged only once its events are fsynced.
  const store = await openSqliteEventStore({ path: options.path, synchronous: "FULL" });
  const ledger: Ledger = await openLedger({
    store,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    snapshotEvery: 10_000,
    onWarning: (message) => console.warn(`pacioli: ${message}`),
  });

  const dueWork =
    (options.dueWorkEveryMs ?? 1_000) > 0
      ? setInterval(() => {
          ledger
            .runDueWork()
            .catch((error: unknown) =>
              console.warn(`pacioli: due work failed, will retry: ${String(error)}`),
            );
        }, options.dueWorkEveryMs ?? 1_000)
      : undefined;
  dueWork?.unref();

  async function send(request: CommandRequestJson): Promise<Reply> {
    let result: ExecuteResult;
    try {
      result = await ledger.executeWire(request);
    } catch (error) {
      // Not recorded (or not known to be): the caller retries with the SAME key and gets
      // either a fresh decision or, if it did land, the original events.
      if (error instanceof StoreError) return { status: "unavailable", message: error.message };
      throw error;
    }
    switch (result._tag) {
      case "Accepted":
        return {
          status: "recorded",
          sequence: result.events.at(-1)?.sequence ?? ledger.sequence,
          repeated: result.repeated,
        };
      case "Rejected":
        return { status: "refused", reason: result.rejection._tag, retryable: result.retryable };
      case "Invalid":
        return { status: "invalid", message: JSON.stringify(result.failure) };
    }
  }

  function balance(walletId: string) {
    // Minor units are bigint; the service prints decimal strings with the currency's own
    // exponent, never floats.
    return ledger.walletBalances(walletId).map((row) => {
      const currency = ledger.registry.get(row.currency);
      if (currency === undefined)
        throw new AssertionFailure(`${row.currency} is not in the ledger's registry`);
      return {
        currency: row.currency,
        available: formatAmount(row.available, currency),
        held: formatAmount(row.held, currency),
      };
    });
  }

  async function close(): Promise<void> {
    if (dueWork !== undefined) clearInterval(dueWork);
    await ledger.close(); // waits for the commands already sent
    await store.close();
  }

  return { send, balance, close };
}
