/**
 * A snapshot written in slices: the same payload as `makeSnapshot` (byte for byte), produced
 * by encoding the state's large containers a few thousand entries at a time and hashing the
 * state text as it grows, yielding to the event loop (`setImmediate`) whenever a slice has
 * written `SNAPSHOT_SLICE_BYTES`. The writer runs between slices, so serialising and hashing a
 * snapshot never holds it for longer than a slice (ADR 0012). A slice is measured in bytes,
 * not in time, so that where the writer gets in depends on the state alone: a seeded
 * simulation replays exactly, whatever the machine is doing.
 *
 * The state must not change while it is encoded: it is the snapshot follower's own copy,
 * never the writer's (`snapshot-follower.ts`).
 */
import { createHash, type Hash } from "node:crypto";
import { IdempotencyTable, type LedgerState } from "@pacioli/core";
import type { StoredSnapshot } from "../store/event-store.js";
import { SNAPSHOT_FORMAT } from "./snapshot.js";
import { encodeValue } from "./state-codec.js";
import { AssertionFailure } from "@pacioli/core";

/**
 * State text the encoder writes before it lets the writer in: encoding and hashing run at
 * roughly 100–200 MB/s here, so 256 KiB is a slice of about 1.5–3 ms.
 */
export const SNAPSHOT_SLICE_BYTES = 256 * 1024;
/** Containers this close to the state's root are encoded entry by entry; deeper ones whole. */
const SLICED_DEPTH_MAX = 2;

class SlicedText {
  readonly parts: string[] = [];
  private readonly hash: Hash = createHash("sha256");
  /** UTF-16 code units written since the last pause: a cheap, deterministic size. */
  private sliceLength = 0;

  write(text: string): void {
    this.parts.push(text);
    this.hash.update(text, "utf8");
    this.sliceLength += text.length;
  }

  digest(): string {
    return this.hash.digest("hex");
  }

  /** Yields to the event loop once the current slice has written enough. */
  async pause(): Promise<void> {
    if (this.sliceLength < SNAPSHOT_SLICE_BYTES) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.sliceLength = 0;
  }
}

export async function makeSnapshotInSlices(
  stream: string,
  state: LedgerState,
  lastHash: string,
): Promise<StoredSnapshot> {
  const text = new SlicedText();
  await writeSliced(state, text, 0);
  const checksum = text.digest();
  const payload = `{"format":${SNAPSHOT_FORMAT},"version":${state.sequence},"lastHash":"${lastHash}","checksum":"${checksum}","state":${text.parts.join("")}}`;
  return { stream, version: state.sequence, payload };
}

/** Writes what `JSON.stringify(encodeValue(value))` writes, in slices near the root. */
async function writeSliced(value: unknown, text: SlicedText, depth: number): Promise<void> {
  if (
    depth >= SLICED_DEPTH_MAX ||
    value === null ||
    typeof value !== "object" ||
    value instanceof IdempotencyTable ||
    Array.isArray(value)
  ) {
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
    if (key.startsWith("$"))
      throw new AssertionFailure(`state field ${key} collides with the snapshot encoding`);
    text.write(`${first ? "" : ","}${JSON.stringify(key)}:`);
    await writeSliced(item, text, depth + 1);
    first = false;
    await text.pause();
  }
  text.write("}");
}
