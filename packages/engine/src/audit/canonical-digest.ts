/**
 * SHA-256 of a value's canonical JSON (`canonicalJson`: keys sorted, no whitespace), fed to
 * the hash in chunks instead of built as one string. The audit compares a snapshot with the
 * replayed state by this digest: the state holds every idempotency key and payment of its
 * retention windows, so its canonical text runs to hundreds of MiB on a busy ledger, and
 * building it twice (snapshot and replay) was the audit's largest allocation.
 *
 * The bytes hashed are exactly `canonicalJson(value)`'s: both come from one writer.
 */
import { createHash, type Hash } from "node:crypto";
import { writeCanonical, type CanonicalSink } from "../journal/canonical-json.js";

/** Text gathered before each `hash.update`: few native calls, and a bounded buffer. */
const CHUNK_CHARS = 1 << 16;

export function canonicalDigest(value: unknown): string {
  const sink = new ChunkedHash(createHash("sha256"));
  writeCanonical(value, sink);
  return sink.digest();
}

class ChunkedHash implements CanonicalSink {
  private buffered = "";

  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.buffered += text;
    if (this.buffered.length >= CHUNK_CHARS) this.flush();
  }

  digest(): string {
    this.flush();
    return this.hash.digest("hex");
  }

  private flush(): void {
    this.hash.update(this.buffered, "utf8");
    this.buffered = "";
  }
}
