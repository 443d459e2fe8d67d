/**
 * The one place the server hands a request to the engine. An HTTP caller may give up (the
 * connection closes) or wait too long; the command is never withdrawn then, because the
 * engine may already have decided it: it completes, stays durable and idempotent, and the
 * caller's retry with the same key gets the original result. Only the wait ends.
 */
import type { ExecuteResult, Ledger } from "@pacioli/engine";
import { StoreError } from "@pacioli/engine";

export type GatewayOutcome =
  | { readonly _tag: "Decided"; readonly result: ExecuteResult }
  /** The store failed, the ledger is closing, or the decision took longer than the wait. */
  | { readonly _tag: "Unavailable"; readonly reason: string }
  /** The caller went away before the decision; nobody reads the answer. */
  | { readonly _tag: "Abandoned" };

/** Untrusted JSON in, a decision out: the engine's entry for wire input (it decodes with io-ts). */
const executeWire = (ledger: Ledger, input: unknown): Promise<ExecuteResult> =>
  ledger.executeWire(input);

export async function sendCommand(
  ledger: Ledger,
  input: unknown,
  waitMs: number,
  signal?: AbortSignal,
): Promise<GatewayOutcome> {
  if (signal?.aborted === true) return { _tag: "Abandoned" }; // not sent: nothing to finish
  const decision = executeWire(ledger, input).then(
    (result): GatewayOutcome => ({ _tag: "Decided", result }),
    (error: unknown): GatewayOutcome => {
      if (error instanceof StoreError) return { _tag: "Unavailable", reason: error.message };
      throw error; // an assertion in the engine: a bug, reported as 500 by the error handler
    },
  );
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const waited = new Promise<GatewayOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          _tag: "Unavailable",
          reason: `no decision within ${waitMs} ms; retry with the same idempotency key`,
        }),
      waitMs,
    );
    onAbort = () => resolve({ _tag: "Abandoned" });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([decision, waited]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}
