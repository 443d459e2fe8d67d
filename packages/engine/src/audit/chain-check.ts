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
import { chainHash, GENESIS_HASH } from "../journal/hash-chain.js";
import { PAYLOAD_ENVELOPE, RECORD_OFFSET } from "../journal/journal-codec.js";
import type { Findings } from "./audit-report.js";

export class ChainCheck {
  /** Hash of the last event read: what the next event's `previousHash` must be. */
  lastHash: string = GENESIS_HASH;

  constructor(private readonly findings: Findings) {}

  /** Checks one stored event and returns the recorded event's wire form to decode. */
  check(position: number, payload: string, parsed: Record<string, unknown>): Record<string, unknown> {
    const record = parsed["record"];
    const wire = typeof record === "object" && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : {};
    const envelope = payload.endsWith("}") ? PAYLOAD_ENVELOPE.exec(payload) : null;
    if (envelope === null) {
      this.findings.add("canonical", position, 'the stored bytes are not in the journal layout {"hash","previousHash","record"} (whitespace, key order or fields changed)');
      if (typeof parsed["hash"] === "string") this.lastHash = parsed["hash"];
      return wire;
    }
    const [, hash, previousHash] = envelope as unknown as [string, string, string];
    if (previousHash !== this.lastHash) {
      this.findings.add("hash-chain", position, `previousHash ${short(previousHash)} does not link to the event before it (${position === 1 ? "genesis" : "hash"} ${short(this.lastHash)}): an event was deleted, inserted or moved here`);
    }
    const recomputed = chainHash(previousHash, payload.slice(RECORD_OFFSET, -1));
    if (recomputed !== hash) {
      this.findings.add("hash-chain", position, `stored hash ${short(hash)} does not cover the event (recomputed ${short(recomputed)}): its content was changed`);
    }
    this.lastHash = hash;
    return wire;
  }
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
