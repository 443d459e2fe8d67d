/**
 * The in-memory state of the EventStoreDB test double: a transaction log with the server
 * semantics the Pacioli adapter relies on, and nothing more.
 *
 * What it models, following EventStoreDB/KurrentDB:
 * - One global log; every event gets a commit/prepare position. Positions are byte-like
 *   offsets (they grow by the event's size), so they are sparse, as on a real server.
 * - Streams with zero-based revisions; a stream that was never written has no revision
 *   ("no stream").
 * - Appends at an exact expected revision (or "no stream"): written when the stream is at that
 *   revision; otherwise, if the events that follow the expected revision have exactly the
 *   proposed ids, the append is an idempotent retry (success, nothing written); otherwise
 *   `WrongExpectedVersion` with the current revision. `any` and `stream_exists` exist in the
 *   protocol and are modelled too, although the adapter never sends them.
 * - The maximum append size (data + metadata + 2 × type length per event, 1 MiB by default).
 * - `$maxCount` stream metadata (`$$<stream>` stream, `$metadata` events): stream reads only
 *   see the last N events; `$all` still contains them, as before a scavenge.
 * - System events (`$`-prefixed streams and types) in `$all`, so filters are exercised.
 * - Soft deletes at an exact (or any) revision: `$tb` written to the stream's metadata, stream
 *   reads then find no stream until something is appended again (numbering carries on);
 *   `$all` still contains the events, as before a scavenge.
 *
 * What it leaves out: tombstones (hard deletes), ACLs, transactions, link resolution, projections,
 * persistent subscriptions, scavenging and clustering.
 *
 * It is exported for reuse: the engine and CLI tests can run against the same double.
 */

import { randomUUID } from "node:crypto";

export interface DoubleRecord {
  readonly stream: string;
  readonly revision: number;
  /** Lower-case UUID string, as the client sent it. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  readonly createdTicks: bigint;
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedRecord {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type ExpectedRevision =
  | { readonly _tag: "Revision"; readonly revision: number }
  | { readonly _tag: "NoStream" }
  | { readonly _tag: "Any" }
  | { readonly _tag: "StreamExists" };

export type AppendOutcome =
  | {
      readonly _tag: "Written" | "Idempotent";
      /** Revision of the last event of the append (of the original append when idempotent). */
      readonly currentRevision: number;
      readonly commit: bigint;
      readonly prepare: bigint;
    }
  | { readonly _tag: "WrongExpectedVersion"; readonly currentRevision: number | null }
  | { readonly _tag: "MaximumAppendSizeExceeded"; readonly maxAppendSize: number };

export type DeleteOutcome =
  | { readonly _tag: "Deleted"; readonly commit: bigint; readonly prepare: bigint }
  | { readonly _tag: "WrongExpectedVersion"; readonly currentRevision: number | null };

export interface DoubleLogOptions {
  /** Server `MaxAppendSize` in bytes (EventStoreDB default 1 MiB). */
  readonly maxAppendSize?: number;
  /** Start with a few system events in `$all`, as a fresh server has (default true). */
  readonly seedSystemEvents?: boolean;
  /** Clock for `created`, in ms since the epoch (tests pass a fixed one). */
  readonly now?: () => number;
}

export const DOUBLE_MAX_APPEND_SIZE_DEFAULT = 1024 * 1024;
/** A real log does not start at 0; neither does this one, so code cannot assume it. */
const LOG_START_POSITION = 1_000n;
/** Fixed per-record overhead added to a record's size when advancing the log position. */
const RECORD_HEADER_BYTES = 100n;

type Listener = () => void;

export class DoubleLog {
  readonly maxAppendSize: number;
  readonly #records: DoubleRecord[] = [];
  readonly #streams = new Map<string, number[]>();
  readonly #listeners = new Set<Listener>();
  /** Soft-deleted streams with nothing appended since. */
  readonly #deleted = new Set<string>();
  readonly #now: () => number;
  #nextPosition = LOG_START_POSITION;

