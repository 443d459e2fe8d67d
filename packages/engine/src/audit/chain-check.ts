/**
 * Stored bytes and the hash chain (invariant 7).
 *
 * The journal stores each event as `{"hash":H,"previousHash":P,"record":R}` with R the JSON
 * of the recorded event, and H = SHA-256(P ‖ "\n" ‖ R). The audit hashes the stored bytes of
 * R themselves, sliced out of the payload, never a re-serialisation: if H matches, R is byte
 * for byte what the writer hashed. A space, a reordered key or a respelled number is found
 * as a changed event at its own position.
 *
 * After a mismatch the chain continues from the stored hash, so one edited event is
 * reported once, at its own position, instead of at every event after it.
 */
import { GENESIS_HASH } from "../journal/hash-chain.js";
import type { Findings } from "./audit-report.js";
import type { ChainFacts } from "./prepared-event.js";

export class ChainCheck {
  /** Hash of the last event read: what the next event's `previousHash` must be. */
  lastHash: string = GENESIS_HASH;

  constructor(private readonly findings: Findings) {}

  /**
   * Checks one stored event from its chain facts (`prepareEvent`: the hashes as stored and
   * the one recomputed over the record's bytes, worked out per event, possibly on a worker);
   * what remains here is the link to the event before, which needs the order.
   */
  check(position: number, facts: ChainFacts): void {
    if (facts._tag === "NotCanonical") {
      this.findings.add(
        "canonical",
        position,
        'the stored bytes are not in the journal layout {"hash","previousHash","record"} (whitespace, key order or fields changed)',
      );
      if (facts.hash !== undefined) this.lastHash = facts.hash;
      return;
    }
    const { hash, previousHash, recomputed } = facts;
    if (previousHash !== this.lastHash) {
      this.findings.add(
        "hash-chain",
        position,
        `previousHash ${short(previousHash)} does not link to the event before it (${position === 1 ? "genesis" : "hash"} ${short(this.lastHash)}): an event was deleted, inserted or moved here`,
      );
    }
    if (recomputed !== undefined) {
      this.findings.add(
        "hash-chain",
        position,
        `stored hash ${short(hash)} does not cover the event (recomputed ${short(recomputed)}): its content was changed`,
      );
    }
    this.lastHash = hash;
  }
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
