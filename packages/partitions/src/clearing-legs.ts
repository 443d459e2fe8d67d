/**
 * The legs of a cross-partition transfer, as ordinary engine commands, and how to recognise
 * them again in a partition's journal.
 *
 * A transfer T of amount X from wallet S (partition A) to wallet R (partition B):
 *
 * | leg       | partition | command                                   | postings                                       |
 * |-----------|-----------|-------------------------------------------|------------------------------------------------|
 * | `send`    | A         | WithdrawFunds(S, X, channel `partition-pB`) | debit S, credit `assets:clearing:partition-pB` |
 * | `receive` | B         | DepositFunds(R, X, channel `partition-pA`)  | debit `assets:clearing:partition-pA`, credit R |
 * | `return`  | A         | DepositFunds(S, X, channel `partition-pB`)  | debit `assets:clearing:partition-pB`, credit S |
 *
 * Each leg balances inside its own partition. Across partitions, `clearing:partition-pB` in A
 * and `clearing:partition-pA` in B net to zero once every send has its receive or return;
 * until then their sum is exactly the money in flight.
 *
 * Every leg carries the same metadata (transfer id, parties, partitions, the caller's key and
 * the digest of the caller's command) and an idempotency key derived from the caller's key,
 * so a leg sent twice (a retry, a restart of the process manager) is recorded once.
 */
import {
  ledgerCommandCodec,
  type CommandRequest,
  type CurrencyRegistry,
  type Money,
  type RecordedEvent,
  type Rejection,
} from "@pacioli/core";
import { canonicalJson, sha256Hex } from "@pacioli/engine";
import { partitionLedgerId, type PartitionIndex } from "./placement.js";
import { encodeRefusal } from "./refusal-memo.js";

// ---------------------------------------------------------------------------------------------
// model

export type LegKind = "send" | "receive" | "return";

/** What every leg of one transfer records in its metadata. */
export interface TransferTicket {
  readonly transferId: string;
  readonly sourceWalletId: string;
  readonly targetWalletId: string;
  readonly source: PartitionIndex;
  readonly target: PartitionIndex;
  readonly amount: Money;
  /** The caller's idempotency key and the digest of the caller's request. */
  readonly requestKey: string;
  readonly requestDigest: string;
}

export const METADATA_PREFIX = "pacioli.partitions.";
const key = (name: string): string => `${METADATA_PREFIX}${name}`;
export const LEG_METADATA_KEYS = {
  leg: key("leg"),
  transferId: key("transfer-id"),
  sourceWalletId: key("source-wallet"),
  targetWalletId: key("target-wallet"),
  source: key("source"),
  target: key("target"),
  requestKey: key("request-key"),
  requestDigest: key("request-digest"),
  /** On a return leg only: the target's refusal, as `refusal-memo.ts` writes it. */
  refusal: key("refusal"),
} as const;

// ---------------------------------------------------------------------------------------------
// constructors

/** What every clearing account's name begins with: `assets:clearing:partition-<ledger id>`. */
export const CLEARING_ACCOUNT_PREFIX = "assets:clearing:partition-";

/** The channel (and so the clearing account) a partition uses for money to or from `other`. */
export const clearingChannel = (other: PartitionIndex): string =>
  `partition-${partitionLedgerId(other)}`;

/** `pt-{first 40 hex of SHA-256(caller's key)}-{leg}`: printable, short, one per leg. */
export const legIdempotencyKey = (requestKey: string, leg: LegKind): string =>
  `pt-${sha256Hex(`pacioli-partition-leg\n${requestKey}`).slice(0, 40)}-${leg}`;

/** SHA-256 of the caller's command (JSON form) and effective time: equal means "the same request". */
export function transferRequestDigest(registry: CurrencyRegistry, request: CommandRequest): string {
  const command = ledgerCommandCodec(registry).encode(request.command);
  return sha256Hex(canonicalJson({ command, effectiveAt: request.effectiveAt ?? null }));
}

/** The command request of one leg, ready for its partition's engine. */
export function legRequest(
  ticket: TransferTicket,
  leg: LegKind,
  caller: Pick<CommandRequest, "actor" | "metadata" | "effectiveAt">,
  refusal?: Rejection,
): CommandRequest {
  const channel = clearingChannel(leg === "receive" ? ticket.source : ticket.target);
  const walletId = leg === "receive" ? ticket.targetWalletId : ticket.sourceWalletId;
  const command =
    leg === "send"
      ? { type: "WithdrawFunds" as const, walletId, amount: ticket.amount, channel }
      : { type: "DepositFunds" as const, walletId, amount: ticket.amount, channel };
  return {
    idempotencyKey: legIdempotencyKey(ticket.requestKey, leg),
    command,
    metadata: {
      ...caller.metadata,
      ...ticketMetadata(ticket, leg),
      ...(refusal === undefined ? {} : { [LEG_METADATA_KEYS.refusal]: encodeRefusal(refusal) }),
    },
    ...(caller.actor === undefined ? {} : { actor: caller.actor }),
    ...(caller.effectiveAt === undefined ? {} : { effectiveAt: caller.effectiveAt }),
  };
}

function ticketMetadata(ticket: TransferTicket, leg: LegKind): Record<string, string> {
  return {
    [LEG_METADATA_KEYS.leg]: leg,
    [LEG_METADATA_KEYS.transferId]: ticket.transferId,
    [LEG_METADATA_KEYS.sourceWalletId]: ticket.sourceWalletId,
    [LEG_METADATA_KEYS.targetWalletId]: ticket.targetWalletId,
    [LEG_METADATA_KEYS.source]: String(ticket.source),
    [LEG_METADATA_KEYS.target]: String(ticket.target),
    [LEG_METADATA_KEYS.requestKey]: ticket.requestKey,
    [LEG_METADATA_KEYS.requestDigest]: ticket.requestDigest,
  };
}

// ---------------------------------------------------------------------------------------------
// reading legs back

export interface RecordedLeg {
  readonly leg: LegKind;
  readonly ticket: TransferTicket;
  readonly recorded: RecordedEvent;
}

/** The leg a recorded event is, or undefined for an ordinary event. */
export function legOf(recorded: RecordedEvent): RecordedLeg | undefined {
  const metadata = recorded.metadata;
  if (metadata === undefined) return undefined;
  const leg = metadata[LEG_METADATA_KEYS.leg];
  if (leg !== "send" && leg !== "receive" && leg !== "return") return undefined;
  const event = recorded.event;
  if (event.type !== "FundsWithdrawn" && event.type !== "FundsDeposited") return undefined;
  const field = (name: keyof typeof LEG_METADATA_KEYS): string => {
    const value = metadata[LEG_METADATA_KEYS[name]];
    if (value === undefined)
      throw new Error(`leg at sequence ${recorded.sequence} has no ${LEG_METADATA_KEYS[name]}`);
    return value;
  };
  return {
    leg,
    recorded,
    ticket: {
      transferId: field("transferId"),
      sourceWalletId: field("sourceWalletId"),
      targetWalletId: field("targetWalletId"),
      source: Number(field("source")),
      target: Number(field("target")),
      amount: event.amount,
      requestKey: field("requestKey"),
      requestDigest: field("requestDigest"),
    },
  };
}