  constructor(options: DoubleLogOptions = {}) {
    this.maxAppendSize = options.maxAppendSize ?? DOUBLE_MAX_APPEND_SIZE_DEFAULT;
    this.#now = options.now ?? Date.now;
    if (options.seedSystemEvents ?? true) this.#seedSystemEvents();
  }

  /** All records in log order (including system events and truncated ones). */
  get records(): readonly DoubleRecord[] {
    return this.#records;
  }

  /** Current revision of a stream, or null when it does not exist. */
  currentRevision(stream: string): number | null {
    const indices = this.#streams.get(stream);
    return indices === undefined ? null : indices.length - 1;
  }

  /** Events of a stream visible to stream reads (honours `$maxCount`), in revision order. */
  visibleStream(stream: string): readonly DoubleRecord[] | null {
    const indices = this.#streams.get(stream);
    if (indices === undefined || this.#deleted.has(stream)) return null;
    const metadata = this.#metadata(stream);
    const all = indices
      .map((index) => this.#recordAt(index))
      .filter((record) => record.revision >= metadata.truncateBefore);
    return metadata.maxCount === null
      ? all
      : all.slice(Math.max(0, all.length - metadata.maxCount));
  }

  /** Soft delete: `$tb` past the last event, and the stream reads as missing. */
  softDelete(stream: string, expected: ExpectedRevision): DeleteOutcome {
    const current = this.currentRevision(stream);
    const expectedRevision = this.#expectedAsRevision(expected, current);
    if (current === null || this.#deleted.has(stream) || expectedRevision !== current)
      return { _tag: "WrongExpectedVersion", currentRevision: current };
    const metadataStream = `$$${stream}`;
    const metadata = { ...this.#metadataObject(stream), $tb: current + 1 };
    const outcome = this.append(metadataStream, { _tag: "Any" }, [
      {
        id: randomUUID(),
        type: "$metadata",
        contentType: "application/json",
        data: Buffer.from(JSON.stringify(metadata), "utf8"),
        metadata: new Uint8Array(),
      },
    ]);
    if (outcome._tag !== "Written") throw new Error(`cannot write the metadata of ${stream}`);
    this.#deleted.add(stream);
    return { _tag: "Deleted", commit: outcome.commit, prepare: outcome.prepare };
  }

  append(
    stream: string,
    expected: ExpectedRevision,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome {
    // The server's Event.SizeOnDisk: data + metadata + the type in UTF-16 code units.
    const size = proposed.reduce(
      (sum, record) => sum + record.data.length + record.metadata.length + 2 * record.type.length,
      0,
    );
    if (size > this.maxAppendSize)
      return { _tag: "MaximumAppendSizeExceeded", maxAppendSize: this.maxAppendSize };
    const current = this.currentRevision(stream);
    const expectedRevision = this.#expectedAsRevision(expected, current);
    if (expectedRevision === "mismatch")
      return { _tag: "WrongExpectedVersion", currentRevision: current };
    if (expectedRevision !== current) {
      const idempotent = this.#idempotentRetry(stream, expectedRevision, proposed);
      return idempotent ?? { _tag: "WrongExpectedVersion", currentRevision: current };
    }
    if (proposed.length === 0) {
      // An empty append writes nothing and reports the stream as it is.
      const last = current === null ? null : this.#recordOfRevision(stream, current);
      return {
        _tag: "Written",
        currentRevision: current ?? -1,
        commit: last?.commit ?? -1n,
        prepare: last?.prepare ?? -1n,
      };
    }
    const createdTicks = BigInt(this.#now()) * 10_000n;
    this.#deleted.delete(stream);
    let revision = current ?? -1;
    let last: DoubleRecord | null = null;
    for (const record of proposed) {
      revision += 1;
      last = this.#write({ ...record, stream, revision, createdTicks });
    }
    if (last === null) throw new Error("append wrote nothing");
    this.#notify();
    return {
      _tag: "Written",
      currentRevision: last.revision,
      commit: last.commit,
      prepare: last.prepare,
    };
  }

  /** Calls `listener` after every append; returns the unsubscribe function. */
  onAppend(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Index of the first record whose position is at or after (commit, prepare). */
  indexAtOrAfter(commit: bigint, prepare: bigint): number {
    const index = this.#records.findIndex(
      (record) => record.commit > commit || (record.commit === commit && record.prepare >= prepare),
    );
    return index === -1 ? this.#records.length : index;
  }

  // -- utils ------------------------------------------------------------------------------

  #expectedAsRevision(
    expected: ExpectedRevision,
    current: number | null,
  ): number | null | "mismatch" {
    switch (expected._tag) {
      case "Revision":
        return expected.revision;
      case "NoStream":
        return null;
      case "Any":
        return current;
      case "StreamExists":
        return current === null ? "mismatch" : current;
    }
  }

  /**
   * The server's idempotency check for an exact expected revision: if the events right after
   * the expected revision carry exactly the proposed ids, the earlier append landed and this
   * one is its retry; the original result is reported and nothing is written.
   */
  #idempotentRetry(
    stream: string,
    expectedRevision: number | null,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome | null {
    const indices = this.#streams.get(stream) ?? [];
    const first = (expectedRevision ?? -1) + 1;
    if (proposed.length === 0 || first + proposed.length > indices.length) return null;
    let last: DoubleRecord | null = null;
    for (const [offset, record] of proposed.entries()) {
      const existing = this.#recordOfRevision(stream, first + offset);
      if (existing.id !== record.id) return null;
      last = existing;
    }
    if (last === null) return null;
    return {
      _tag: "Idempotent",
      currentRevision: last.revision,
      commit: last.commit,
      prepare: last.prepare,
    };
  }

  #write(record: Omit<DoubleRecord, "commit" | "prepare">): DoubleRecord {
    const position = this.#nextPosition;
    const stored: DoubleRecord = { ...record, commit: position, prepare: position };
    this.#nextPosition += RECORD_HEADER_BYTES + BigInt(record.data.length + record.metadata.length);
    this.#records.push(stored);
    const indices = this.#streams.get(record.stream) ?? [];
    indices.push(this.#records.length - 1);
    this.#streams.set(record.stream, indices);
    return stored;
  }

  #recordAt(index: number): DoubleRecord {
    const record = this.#records[index];
    if (record === undefined) throw new Error(`no record at log index ${index}`);
    return record;
  }

  #recordOfRevision(stream: string, revision: number): DoubleRecord {
    const index = this.#streams.get(stream)?.[revision];
    if (index === undefined) throw new Error(`no revision ${revision} in ${stream}`);
    return this.#recordAt(index);
  }

  #metadata(stream: string): { readonly maxCount: number | null; readonly truncateBefore: number } {
    const { $maxCount, $tb } = this.#metadataObject(stream);
    return {
      maxCount: typeof $maxCount === "number" ? $maxCount : null,
      truncateBefore: typeof $tb === "number" ? $tb : 0,
    };
  }

  /** The latest `$metadata` of a stream (from `$$<stream>`), `{}` when none or unreadable. */
  #metadataObject(stream: string): Record<string, unknown> {
    const metadataStream = this.#streams.get(`$$${stream}`);
    const lastIndex = metadataStream?.[metadataStream.length - 1];
    if (lastIndex === undefined) return {};
    try {
      const metadata: unknown = JSON.parse(
        Buffer.from(this.#recordAt(lastIndex).data).toString("utf8"),
      );
      return typeof metadata === "object" && metadata !== null
        ? (metadata as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #seedSystemEvents(): void {
    const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), "utf8");
    const seeds: ReadonlyArray<[string, string, unknown]> = [
      ["$users", "$UserCreated", { loginName: "admin" }],
      ["$settings", "$metadata", { $acl: {} }],
      ["$scavenges", "$scavengeIndexInitialized", {}],
    ];
    for (const [offset, [stream, type, data]] of seeds.entries()) {
      this.#write({
        stream,
        revision:
          this.currentRevision(stream) === null ? 0 : (this.currentRevision(stream) ?? -1) + 1,
        id: `00000000-0000-4000-8000-00000000000${offset}`,
        type,
        contentType: "application/json",
        data: json(data),
        metadata: new Uint8Array(),
        createdTicks: BigInt(this.#now()) * 10_000n,
      });
    }
  }
}
