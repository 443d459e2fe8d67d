/**
 * SHA-256 of a value's canonical JSON (`canonicalJson`: keys sorted, no whitespace), fed to
 * the hash in chunks instead of built as one string. The audit compares a snapshot with the
 * replayed state by this digest: the state holds every idempotency key and payment of its
 * retention windows, so its canonical text runs to hundreds of MiB on a busy ledger, and
 * building it twice (snapshot and replay) was the audit's largest allocation.
 *
 * The bytes hashed are exactly `canonicalJson(value)`'s; the tests hold the two together.
 */
import { createHash, type Hash } from "node:crypto";

/** Text gathered before each `hash.update`: few native calls, and a bounded buffer. */
const CHUNK_CHARS = 1 << 16;

export function canonicalDigest(value: unknown): string {
  const sink = new ChunkedHash(createHash("sha256"));
  writeCanonical(value, sink);
  return sink.digest();
}

class ChunkedHash {
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

function writeCanonical(value: unknown, sink: ChunkedHash): void {
  switch (typeof value) {
    case "string":
      return sink.write(JSON.stringify(value));
    case "boolean":
      return sink.write(value ? "true" : "false");
    case "number":
      if (!Number.isSafeInteger(value)) throw new Error(`assertion failed: canonical JSON holds only safe integers, got ${value}`);
      return sink.write(String(value));
    case "object":
      if (value === null) return sink.write("null");
      if (Array.isArray(value)) return writeArray(value, sink);
      return writeObject(value as Record<string, unknown>, sink);
    default:
      throw new Error(`assertion failed: canonical JSON cannot hold a ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[], sink: ChunkedHash): void {
  sink.write("[");
  items.forEach((item, index) => {
    if (index > 0) sink.write(",");
    writeCanonical(item, sink);
  });
  sink.write("]");
}

function writeObject(object: Record<string, unknown>, sink: ChunkedHash): void {
  // The default sort compares UTF-16 code units, as canonicalJson's insertion sort does.
  const keys = Object.keys(object).sort();
  let first = true;
  sink.write("{");
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    sink.write(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    writeCanonical(item, sink);
  }
  sink.write("}");
}
