/** A wallet history line as JSON: what `history --json` prints and a statement's line starts with. */
import { formatTimestamp, type HistoryLine } from "@pacioli/core";
import { moneyText } from "./money-text.js";

export function historyLineJson(line: HistoryLine) {
  return {
    sequence: line.sequence,
    recordedAt: formatTimestamp(line.recordedAt),
    type: line.type,
    currency: line.currency,
    availableChange: moneyText(line.availableChange, line.currency),
    heldChange: moneyText(line.heldChange, line.currency),
    available: moneyText(line.available, line.currency),
    held: moneyText(line.held, line.currency),
  };
}
