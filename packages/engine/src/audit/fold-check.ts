/**
 * The fold (invariant checks inside `evolve`): each event is folded into the state at its own
 * sequence, and an assertion `evolve` raises is a "fold" finding at the event's position. At
 * its own sequence, so that a gap is reported once by the sequence check, not again as an
 * assertion failure at every event after it.
 */
import { evolve, failureDetail, type LedgerState, type RecordedEvent } from "@pacioli/core";
import type { Findings } from "./audit-report.js";

export function foldChecked(
  findings: Findings,
  state: LedgerState,
  position: number,
  recorded: RecordedEvent,
): void {
  try {
    state.sequence = recorded.sequence - 1;
    evolve(state, recorded);
  } catch (error) {
    findings.add(
      "fold",
      position,
      `evolve refused ${recorded.event.type}: ${failureDetail(error)}`,
    );
  }
}
