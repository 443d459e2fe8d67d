import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fnv1a32, partitionLedgerId, partitionOf, placement } from "./placement.js";

describe("placement", () => {
  it("hashes with 32-bit FNV-1a over UTF-8 (the published test vectors)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    // UTF-8, not UTF-16: "é" is the two bytes c3 a9.
    expect(fnv1a32("é")).toBe(
      Math.imul((Math.imul(0x811c9dc5 ^ 0xc3, 0x01000193) >>> 0) ^ 0xa9, 0x01000193) >>> 0,
    );
  });

  it("places a wallet at FNV-1a(id) mod N, the documented examples", () => {
    const four = placement(4);
    expect(["w1", "w2", "w3", "alice", "merchant-7"].map((id) => partitionOf(four, id))).toEqual(
      ["w1", "w2", "w3", "alice", "merchant-7"].map((id) => fnv1a32(id) % 4),
    );
    expect(partitionOf(placement(1), "anything")).toBe(0);
  });

  it("is a pure function of id, count and overrides: every process computes the same", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (id, count) => {
        const here = partitionOf(placement(count), id);
        const there = partitionOf(placement(count, []), id);
        expect(here).toBe(there);
        expect(here).toBeGreaterThanOrEqual(0);
        expect(here).toBeLessThan(count);
      }),
    );
  });

  it("lets an override place a hot wallet on its own partition", () => {
    const hash = fnv1a32("hot-merchant") % 4;
    const own = (hash + 1) % 4;
    const rule = placement(4, [["hot-merchant", own]]);
    expect(partitionOf(rule, "hot-merchant")).toBe(own);
    expect(partitionOf(rule, "someone-else")).toBe(fnv1a32("someone-else") % 4);
  });

  it("spreads wallets evenly enough to be worth partitioning (10,000 ids over 4)", () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 10_000; i += 1) counts[partitionOf(placement(4), `wallet-${i}`)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(2_000);
  });

  it("refuses a count outside 1..1024 and an override outside the partitions", () => {
    expect(() => placement(0)).toThrow(RangeError);
    expect(() => placement(1.5)).toThrow(RangeError);
    expect(() => placement(1025)).toThrow(RangeError);
    expect(() => placement(2, [["w1", 2]])).toThrow(/outside 0..1/);
  });

  it("names partition streams ledger-p{index}", () => {
    expect(partitionLedgerId(3)).toBe("p3");
  });
});
