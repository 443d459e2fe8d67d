import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdempotencyTable, type IdempotencyEntry } from "./idempotency-table.js";

/** The table's contract written the plain way: a Map of entries and a queue in recording order. */
class ReferenceTable {
  private readonly entries = new Map<string, IdempotencyEntry>();
  private readonly queue: IdempotencyEntry[] = [];
  constructor(
    readonly retentionMs: number,
    readonly capacity = Number.POSITIVE_INFINITY,
  ) {}
  get = (key: string): IdempotencyEntry | undefined => this.entries.get(key);
  get size(): number {
    return this.entries.size;
  }
  remember(entry: IdempotencyEntry): void {
    this.entries.set(entry.key, entry);
    this.queue.push(entry);
    while (this.entries.size > this.capacity) this.dropOldest();
  }
  private dropOldest(): void {
    const oldest = this.queue.shift() as IdempotencyEntry;
    if (this.entries.get(oldest.key) === oldest) this.entries.delete(oldest.key);
  }
  expire(now: number): void {
    while (
      this.queue.length > 0 &&
      (this.queue[0] as IdempotencyEntry).recordedAt <= now - this.retentionMs
    )
      this.dropOldest();
  }
  live = (): IdempotencyEntry[] =>
    this.queue.filter((entry) => this.entries.get(entry.key) === entry);
}

describe("IdempotencyTable", () => {
  it("answers as a map of the keys recorded within the retention window, whatever the keys, the growth and the capacity", () => {
    // Few distinct keys (reuse before and after expiry) and many (growth, probe runs, compaction).
    const scenario = fc.record({
      keySpace: fc.constantFrom(3, 40, 5000),
      retentionMs: fc.integer({ min: 1, max: 200 }),
      // Unbounded (the audit, a store without a key window) or a hot set that evicts the oldest.
      capacity: fc.constantFrom(Number.POSITIVE_INFINITY, 1, 7, 100),
      steps: fc.array(
        fc.record({ key: fc.nat(), gap: fc.integer({ min: 0, max: 5 }), probe: fc.nat() }),
        { maxLength: 3000 },
      ),
    });
    fc.assert(
      fc.property(scenario, ({ keySpace, retentionMs, capacity, steps }) => {
        const table = new IdempotencyTable(retentionMs, capacity);
        const reference = new ReferenceTable(retentionMs, capacity);
        let now = 0;
        steps.forEach((step, index) => {
          now += step.gap;
          const key = `key-${step.key % keySpace}`;
          table.expire(now);
          reference.expire(now);
          const entry = {
            key,
            digest: `d${index}`,
            firstSequence: index + 1,
            eventCount: 1 + (index % 3),
            recordedAt: now,
          };
          if (index % 2 === 0)
            table.add(
              entry.key,
              entry.digest,
              entry.firstSequence,
              entry.eventCount,
              entry.recordedAt,
            );
          else table.remember(entry);
          reference.remember(entry);
          const probe = `key-${step.probe % keySpace}`;
          expect(table.get(probe)).toEqual(reference.get(probe));
          expect(table.size).toBe(reference.size);
        });
        expect([...table.live()]).toEqual(reference.live());
        for (let key = 0; key < Math.min(keySpace, 100); key += 1)
          expect(table.get(`key-${key}`)).toEqual(reference.get(`key-${key}`));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps every key reachable through growth and removals of a large table", () => {
    const table = new IdempotencyTable(1000);
    for (let index = 0; index < 20_000; index += 1) {
      table.expire(index);
      table.add(`k${index}`, `d${index}`, index + 1, 1, index);
    }
    expect(table.size).toBe(1000);
    for (let index = 0; index < 20_000; index += 1)
      expect(table.get(`k${index}`)?.firstSequence).toBe(index >= 19_000 ? index + 1 : undefined);
    expect([...table.live()].map((entry) => entry.key)).toEqual(
      Array.from({ length: 1000 }, (_, offset) => `k${19_000 + offset}`),
    );
  });
});
