/**
 * A snapshot written in slices: the same payload as `makeSnapshot` (byte for byte), produced
 * by encoding the state's large containers a few thousand entries at a time and hashing the
 * state text as it grows, yielding to the event loop (`setImmediate`) whenever a slice has
 * taken `SNAPSHOT_SLICE_MS`. The writer runs between slices, so serialising and hashing a
 * snapshot never holds it for longer than a slice (ADR 0012).
 *
 * The state must not change while it is encoded: it is the snapshot follower's own copy,
 * never the writer's (`snapshot-follower.ts`).
 */
import { createHash, type Hash } from "node:crypto";
import { IdempotencyTable, type LedgerState } from "@pacioli/core";
import type { StoredSnapshot } from "../store/event-store.js";
import { SNAPSHOT_FORMAT } from "./snapshot.js";
import { encodeValue } from "./state-codec.js";

/** Longest the encoder runs before it lets the writer in. */
export const SNAPSHOT_SLICE_MS = 4;
/** Containers this close to the state's root are encoded entry by entry; deeper ones whole. */
const SLICED_DEPTH_MAX = 2;

class SlicedText {
  readonly parts: string[] = [];
  private readonly hash: Hash = createHash("sha256");
  private sliceStarted = performance.now();

  write(text: string): void {
    this.parts.push(text);
    this.hash.update(text, "utf8");
  }

  digest(): string {
    return this.hash.digest("hex");
  }

  /** Yields to the event loop once the current slice has run long enough. */
  async pause(): Promise<void> {
    if (performance.now() - this.sliceStarted < SNAPSHOT_SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.sliceStarted = performance.now();
  }
}

export async function makeSnapshotInSlices(stream: string, state: LedgerState, lastHash: string): Promise<StoredSnapshot> {
  const text = new SlicedText();
  await writeSliced(state, text, 0);
  const checksum = text.digest();
  const payload = `{"format":${SNAPSHOT_FORMAT},"version":${state.sequence},"lastHash":"${lastHash}","checksum":"${checksum}","state":${text.parts.join("")}}`;
  return { stream, version: state.sequence, payload };
}

/** Writes what `JSON.stringify(encodeValue(value))` writes, in slices near the root. */
async function writeSliced(value: unknown, text: SlicedText, depth: number): Promise<void> {
  if (depth >= SLICED_DEPTH_MAX || value === null || typeof value !== "object" || value instanceof IdempotencyTable || Array.isArray(value)) {
    text.write(JSON.stringify(encodeValue(value)));
    return;
  }
  if (value instanceof Map) {
    text.write('{"$map":[');
    let first = true;
    for (const [key, item] of value) {
      text.write(`${first ? "" : ","}[${JSON.stringify(encodeValue(key))},`);
      await writeSliced(item, text, depth + 1);
      text.write("]");
      first = false;
      await text.pause();
    }
    text.write("]}");
    return;
  }
  if (value instanceof Set) {
    text.write(JSON.stringify(encodeValue(value)));
    return;
  }
  text.write("{");
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (key.startsWith("$")) throw new Error(`assertion failed: state field ${key} collides with the snapshot encoding`);
    text.write(`${first ? "" : ","}${JSON.stringify(key)}:`);
    await writeSliced(item, text, depth + 1);
    first = false;
    await text.pause();
  }
  text.write("}");
}
