/**
 * Snapshots: the state after `version` events, the hash of event `version` and a checksum
 * of the state itself. On open, a snapshot is used only if it is intact and matches the
 * stream (its version exists and the event there has the recorded hash); otherwise it is
 * ignored with a warning and the ledger replays from the start. Never trusted blindly.
 */
import type { LedgerState } from "@pacioli/core";
import type { EventStore, StoredSnapshot } from "../store/event-store.js";
import { sha256Hex } from "../journal/hash-chain.js";
import { storedHash } from "../journal/journal-codec.js";
import { decodeState, encodeState } from "./state-codec.js";

/**
 * 2: the idempotency table by columns. 3: daily spending per wallet, recent payments only under
 * a velocity rule (ADR 0007). 4: transfer ids, open holds per wallet, receipt confirmed per
 * order (issue 18). 5: no idempotency keys (the window lives in the store). 6: payout schedules,
 * payouts and adjustments (issue 18): a format-5 state lacks them, so it replays.
 */
export const SNAPSHOT_FORMAT = 6;
/**
 * Formats read on open. Older formats lack state that decisions need (transfer ids, open
 * holds per wallet, payouts), so they are ignored and the ledger replays, which rebuilds everything.
 */
export const SNAPSHOT_FORMATS_READ: readonly number[] = [SNAPSHOT_FORMAT];
/** The payload ends with the state: `{..."state":<state text>}`. */
const STATE_FIELD = '"state":';

/**
 * The state's text exactly as written (what the checksum covers), sliced from the payload:
 * hashing it spares a second serialisation of the largest thing a ledger writes. "" when the
 * payload has no state field.
 */
export function snapshotStateText(payload: string): string {
  const start = payload.indexOf(STATE_FIELD);
  return start < 0 ? "" : payload.slice(start + STATE_FIELD.length, -1);
}

export interface SnapshotPayload {
  readonly format: number;
  readonly version: number;
  readonly lastHash: string;
  readonly checksum: string;
  readonly state: unknown;
}

export function makeSnapshot(stream: string, state: LedgerState, lastHash: string): StoredSnapshot {
  const stateText = JSON.stringify(encodeState(state));
  const payload = `{"format":${SNAPSHOT_FORMAT},"version":${state.sequence},"lastHash":"${lastHash}","checksum":"${sha256Hex(stateText)}","state":${stateText}}`;
  return { stream, version: state.sequence, payload };
}

export type SnapshotLoad =
  | { readonly _tag: "None" }
  | { readonly _tag: "Loaded"; readonly state: LedgerState; readonly lastHash: string }
  | { readonly _tag: "Ignored"; readonly reason: string };

export async function loadSnapshot(store: EventStore, stream: string): Promise<SnapshotLoad> {
  const stored = await store.readSnapshot(stream);
  if (stored === null) return { _tag: "None" };
  let payload: SnapshotPayload;
  try {
    payload = JSON.parse(stored.payload) as SnapshotPayload;
  } catch {
    return { _tag: "Ignored", reason: "snapshot is not valid JSON" };
  }
  if (!SNAPSHOT_FORMATS_READ.includes(payload.format))
    return {
      _tag: "Ignored",
      reason: `snapshot format ${payload.format} is not ${SNAPSHOT_FORMATS_READ.join(" or ")}`,
    };
  if (payload.version !== stored.version)
    return { _tag: "Ignored", reason: "snapshot version does not match its record" };
  if (sha256Hex(snapshotStateText(stored.payload)) !== payload.checksum)
    return { _tag: "Ignored", reason: "snapshot checksum does not match its state" };
  const [event] = await store.readStream(stream, { fromIndex: payload.version - 1, limit: 1 });
  if (event === undefined || event.streamIndex !== payload.version - 1)
    return {
      _tag: "Ignored",
      reason: `snapshot is at version ${payload.version} but the stream has no event ${payload.version}`,
    };
  if (storedHash(event) !== payload.lastHash)
    return { _tag: "Ignored", reason: `snapshot hash does not match event ${payload.version}` };
  const state = decodeState(payload.state);
  if (state.sequence !== payload.version)
    return { _tag: "Ignored", reason: "snapshot state sequence does not match its version" };
  return { _tag: "Loaded", state, lastHash: payload.lastHash };
}
