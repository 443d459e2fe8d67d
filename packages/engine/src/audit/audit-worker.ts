/**
 * The audit's worker thread: prepares batches of stored payloads (`prepareEvent`: parse,
 * chain hash, decode, the per-event findings) and posts the prepared events back. It holds
 * no state between batches but the currency registry and its codec, so any worker can take
 * any batch and the fold, on the main thread, sees exactly what a sequential replay would.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CurrencyRegistry } from "@pacioli/core";
import { prepareEvent, type PreparedEvent } from "./prepared-event.js";

/** A batch to prepare: payloads stored at positions `firstPosition`, `firstPosition + 1`, … */
export interface PrepareRequest {
  readonly id: number;
  readonly firstPosition: number;
  readonly payloads: readonly string[];
}

/** The prepared events of a batch, cut after the first one that stops the replay. */
export interface PrepareResponse {
  readonly id: number;
  readonly prepared: readonly PreparedEvent[];
}

export interface AuditWorkerData {
  readonly registry: CurrencyRegistry;
}

export function prepareBatch(registry: CurrencyRegistry, request: PrepareRequest): PrepareResponse {
  const prepared: PreparedEvent[] = [];
  for (let index = 0; index < request.payloads.length; index += 1) {
    const event = prepareEvent(
      registry,
      request.payloads[index] as string,
      request.firstPosition + index,
    );
    prepared.push(event);
    if (event._tag !== "Decoded") break; // nothing after it is folded
  }
  return { id: request.id, prepared };
}

const port = parentPort;
if (port !== null) {
  const { registry } = workerData as AuditWorkerData;
  port.on("message", (request: PrepareRequest) => {
    port.postMessage(prepareBatch(registry, request));
  });
}
