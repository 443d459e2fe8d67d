/**
 * Projections (invariant 6): replay is deterministic, so the state `evolve` folds must
 * carry exactly the balances recomputed from the postings alone, and a stored snapshot must
 * equal the replayed state at its version: same chain head, same state (compared as
 * canonical JSON, so key order does not matter), same checksum. A snapshot that disagrees
 * is one a restarted engine would have trusted.
 */
import type { Balances, LedgerState } from "@pacioli/core";
import { canonicalJson } from "../journal/canonical-json.js";
import { sha256Hex } from "../journal/hash-chain.js";
import { encodeState } from "../snapshot/state-codec.js";
import type { SnapshotPayload } from "../snapshot/snapshot.js";
import type { StoredSnapshot } from "../store/event-store.js";
import type { Findings } from "./audit-report.js";

export class ProjectionCheck {
  private snapshot: SnapshotPayload | undefined;
  private snapshotChecked = false;

  constructor(private readonly findings: Findings) {}

  /** Reads the stored snapshot; returns the version at which to compare it. */
  load(stored: StoredSnapshot | null): number | undefined {
    if (stored === null) return undefined;
    let payload: SnapshotPayload;
    try {
      payload = JSON.parse(stored.payload) as SnapshotPayload;
    } catch {
      this.findings.add("projection", stored.version, "the stored snapshot is not valid JSON");
      return undefined;
    }
    if (payload.version !== stored.version) this.findings.add("projection", stored.version, `the snapshot says version ${payload.version}, its record ${stored.version}`);
    if (sha256Hex(JSON.stringify(payload.state)) !== payload.checksum) this.findings.add("projection", stored.version, "the snapshot's checksum does not match its state");
    this.snapshot = payload;
    return stored.version;
  }

  /** Called once the replay reaches the snapshot's version. */
  compareSnapshot(position: number, state: LedgerState, lastHash: string): void {
    const snapshot = this.snapshot;
    if (snapshot === undefined) return;
    this.snapshotChecked = true;
    if (snapshot.lastHash !== lastHash) this.findings.add("projection", position, `the snapshot's chain head ${snapshot.lastHash.slice(0, 12)}… is not the replayed ${lastHash.slice(0, 12)}…`);
    if (canonicalJson(encodeState(state)) !== canonicalJson(snapshot.state)) {
      this.findings.add("projection", position, "the snapshot's state differs from the state replayed up to its version");
    }
  }

  finish(position: number, state: LedgerState, recomputed: Balances): void {
    if (this.snapshot !== undefined && !this.snapshotChecked) {
      this.findings.add("projection", position, `the snapshot is at version ${this.snapshot.version} but the stream has only ${position} events`);
    }
    const differences = differingAccounts(state.balances, recomputed);
    if (differences.length > 0) {
      this.findings.add("projection", position, `evolve's balances differ from the postings for ${differences.slice(0, 5).join(", ")}${differences.length > 5 ? ", …" : ""}`);
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
      if ((left?.get(currency) ?? 0n) !== (right?.get(currency) ?? 0n)) differences.push(`${account} ${currency}`);
    }
  }
  return differences;
}
