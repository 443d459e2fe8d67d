/**
 * The members of the core's tagged unions (`LedgerCommand`, `LedgerEvent`), read back from
 * the codec itself. The core exports the union codec, not its members; decoding tells them:
 *
 * 1. Decoding `{ type: "?" }` fails with the message listing every known `type`.
 * 2. Decoding, for each type, an object whose every field holds a value no codec accepts
 *    fails once per field, and io-ts puts the codec of each field (and, in an intersection,
 *    each part) in the failure's context: the member's shape, optional fields included.
 * 3. Decoding `{ type }` alone fails only for the required fields.
 *
 * This leans on io-ts's documented `Context` (key, type, actual), not on the core's files, so
 * a command added to the core appears in the OpenAPI document with no edit here. If the core
 * ever exports its member codecs, this file becomes a one-line lookup.
 */
import * as t from "io-ts";
import { AssertionFailure } from "@pacioli/core";

export interface UnionMember {
  readonly type: string;
  /** The member's parts: whole object codecs (t.type, t.partial) of an intersection. */
  readonly parts: readonly t.Mixed[];
  /** Fields of a plain `t.type` member (no intersection), with their codecs. */
  readonly fields: ReadonlyMap<string, t.Mixed>;
  readonly required: ReadonlySet<string>;
}

const UNKNOWN_TYPE = "?";
/** A value that no io-ts codec of the core accepts (not JSON: a symbol). */
const NOTHING_DECODES = Symbol("no codec accepts this");

export function taggedUnionMembers(union: t.Mixed): UnionMember[] {
  return memberTypes(union).map((type) => member(union, type));
}

function memberTypes(union: t.Mixed): string[] {
  const decoded = union.decode({ type: UNKNOWN_TYPE });
  const message = decoded._tag === "Left" ? decoded.left[0]?.message : undefined;
  const listed = message === undefined ? null : /\(([^()]*)\)$/.exec(message);
  if (listed?.[1] === undefined)
    throw new AssertionFailure(`${union.name} did not list its types for an unknown one`);
  return listed[1].split(", ");
}

function member(union: t.Mixed, type: string): UnionMember {
  return { type, ...objectShape(union, type) };
}

/** An object codec's shape, read back by decoding probes (see the module comment). */
export interface ObjectShape {
  readonly parts: readonly t.Mixed[];
  readonly fields: ReadonlyMap<string, t.Mixed>;
  readonly required: ReadonlySet<string>;
}

/**
 * The parts or fields of an object codec that io-ts cannot describe itself (a hand-written
 * wrapper such as the core's strict `CommandRequest`), or of one member of a tagged union
 * when `type` is given.
 */
export function objectShape(codec: t.Mixed, type?: string): ObjectShape {
  const everything = new Proxy(
    {},
    {
      get: (_target, key) => (key === "type" && type !== undefined ? type : NOTHING_DECODES),
      has: () => true,
    },
  );
  const parts = new Map<string, t.Mixed>();
  const fields = new Map<string, t.Mixed>();
  for (const error of failures(codec, everything)) {
    const first = error.context[1];
    if (first === undefined)
      throw new AssertionFailure(`${codec.name} ${type ?? ""} failed at its root`);
    if (/^[0-9]+$/.test(first.key) && isObjectCodec(first.type))
      parts.set(first.key, first.type as t.Mixed);
    else fields.set(first.key, first.type as t.Mixed);
  }
  const required = new Set<string>();
  for (const error of failures(codec, type === undefined ? {} : { type })) {
    const path = error.context
      .slice(1)
      .map((entry) => entry.key)
      .filter((key) => !/^[0-9]+$/.test(key));
    if (path[0] !== undefined) required.add(path[0]);
  }
  return {
    parts: [...parts.entries()]
      .sort(([left], [right]) => Number(left) - Number(right))
      .map(([, part]) => part),
    fields,
    required,
  };
}

function failures(union: t.Mixed, input: unknown): t.Errors {
  const decoded = union.decode(input);
  return decoded._tag === "Left" ? decoded.left : [];
}

function isObjectCodec(codec: t.Decoder<unknown, unknown>): boolean {
  const tag = (codec as { _tag?: unknown })._tag;
  return tag === "InterfaceType" || tag === "PartialType";
}
