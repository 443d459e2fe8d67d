/**
 * fast-check commands that drive a real store and the reference model side by side.
 *
 * Each command runs against the real store, asks the model what should have happened, and
 * checks the two agree. Event ids are handed out by the model at run time (as the engine
 * derives them from the command), so shrinking never makes two batches share ids by accident.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { AppendResult, EventStore, NewEvent, Position, StoredEvent } from "@pacioli/engine";
import {
  eventBodiesArbitrary,
  payloadArbitrary,
  withEventIds,
  type EventBody,
} from "./new-event-arbitraries.js";
import {
  ReferenceStoreModel,
  type ModelAppendOutcome,
  type ModelEvent,
} from "./reference-store-model.js";

type StoreCommand = fc.AsyncCommand<ReferenceStoreModel, EventStore>;

/** Writers in one race; the bound keeps a run quick. */
const racers_max = 4;
const model_page_size_max = 7;

const streamArbitrary = fc.constantFrom("ledger-1", "ledger-2", "partition/ü-3");

/** Checks a real append result against the model's outcome, and records the position. */
function checkAppend(
  model: ReferenceStoreModel,
  outcome: ModelAppendOutcome,
  result: AppendResult,
): void {
  if (outcome._tag === "VersionConflict") {
    expect(result).toEqual(outcome);
    return;
  }
  expect(result._tag).toBe("Appended");
  if (result._tag !== "Appended") return;
  expect(result.nextVersion).toBe(outcome.nextVersion);
  const recorded = model.positions.get(outcome.lastLogIndex);
  if (!outcome.wrote) {
    expect(result.position).toBe(recorded);
    return;
  }
  const previous = [...model.positions.values()].at(-1);
  if (previous !== undefined) expect(result.position > previous).toBe(true);
  model.positions.set(outcome.lastLogIndex, result.position);
}

/** New events made of `bodies`, sent at the stream's current version; how they are sent varies. */
abstract class AppendOfNewEvents implements StoreCommand {
  constructor(
    readonly stream: string,
    readonly bodies: readonly EventBody[],
  ) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const expectedVersion = model.version(this.stream);
    const events = withEventIds(this.bodies, () => model.freshEventId());
    const result = await this.send(store, events, expectedVersion);
    checkAppend(model, model.append(this.stream, events, expectedVersion), result);
  }
  /** Sends the append and returns the result the model is checked against. */
  protected abstract send(
    store: EventStore,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult>;
}

class AppendAtCurrentVersion extends AppendOfNewEvents {
  protected override send(
    store: EventStore,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    return store.append(this.stream, events, expectedVersion);
  }
  override toString = (): string => `append(${this.stream}, ${this.bodies.length} at current)`;
}

class AppendAtWrongVersion implements StoreCommand {
  constructor(
    readonly stream: string,
    readonly bodies: readonly EventBody[],
    readonly skew: number,
  ) {}
  check = (model: Readonly<ReferenceStoreModel>): boolean =>
    model.version(this.stream) + this.skew >= 0;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const expectedVersion = model.version(this.stream) + this.skew;
    const events = withEventIds(this.bodies, () => model.freshEventId());
    const result = await store.append(this.stream, events, expectedVersion);
    const outcome = model.append(this.stream, events, expectedVersion);
    expect(outcome._tag).toBe("VersionConflict");
    checkAppend(model, outcome, result);
  }
  toString = (): string => `append(${this.stream}, ${this.bodies.length} at skew ${this.skew})`;
}

/** Replays an earlier successful append exactly: the store must recognise it. */
class RetryEarlierAppend implements StoreCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<ReferenceStoreModel>): boolean => model.appends.length > 0;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const original = model.appends[this.pick % model.appends.length];
    if (original === undefined) throw new Error("invariant: check() guarantees an earlier append");
    const result = await store.append(original.stream, original.events, original.expectedVersion);
    const outcome = model.append(original.stream, original.events, original.expectedVersion);
    expect(outcome).toMatchObject({ _tag: "Appended", wrote: false });
    checkAppend(model, outcome, result);
  }
  toString = (): string => `retry(#${this.pick})`;
}

