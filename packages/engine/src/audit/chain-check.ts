/**
 * Canonical bytes and the hash chain (invariant 7).
 *
 * Each stored payload must be exactly the canonical JSON of what it parses to, so that no
 * two byte strings mean the same event; and its `hash` must be SHA-256 of the previous hash
 * and the canonical text of the recorded event. The canonical text of each top-level member
 * is computed once and reused for both checks, so the hot loop serialises each event once.
 *
 * After a mismatch the chain continues from the stored hash, so one edited event is
 * reported once, at its own position, instead of at every event after it.
 */
import { canonicalJson } from "../journal/canonical-json.js";
import { chainHash, GENESIS_HASH } from "../journal/hash-chain.js";
import type { Findings } from "./audit-report.js";

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export class ChainCheck {
  /** Hash of the last event read: what the next event's `previousHash` must be. */
  lastHash: string = GENESIS_HASH;

  constructor(private readonly findings: Findings) {}

  /**
   * Checks one stored event and returns the recorded event's wire form to decode: the
   * `record` member of `{"hash","previousHash","record"}`, or, in the first layout of the
   * journal, the event itself without its hash fields. Both are hashed the same way.
   */
  check(position: number, payload: string, parsed: Record<string, unknown>): Record<string, unknown> {
    const nested = isRecord(parsed["record"]);
    const wire = nested ? (parsed["record"] as Record<string, unknown>) : withoutHashFields(parsed);
    const keys = Object.keys(parsed).sort();
    let full = "";
    let flat = "";
    let recordText = "";
    try {
      for (const key of keys) {
        const valueText = canonicalJson(parsed[key]);
        const member = `${JSON.stringify(key)}:${valueText}`;
        full += full === "" ? member : `,${member}`;
        if (key === "record") recordText = valueText;
        if (key !== "hash" && key !== "previousHash") flat += flat === "" ? member : `,${member}`;
      }
    } catch (error) {
      this.findings.add("canonical", position, `the event holds a value canonical JSON cannot (${(error as Error).message})`);
      this.skip(parsed);
      return wire;
    }
    if (`{${full}}` !== payload) this.findings.add("canonical", position, "the stored bytes are not the canonical JSON of the event (whitespace, key order or number spelling changed)");
    const { previousHash, hash } = parsed;
    if (typeof previousHash !== "string" || typeof hash !== "string" || !HASH_PATTERN.test(previousHash) || !HASH_PATTERN.test(hash)) {
      this.findings.add("hash-chain", position, "the event has no valid previousHash/hash fields (64 lowercase hex digits each)");
      this.skip(parsed);
      return wire;
    }
    if (previousHash !== this.lastHash) {
      this.findings.add("hash-chain", position, `previousHash ${short(previousHash)} does not link to the event before it (${position === 1 ? "genesis" : "hash"} ${short(this.lastHash)}): an event was deleted, inserted or moved here`);
    }
    const recomputed = chainHash(previousHash, nested ? recordText : `{${flat}}`);
    if (recomputed !== hash) {
      this.findings.add("hash-chain", position, `stored hash ${short(hash)} does not cover the event (recomputed ${short(recomputed)}): its content was changed`);
    }
    this.lastHash = hash;
    return wire;
  }

  /** Keeps the chain going from whatever hash the event claims, if any. */
  private skip(parsed: Record<string, unknown>): void {
    if (typeof parsed["hash"] === "string") this.lastHash = parsed["hash"];
  }
}

const isRecord = (value: unknown): boolean => typeof value === "object" && value !== null && !Array.isArray(value);

function withoutHashFields(parsed: Record<string, unknown>): Record<string, unknown> {
  const { previousHash: _previousHash, hash: _hash, ...wire } = parsed;
  return wire;
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
