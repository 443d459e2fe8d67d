/**
 * An `ExecuteResult` as JSON for the wire: accepted events in their stored encoding (decimal
 * strings, ISO-8601 times), rejections through `rejectionJson` (minor units as strings, times
 * as ISO-8601 strings), decode failures as their issues. `pacioli apply` prints this per line.
 */
import {
  recordedEventCodec,
  rejectionJson,
  type CurrencyRegistry,
  type DecodeIssue,
  type RejectionJson,
} from "@pacioli/core";
import type { ExecuteResult } from "./execute-result.js";

export type ExecuteResultJson =
  | { readonly status: "accepted"; readonly repeated: boolean; readonly events: readonly unknown[] }
  | { readonly status: "rejected"; readonly rejection: RejectionJson; readonly retryable: boolean }
  | { readonly status: "invalid"; readonly issues: readonly DecodeIssue[] };

export function executeResultJson(
  result: ExecuteResult,
  registry: CurrencyRegistry,
): ExecuteResultJson {
  switch (result._tag) {
    case "Accepted": {
      const codec = recordedEventCodec(registry);
      return {
        status: "accepted",
        repeated: result.repeated,
        events: result.events.map((event) => codec.encode(event)),
      };
    }
    case "Rejected":
      return {
        status: "rejected",
        rejection: rejectionJson(result.rejection),
        retryable: result.retryable,
      };
    case "Invalid":
      return { status: "invalid", issues: result.failure.issues };
  }
}
