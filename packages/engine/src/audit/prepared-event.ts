/**
 * The per-event half of the audit: everything that depends on one stored payload alone.
 * `prepareEvent` parses the payload, recomputes its chain hash, decodes it with the
 * recorded-event codec (never trusted), and works out the findings that need no other
 * event: postings that do not balance, fields that disagree with the postings. What it
 * returns is data (strings, numbers, the decoded event), so it can run on a worker thread
 * and cross to the fold by structured clone; the fold (`auditStream`) reports these facts in
 * the order a sequential replay would, then runs the checks that need the events before.
 *
 * The sequential audit calls this very function inline: the two paths share every check.
 */
import {
  decodeFailure,
  describeDecodeFailure,
  recordedEventCodec,
  type CurrencyRegistry,
  type RecordedEvent,
} from "@pacioli/core";
import { chainHash } from "../journal/hash-chain.js";
import { parsePayload, readEnvelope, type ParsedPayload } from "../journal/journal-codec.js";
import { unbalancedFinding } from "./balance-check.js";
import { fieldsFindings } from "./fields-check.js";

/** What the chain check needs to know of one payload, without the event before it. */
export type ChainFacts =
  | {
      readonly _tag: "Envelope";
      readonly hash: string;
      readonly previousHash: string;
      /** The hash recomputed over the stored record bytes, only when it differs from `hash`. */
      readonly recomputed: string | undefined;
    }
  | {
      /** Not in the journal's exact layout; the `hash` field when it is a string. */
      readonly _tag: "NotCanonical";
      readonly hash: string | undefined;
    };

export type PreparedEvent =
  | { readonly _tag: "Unreadable"; readonly message: string }
  | { readonly _tag: "Undecodable"; readonly chain: ChainFacts; readonly message: string }
  | {
      readonly _tag: "Decoded";
      readonly chain: ChainFacts;
      readonly recorded: RecordedEvent;
      /** The "balanced" finding, when the postings do not sum to zero. */
      readonly unbalanced: string | undefined;
      /** The "fields" findings. */
      readonly fields: readonly string[];
    };

/** Prepares the payload stored at `position` (1-based); stops at the first failure. */
export function prepareEvent(
  registry: CurrencyRegistry,
  payload: string,
  position: number,
): PreparedEvent {
  const parsed = parseRecord(payload);
  if (parsed._tag === "Unreadable")
    return {
      _tag: "Unreadable",
      message: `event ${position} is ${parsed.message}; replay stops here`,
    };
  const envelope = parsed.envelope;
  let chain: ChainFacts;
  if (envelope === undefined) {
    chain = {
      _tag: "NotCanonical",
      hash: typeof parsed.hash === "string" ? parsed.hash : undefined,
    };
  } else {
    const recomputed = chainHash(envelope.previousHash, envelope.recordText);
    chain = {
      _tag: "Envelope",
      hash: envelope.hash,
      previousHash: envelope.previousHash,
      recomputed: recomputed === envelope.hash ? undefined : recomputed,
    };
  }
  const decoded = recordedEventCodec(registry).decode(parsed.wire);
  if (decoded._tag === "Left")
    return {
      _tag: "Undecodable",
      chain,
      message: `${describeDecodeFailure(decodeFailure(`event ${position}`, decoded.left))}\nreplay stops here`,
    };
  const recorded = decoded.right;
  return {
    _tag: "Decoded",
    chain,
    recorded,
    unbalanced: unbalancedFinding(registry, recorded),
    fields: fieldsFindings(registry, recorded),
  };
}

/**
 * `parsePayload`'s result, parsing only the record's bytes when the payload is in the exact
 * journal layout: the envelope's 166 characters are already matched by `readEnvelope`, so
 * `JSON.parse` of the whole payload read them twice and allocated the two hashes again. When
 * the record's bytes are one JSON object the whole payload is that object under the two
 * hashes and nothing else, so both ways give the same result; any other payload (broken
 * layout, extra keys after the record, not JSON) takes `parsePayload` itself.
 */
function parseRecord(payload: string): ParsedPayload {
  const envelope = readEnvelope(payload);
  if (envelope !== undefined) {
    let record: unknown;
    try {
      record = JSON.parse(envelope.recordText);
    } catch {
      record = undefined;
    }
    if (typeof record === "object" && record !== null && !Array.isArray(record))
      return {
        _tag: "Parsed",
        wire: record as Record<string, unknown>,
        envelope,
        hash: envelope.hash,
        previousHash: envelope.previousHash,
      };
  }
  return parsePayload(payload);
}
