import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { commandRequestCodec } from "../commands/ledger-command.js";
import { iso4217 } from "../money/index.js";
import { decodeFailure } from "./decode-error.js";
import {
  ACTOR_LENGTH_MAX,
  METADATA_ENTRIES_MAX,
  METADATA_KEY_LENGTH_MAX,
  METADATA_VALUE_LENGTH_MAX,
} from "./request-text.js";

const codec = commandRequestCodec(iso4217);
const request = (extra: Record<string, unknown>) => ({
  idempotencyKey: "k1",
  command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
  ...extra,
});
const issues = (value: unknown) => {
  const decoded = codec.decode(value);
  return decoded._tag === "Left" ? decodeFailure("command request", decoded.left).issues : [];
};

describe("bounds on a request's free text", () => {
  it("accepts an actor and metadata at their bounds", () => {
    const metadata = Object.fromEntries(
      Array.from({ length: METADATA_ENTRIES_MAX }, (_, index) => [
        `${index}`.padEnd(METADATA_KEY_LENGTH_MAX, "k"),
        "v".repeat(METADATA_VALUE_LENGTH_MAX),
      ]),
    );
    expect(issues(request({ actor: "a".repeat(ACTOR_LENGTH_MAX), metadata }))).toEqual([]);
  });

  it("refuses each bound crossed, naming the field and the size, not the text", () => {
    expect(issues(request({ actor: "a".repeat(1 << 20) }))).toEqual([
      {
        path: "actor",
        expected: "an actor of 1-255 characters",
        actual: "a string of 1048576 characters",
      },
    ]);
    expect(issues(request({ actor: "" }))).toEqual([
      {
        path: "actor",
        expected: "an actor of 1-255 characters",
        actual: "a string of 0 characters",
      },
    ]);
    const many = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, index) => [`k${index}`, "v"]),
    );
    expect(issues(request({ metadata: many }))).toEqual([
      { path: "metadata", expected: "at most 64 metadata entries", actual: "10000 entries" },
    ]);
    expect(issues(request({ metadata: { ["k".repeat(65)]: "v" } }))).toEqual([
      {
        path: `metadata.${"k".repeat(65)}`,
        expected: "a metadata key of 1-64 characters",
        actual: "a string of 65 characters",
      },
    ]);
    expect(issues(request({ metadata: { order: "v".repeat(513) } }))).toEqual([
      {
        path: "metadata.order",
        expected: "a metadata value of at most 512 characters",
        actual: "a string of 513 characters",
      },
    ]);
    expect(issues(request({ metadata: { order: 17 } }))).toEqual([
      { path: "metadata.order", expected: "a string value", actual: 17 },
    ]);
    expect(issues(request({ metadata: ["a"] }))).toMatchObject([{ path: "metadata" }]);
  });

  it("decides by length alone: anything within the bounds decodes, anything over is refused", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 520 }), { maxKeys: 70 }),
        (actor, metadata) => {
          const entries = Object.entries(metadata);
          const within =
            actor.length >= 1 &&
            actor.length <= ACTOR_LENGTH_MAX &&
            entries.length <= METADATA_ENTRIES_MAX &&
            entries.every(
              ([key, value]) =>
                key.length >= 1 &&
                key.length <= METADATA_KEY_LENGTH_MAX &&
                value.length <= METADATA_VALUE_LENGTH_MAX,
            );
          expect(codec.decode(request({ actor, metadata }))._tag).toBe(within ? "Right" : "Left");
        },
      ),
    );
  });
});
