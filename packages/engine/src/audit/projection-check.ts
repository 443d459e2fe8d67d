/**
 * Projections (invariant 6): replay is deterministic, so the state `evolve` folds must
 * carry exactly the balances recomputed from the postings alone, and a stored snapshot must
 * equal the replayed state at its version: same chain head, same state (compared as
 * canonical JSON, so key order does not matter), same checksum. A snapshot that disagrees
 * is one a restarted engine would have trusted.
 *
 * Only three figures of the snapshot are kept for the replay (version, chain head, digest
 * of its state's canonical JSON): the parsed snapshot is as large as the state itself, and
 * holding it through the whole replay, then serialising both states at once, was most of
 * the audit's memory on a ledger with a million live idempotency keys.
 */
import { failureDetail } from "@pacioli/core";
import type { Balances, LedgerState } from "@pacioli/core";
import { sha256Hex } from "../journal/hash-chain.js";
import { encodeState } from "../snapshot/state-codec.js";
import { SNAPSHOT_FORMAT, snapshotStateText, type SnapshotPayload } from "../snapshot/snapshot.js";
import type { StoredSnapshot } from "../store/event-store.js";
import type { Findings } from "./audit-report.js";
import { canonicalDigest } from "./canonical-digest.js";

/** What the replay compares with, once it reaches the snapshot's version. */
interface ExpectedSnapshot {
  readonly version: number;
  readonly lastHash: string;
  /**
   * Undefined for a snapshot of another format (an older engine's): its state has another
   * shape, so it cannot equal this replay's, and the engine ignores it on open (the ledger
   * replays). Its chain head and checksum are still checked: those do not depend on format.
   */
  readonly stateDigest: string | undefined;
}

export class ProjectionCheck {
  private snapshot: ExpectedSnapshot | undefined;
  private snapshotChecked = false;

  constructor(private readonly findings: Findings) {}

  /**
   * Reads the stored snapshot; returns the version at which to compare it. An audit resumed
   * after event `resumedAt` leaves out a snapshot at or before it: the replay has no state of
   * that version to compare with, and the auditor's own state stands in its place. An audit
   * that stops at `upTo` leaves out a snapshot after it, for the audit that goes on from there.
   */
  load(stored: StoredSnapshot | null, resumedAt = 0, upTo = Infinity): number | undefined {
    if (stored === null || stored.version > upTo) return undefined;
    if (resumedAt > 0 && stored.version <= resumedAt) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored.payload);
    } catch {
      this.findings.add("projection", stored.version, "the stored snapshot is not valid JSON");
      return undefined;
    }
    if (typeof parsed !== "object" || parsed === null) {
      this.findings.add("projection", stored.version, "the stored snapshot is not a JSON object");
      return undefined;
    }
    const payload = parsed as SnapshotPayload;
    if (payload.version !== stored.version)
      this.findings.add(
        "projection",
        stored.version,
        `the snapshot says version ${payload.version}, its record ${stored.version}`,
      );
    // The checksum covers the state's text as written, as the engine's loader checks it.
    if (sha256Hex(snapshotStateText(stored.payload)) !== payload.checksum)
      this.findings.add(
        "projection",
        stored.version,
        "the snapshot's checksum does not match its state",
      );
    const comparable = payload.format === SNAPSHOT_FORMAT;
    this.snapshot = {
      version: stored.version,
      lastHash: String(payload.lastHash),
      stateDigest: comparable ? this.digestOf(stored.version, payload.state) : undefined,
    };
    return stored.version;
  }

  /** The snapshot state's digest; a state no replay could produce (a float, a missing state) digests to "" and differs. */
  private digestOf(version: number, state: unknown): string {
    try {
      return canonicalDigest(state);
    } catch (error) {
      this.findings.add(
        "projection",
        version,
        `the snapshot's state cannot be compared: ${failureDetail(error)}`,
      );
      return "";
    }
  }

  /** Called once the replay reaches the snapshot's version. */
  compareSnapshot(position: number, state: LedgerState, lastHash: string): void {
    const snapshot = this.snapshot;
    if (snapshot === undefined) return;
    this.snapshotChecked = true;
    if (snapshot.lastHash !== lastHash)
      this.findings.add(
        "projection",
        position,
        `the snapshot's chain head ${snapshot.lastHash.slice(0, 12)}… is not the replayed ${lastHash.slice(0, 12)}…`,
      );
    if (
      snapshot.stateDigest !== undefined &&
      canonicalDigest(encodeState(state)) !== snapshot.stateDigest
    ) {
      this.findings.add(
        "projection",
        position,
        "the snapshot's state differs from the state replayed up to its version",
      );
    }
  }

  finish(position: number, state: LedgerState, recomputed: Balances): void {
    if (this.snapshot !== undefined && !this.snapshotChecked) {
      this.findings.add(
        "projection",
        position,
        `the snapshot is at version ${this.snapshot.version} but the stream has only ${position} events`,
      );
    }
    const differences = differingAccounts(state.balances, recomputed);
    if (differences.length > 0) {
      this.findings.add(
        "projection",
        position,
        `evolve's balances differ from the postings for ${differences.slice(0, 5).join(", ")}${differences.length > 5 ? ", …" : ""}`,
      );
    }
  }
}

function differingAccounts(folded: Balances, recomputed: Balances): string[] {
  const differences: string[] = [];
  const accounts = new Set([...folded.keys(), ...recomputed.keys()]);
  for (const account of accounts) {
    const left = folded.get(account);
    const right = recomputed.get(account);
    const currencies = new Set([...(left?.keys() ?? []), ...(right?.keys() ?? [])]);
    for (const currency of currencies) {
      if ((left?.get(currency) ?? 0n) !== (right?.get(currency) ?? 0n))
        differences.push(`${account} ${currency}`);
    }
  }
  return differences;
}