/** An earlier append with extra events on the end: only part of it happened, so a conflict. */
class RetryWithExtraEvents implements StoreCommand {
  constructor(
    readonly pick: number,
    readonly extra: readonly EventBody[],
  ) {}
  check = (model: Readonly<ReferenceStoreModel>): boolean => model.appends.length > 0;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const original = model.appends[this.pick % model.appends.length];
    if (original === undefined) throw new Error("invariant: check() guarantees an earlier append");
    const events = [...original.events, ...withEventIds(this.extra, () => model.freshEventId())];
    const result = await store.append(original.stream, events, original.expectedVersion);
    const outcome = model.append(original.stream, events, original.expectedVersion);
    expect(outcome._tag).toBe("VersionConflict");
    checkAppend(model, outcome, result);
  }
  toString = (): string => `retryWithExtra(#${this.pick}, +${this.extra.length})`;
}

/** Several writers append different batches at the same version at once: exactly one wins. */
class RaceForSameVersion implements StoreCommand {
  constructor(
    readonly stream: string,
    readonly batches: readonly (readonly EventBody[])[],
  ) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const expectedVersion = model.version(this.stream);
    const batches = this.batches.map((bodies) => withEventIds(bodies, () => model.freshEventId()));
    const results = await Promise.all(
      batches.map((events) => store.append(this.stream, events, expectedVersion)),
    );
    const winners = results.flatMap((result, index) => (result._tag === "Appended" ? [index] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0] ?? 0;
    const winning = batches[winner] ?? [];
    checkAppend(
      model,
      model.append(this.stream, winning, expectedVersion),
      results[winner] as AppendResult,
    );
    for (const result of results.filter((_, index) => index !== winner)) {
      expect(result).toEqual({
        _tag: "VersionConflict",
        expectedVersion,
        actualVersion: expectedVersion + winning.length,
      });
    }
  }
  toString = (): string =>
    `race(${this.stream}, ${this.batches.map((batch) => batch.length).join("/")})`;
}

/** The same append sent twice at once (a client retrying too early): one write, two equal results. */
class RaceOfSameAppend extends AppendOfNewEvents {
  protected override async send(
    store: EventStore,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    const [first, second] = await Promise.all([
      store.append(this.stream, events, expectedVersion),
      store.append(this.stream, events, expectedVersion),
    ]);
    expect(second).toEqual(first);
    return first;
  }
  override toString = (): string => `raceSame(${this.stream}, ${this.bodies.length})`;
}

function withoutPosition(event: StoredEvent): ModelEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    payload: event.payload,
    stream: event.stream,
    streamIndex: event.streamIndex,
  };
}

class ReadStream implements StoreCommand {
  constructor(
    readonly stream: string,
    readonly fromIndex: number,
    readonly limit: number | undefined,
  ) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const options =
      this.limit === undefined
        ? { fromIndex: this.fromIndex }
        : { fromIndex: this.fromIndex, limit: this.limit };
    const events = await store.readStream(this.stream, options);
    expect(events.map(withoutPosition)).toEqual(
      model.readStream(this.stream, this.fromIndex, this.limit),
    );
    expect(await store.streamVersion(this.stream)).toBe(model.version(this.stream));
  }
  toString = (): string =>
    `readStream(${this.stream}, from ${this.fromIndex}, limit ${this.limit})`;
}

/** Pages through the whole log: commit order, increasing positions, append positions on it. */
class ReadAllPages implements StoreCommand {
  constructor(readonly pageSize: number) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const events = await readEverything(store, this.pageSize);
    expect(events.map(withoutPosition)).toEqual(model.log);
    expectIncreasing(events.map((event) => event.position));
    for (const [logIndex, position] of model.positions)
      expect(events[logIndex]?.position).toBe(position);
  }
  toString = (): string => `readAll(pages of ${this.pageSize})`;
}

