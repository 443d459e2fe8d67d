/**
 * When the writer's snapshots are made. The follower (snapshot/snapshot-follower.ts, ADR
 * 0012) keeps its own copy of the durable state and makes the snapshot off the write path;
 * this policy decides when one is due — every `snapshotEvery` events, and no more than
 * `snapshotTimeShareMax` of the clock's time — and hands each durable batch to the follower.
 */
import type { LedgerState, RecordedEvent } from "@pacioli/core";
import { SnapshotFollower } from "../snapshot/snapshot-follower.js";
import type { Clock } from "./clock.js";
import { SNAPSHOT_TIME_SHARE_MAX_DEFAULT, type OpenLedgerOptions } from "./ledger-options.js";

export const SNAPSHOT_EVERY_DEFAULT = 100_000;

export class SnapshotPolicy {
  private lastSnapshotVersion: number;
  /** Keeps its own copy of the durable state and writes snapshots of it. */
  private follower: SnapshotFollower | undefined;
  /** Clock time before which no automatic snapshot starts (see `snapshotTimeShareMax`). */
  private notBefore = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: OpenLedgerOptions,
    private readonly stream: string,
    private readonly clock: Clock,
    loaded: { readonly state: LedgerState; readonly lastHash: string },
  ) {
    this.lastSnapshotVersion = loaded.state.sequence;
    // With automatic snapshots on, the follower's copy is taken now, before the writer starts:
    // a copy taken later would pause the writer for as long as encoding the state takes.
    if (this.every > 0)
      this.follower = new SnapshotFollower(options.store, stream, options, loaded);
  }

  private get every(): number {
    return this.options.snapshotEvery ?? SNAPSHOT_EVERY_DEFAULT;
  }

  /**
   * A batch is durable: the follower gets it (an array push), and a due snapshot starts, not
   * awaited. Called before the batch's acknowledgements, so a caller that waits for
   * `settled()` after its ack sees the snapshot.
   */
  committed(durableSequence: number, recorded: readonly RecordedEvent[], lastHash: string): void {
    this.follower?.follow(recorded, lastHash);
    if (this.every <= 0 || durableSequence - this.lastSnapshotVersion < this.every) return;
    const started = this.clock.now();
    if (started < this.notBefore || this.follower?.busy === true) return;
    this.lastSnapshotVersion = durableSequence;
    const share = this.options.snapshotTimeShareMax ?? SNAPSHOT_TIME_SHARE_MAX_DEFAULT;
    const spaced = (): void => {
      const ended = this.clock.now();
      this.notBefore = ended + (ended - started) * (1 / share - 1);
    };
    // The batch is durable and acknowledged; a missing snapshot only slows the next start.
    this.ownFollower()
      .snapshot()
      .then(spaced, (error: unknown) => {
        spaced();
        this.options.onWarning?.(`cannot write a snapshot of ${this.stream}: ${String(error)}`);
      });
  }

  /** Writes a snapshot of the durable state (as of the last acknowledged batch) now. */
  async snapshotNow(): Promise<void> {
    const version = await this.ownFollower().snapshot();
    this.lastSnapshotVersion = Math.max(this.lastSnapshotVersion, version);
  }

  /** Resolves once no snapshot is being folded, encoded or written. */
  async settled(): Promise<void> {
    await this.follower?.settled();
  }

  /** The follower, made on first use when automatic snapshots are off (its copy read from the store). */
  private ownFollower(): SnapshotFollower {
    this.follower ??= new SnapshotFollower(this.options.store, this.stream, this.options);
    return this.follower;
  }
}
