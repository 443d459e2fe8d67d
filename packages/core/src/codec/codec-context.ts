/**
 * The registry-bound codecs every event and command codec is built from, made once per
 * currency registry and cached, so decoding a stream never rebuilds them.
 */
import * as t from "io-ts";
import type { CurrencyRegistry } from "../money/index.js";
import type { Posting } from "../ledger/posting.js";
import {
  moneyCodec,
  postingCodec,
  type Money,
  type MoneyJson,
  type PostingJson,
} from "./money-codec.js";
import { AssertionFailure } from "../assertion.js";

export interface CodecContext {
  readonly registry: CurrencyRegistry;
  /** Money with a strictly positive amount. */
  readonly money: t.Type<Money, MoneyJson, unknown>;
  /** Money that may be zero (remainders, released amounts). */
  readonly moneyOrZero: t.Type<Money, MoneyJson, unknown>;
  readonly postings: t.Type<Posting[], PostingJson[], unknown>;
}

/** `build`, made once per currency registry and then reused (a registry is never edited). */
export function perRegistry<T>(
  build: (registry: CurrencyRegistry) => T,
): (registry: CurrencyRegistry) => T {
  const built = new WeakMap<CurrencyRegistry, T>();
  return (registry) => {
    let value = built.get(registry);
    if (value === undefined) {
      value = build(registry);
      built.set(registry, value);
    }
    return value;
  };
}

export const codecContext = perRegistry((registry): CodecContext => ({
  registry,
  money: moneyCodec(registry, "positive"),
  moneyOrZero: moneyCodec(registry, "non-negative"),
  postings: t.array(postingCodec(registry)),
}));

/**
 * A codec for a union discriminated by its `type` field: one lookup instead of trying every
 * member in turn (what `t.union` does), and a precise error for an unknown type.
 */
export function taggedUnion<
  A extends { readonly type: string },
  O extends { readonly type: string },
>(
  name: string,
  members: Readonly<Record<string, t.Type<A, O, unknown>>>,
  /** What a caller calls a member, in failure messages (`command`); the codec's name by default. */
  noun: string = name,
): t.Type<A, O, unknown> {
  const byType = new Map(Object.entries(members));
  return new t.Type<A, O, unknown>(
    name,
    (u): u is A =>
      typeof u === "object" &&
      u !== null &&
      byType.get((u as { type?: unknown }).type as string)?.is(u) === true,
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u))
        return t.failure(u, c, `${noun} as a JSON object`);
      const type = (u as { type?: unknown }).type;
      const member = typeof type === "string" ? byType.get(type) : undefined;
      if (member === undefined)
        return t.failure(
          type,
          t.appendContext(c, "type", t.string, type),
          `a known ${noun} type (${[...byType.keys()].join(", ")})`,
        );
      return member.validate(u, c);
    },
    (a) => {
      const member = byType.get(a.type);
      if (member === undefined)
        throw new AssertionFailure(`encoding unknown ${name} type ${a.type}`);
      return member.encode(a);
    },
  );
}
