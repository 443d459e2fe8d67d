/** What `execute` resolves with: the events the command recorded, or why it was refused. */
import type { DecodeFailure, RecordedEvent, Rejection } from "@pacioli/core";

export type ExecuteResult =
  | {
      readonly _tag: "Accepted";
      readonly events: readonly RecordedEvent[];
      /** True when this was a retry of a command already recorded (the original events). */
      readonly repeated: boolean;
    }
  | { readonly _tag: "Rejected"; readonly rejection: Rejection; readonly retryable: boolean }
  /** The request could not be decoded; nothing was decided. */
  | { readonly _tag: "Invalid"; readonly failure: DecodeFailure };
