/**
 * The digest of a command request: what lets a retried idempotency key be recognised as the
 * same request, and (its first 32 hex digits) the default command id. One SHA-256 per command.
 *
 * It is computed from the decoded request, not from a re-encoding of it: the decoded form is
 * already normal (amounts are bigint minor units, so "12.3" and "12.30" USD are both 1230n;
 * instants are epoch milliseconds, however the caller spelled them), so a canonical walk of it
 * (keys sorted, bigints marked `123n`) separates exactly the requests the old digest
 * (SHA-256 of the canonical JSON of the re-encoded command) separated. The idempotency key is
 * hashed in too, which makes the digest a unique command id without a second hash.
 *
 * Digests recorded before this formulation (`legacyRequestDigest`) are still recognised: a key
 * whose recorded digest differs from the new one is compared with the legacy digest too, so a
 * retry that spans the upgrade gets its original result (ADR 0010).
 */
import {
  formatTimestamp,
  ledgerCommandCodec,
  type CommandRequest,
  type CurrencyRegistry,
} from "@pacioli/core";
import { canonicalJson } from "../journal/canonical-json.js";
import { sha256Hex } from "../journal/hash-chain.js";
import { AssertionFailure } from "@pacioli/core";

/** Marks the text hashed, so no other use of SHA-256 in Pacioli can collide with it. */
const DIGEST_TAG = "pacioli-request-2";

export function requestDigest(
  request: Pick<CommandRequest, "idempotencyKey" | "command" | "effectiveAt">,
): string {
  const effectiveAt = request.effectiveAt === undefined ? "" : String(request.effectiveAt);
  return sha256Hex(
    `${DIGEST_TAG}\n${request.idempotencyKey}\n${effectiveAt}\n${canonicalText(request.command)}`,
  );
}

/** The command id a request gets when it names none: derived from its digest, no second hash. */
export function defaultCommandId(digest: string): string {
  return `cmd-${digest.slice(0, 32)}`;
}

/** The digest as releases before 0.9 computed it: SHA-256 of the re-encoded request's canonical JSON. */
export function legacyRequestDigest(
  registry: CurrencyRegistry,
  request: Pick<CommandRequest, "command" | "effectiveAt">,
): string {
  const normalized = {
    command: ledgerCommandCodec(registry).encode(request.command),
    effectiveAt:
      request.effectiveAt === undefined ? undefined : formatTimestamp(request.effectiveAt),
  };
  return sha256Hex(canonicalJson(normalized));
}

/** Canonical text of a decoded value: sorted keys, `n`-suffixed bigints, undefined fields left out. */
export function canonicalText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new AssertionFailure(`a decoded command holds ${value}`);
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
      return objectText(value as Record<string, unknown>);
    default:
      throw new AssertionFailure(`a decoded command holds a ${typeof value}`);
  }
}

function objectText(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort();
  let text = "{";
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (text.length > 1) text += ",";
    text += `${JSON.stringify(key)}:${canonicalText(item)}`;
  }
  return `${text}}`;
}