class SubscribeFrom implements StoreCommand {
  constructor(readonly skip: number) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const everything = await readEverything(store, 100);
    const skipped = Math.min(this.skip, everything.length);
    const after = skipped === 0 ? null : (everything[skipped - 1]?.position ?? null);
    const received: StoredEvent[] = [];
    const subscription = store.subscribe(after, (event) => void received.push(event));
    await waitUntil(() => received.length >= model.log.length - skipped);
    await subscription.close();
    expect(received.map(withoutPosition)).toEqual(model.log.slice(skipped));
  }
  toString = (): string => `subscribe(after ${this.skip})`;
}

class WriteSnapshot implements StoreCommand {
  constructor(
    readonly stream: string,
    readonly version: number,
    readonly payload: string,
  ) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    const snapshot = { stream: this.stream, version: this.version, payload: this.payload };
    await store.writeSnapshot(snapshot);
    model.snapshots.set(this.stream, snapshot);
    expect(await store.readSnapshot(this.stream)).toEqual(snapshot);
  }
  toString = (): string => `writeSnapshot(${this.stream}, v${this.version})`;
}

class ReadSnapshot implements StoreCommand {
  constructor(readonly stream: string) {}
  check = (): boolean => true;
  async run(model: ReferenceStoreModel, store: EventStore): Promise<void> {
    expect(await store.readSnapshot(this.stream)).toEqual(model.snapshots.get(this.stream) ?? null);
  }
  toString = (): string => `readSnapshot(${this.stream})`;
}

export async function readEverything(store: EventStore, pageSize: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after: Position | null = null;
  for (;;) {
    const page = await store.readAll(after, pageSize);
    expect(page.events.length).toBeLessThanOrEqual(pageSize);
    events.push(...page.events);
    expect(page.last).toBe(page.events.at(-1)?.position ?? after);
    after = page.last;
    if (page.isEnd) return events;
    expect(page.events.length).toBeGreaterThan(0);
  }
}

export function expectIncreasing(positions: readonly Position[]): void {
  positions
    .slice(1)
    .forEach((position, index) => expect(position > (positions[index] ?? "")).toBe(true));
}

/** Polls a condition; fails the test instead of hanging when it never holds. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const bodies = eventBodiesArbitrary({ maxLength: 5 });

export const storeCommandsArbitrary = fc.commands(
  [
    fc
      .tuple(streamArbitrary, bodies)
      .map(([stream, batch]) => new AppendAtCurrentVersion(stream, batch)),
    fc
      .tuple(
        streamArbitrary,
        bodies,
        fc.integer({ min: -3, max: 3 }).filter((skew) => skew !== 0),
      )
      .map(([stream, batch, skew]) => new AppendAtWrongVersion(stream, batch, skew)),
    fc.nat().map((pick) => new RetryEarlierAppend(pick)),
    fc.tuple(fc.nat(), bodies).map(([pick, extra]) => new RetryWithExtraEvents(pick, extra)),
    fc
      .tuple(streamArbitrary, fc.array(bodies, { minLength: 2, maxLength: racers_max }))
      .map(([stream, batches]) => new RaceForSameVersion(stream, batches)),
    fc.tuple(streamArbitrary, bodies).map(([stream, batch]) => new RaceOfSameAppend(stream, batch)),
    fc
      .tuple(
        streamArbitrary,
        fc.nat({ max: 12 }),
        fc.option(fc.nat({ max: 6 }), { nil: undefined }),
      )
      .map(([stream, fromIndex, limit]) => new ReadStream(stream, fromIndex, limit)),
    fc.integer({ min: 1, max: model_page_size_max }).map((pageSize) => new ReadAllPages(pageSize)),
    fc.nat({ max: 20 }).map((skip) => new SubscribeFrom(skip)),
    fc
      .tuple(streamArbitrary, fc.nat({ max: 50 }), payloadArbitrary)
      .map(([stream, version, payload]) => new WriteSnapshot(stream, version, payload)),
    streamArbitrary.map((stream) => new ReadSnapshot(stream)),
  ],
  { maxCommands: 30 },
);
