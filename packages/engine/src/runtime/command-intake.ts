/**
 * The edge where commands come in, by one of two doors:
 *
 * - `takeInWire`: JSON from anywhere (a socket, a file), decoded with io-ts;
 * - `takeInTyped`: a `CommandRequest` built by TypeScript code. The compiler has checked its
 *   shape, not its refinements (a positive amount, a known currency, an id's pattern), so it
 *   is checked by the same codec, through its wire form: refused input never reaches `decide`.
 *
 * Either way the request is then stamped with what the core must not produce itself: the
 * time, a command id, and the digest that recognises a retried idempotency key
 * (`request-digest.ts`: one hash, from the decoded request, no re-encoding).
 */
import {
  commandRequestCodec,
  decodeFailure,
  type CommandEnvelope,
  type CommandRequest,
  type CurrencyRegistry,
  type DecodeFailure,
} from "@pacioli/core";

export type { CommandRequestJson } from "@pacioli/core";
import { defaultCommandId, requestDigest } from "./request-digest.js";

export type Intake =
  | { readonly _tag: "Ready"; readonly envelope: CommandEnvelope }
  | { readonly _tag: "Invalid"; readonly failure: DecodeFailure };

const requestCodecs = new WeakMap<CurrencyRegistry, ReturnType<typeof commandRequestCodec>>();

function requestCodec(registry: CurrencyRegistry): ReturnType<typeof commandRequestCodec> {
  let codec = requestCodecs.get(registry);
  if (codec === undefined) requestCodecs.set(registry, (codec = commandRequestCodec(registry)));
  return codec;
}

/** Untrusted input: decoded with io-ts, refused with a `DecodeFailure` naming the field. */
export function takeInWire(registry: CurrencyRegistry, request: unknown, at: number): Intake {
  const decoded = requestCodec(registry).decode(request);
  if (decoded._tag === "Left")
    return { _tag: "Invalid", failure: decodeFailure("command request", decoded.left) };
  return { _tag: "Ready", envelope: stamp(decoded.right, at) };
}

/** A typed request: its refinements are checked by the codec before anything is decided. */
export function takeInTyped(
  registry: CurrencyRegistry,
  request: CommandRequest,
  at: number,
): Intake {
  const codec = requestCodec(registry);
  let wire: unknown;
  try {
    wire = codec.encode(request);
  } catch (error) {
    // Encoding asserts what the type cannot say (a currency this ledger does not know).
    const failure: DecodeFailure = {
      _tag: "DecodeFailure",
      what: "command request",
      issues: [
        {
          path: "command",
          expected: "a command this ledger can encode",
          actual: error instanceof Error ? error.message : String(error),
        },
      ],
    };
    return { _tag: "Invalid", failure };
  }
  return takeInWire(registry, wire, at);
}

/** @deprecated since 0.9: `takeInWire`. */
export const takeIn = takeInWire;

function stamp(value: CommandRequest, at: number): CommandEnvelope {
  const digest = requestDigest(value);
  return {
    commandId: value.commandId ?? defaultCommandId(digest),
    idempotencyKey: value.idempotencyKey,
    digest,
    at,
    command: value.command,
    ...(value.effectiveAt === undefined ? {} : { effectiveAt: value.effectiveAt }),
    ...(value.actor === undefined ? {} : { actor: value.actor }),
    ...(value.metadata === undefined ? {} : { metadata: value.metadata }),
  };
}
