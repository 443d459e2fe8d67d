/**
 * A small history that the history tests of the CLI (through `pacioli apply`) and of the
 * server (through `POST /commands`) send, and the rules they check each answered line by:
 * an opening, two deposits (one with actor and metadata, one without) and a withdrawal;
 * the counterparty of an account's posting; the fields a line repeats from its command.
 * One copy, so that the two front ends are held to the same expectations.
 */

/** A posting as the JSON answer of a command carries it (amounts are decimal strings). */
export interface HistoryPosting {
  readonly account: string;
  readonly currency: string;
  readonly amount: string;
}

/** An event as the JSON answer of a command carries it (the fields the history checks read). */
export interface HistoryEventJson {
  readonly sequence: number;
  readonly commandId: string;
  readonly event: { readonly type: string; readonly postings: readonly HistoryPosting[] };
}

/** A command request as sent on the wire (a line of `pacioli apply`, a `POST /commands` body). */
export interface HistoryRequest {
  readonly idempotencyKey: string;
  readonly commandId?: string;
  readonly actor?: string;
  readonly metadata?: Record<string, string>;
  readonly command: Record<string, unknown>;
}

/** An event of an answer beside the request that caused it. */
export interface HistorySent {
  readonly request: HistoryRequest;
  readonly event: HistoryEventJson;
}

const usd = (amount: string) => ({ currency: "USD", amount });

/** Opening, two deposits (one with actor and metadata, one without), a withdrawal. */
export const HISTORY_REQUESTS: readonly HistoryRequest[] = [
  {
    idempotencyKey: "open-w1",
    commandId: "cmd-open",
    actor: "onboarding",
    metadata: { customer: "c-9" },
    command: { type: "OpenWallet", walletId: "w1", ownerId: "c-9" },
  },
  {
    idempotencyKey: "dep-1",
    actor: "funding",
    metadata: { order: "o-1", channel: "card" },
    command: { type: "DepositFunds", walletId: "w1", amount: usd("25.00"), channel: "card" },
  },
  {
    idempotencyKey: "dep-2",
    command: { type: "DepositFunds", walletId: "w1", amount: usd("4.50"), channel: "card" },
  },
  {
    idempotencyKey: "wd-1",
    commandId: "cmd-withdraw",
    actor: "payouts",
    metadata: { order: "o-1" },
    command: { type: "WithdrawFunds", walletId: "w1", amount: usd("10.00"), channel: "bank" },
  },
];

/** Minor units of a two-decimal amount string ("-10.00" → -1000n). */
export const centsOf = (text: string): bigint => BigInt(text.replace(".", ""));

/** The signed amount, in minor units, of `account`'s posting in an event (0n when it has none). */
export function postingCentsOf(event: HistoryEventJson, account: string): bigint {
  return centsOf(
    event.event.postings.find((posting) => posting.account === account)?.amount ?? "0",
  );
}

const magnitude = (value: bigint): bigint => (value < 0n ? -value : value);

/** The account on the other side of `account`'s posting: the largest of the other sign. */
export function counterpartyOf(
  postings: readonly HistoryPosting[],
  account: string,
): string | null {
  const own = postings.find((posting) => posting.account === account);
  if (own === undefined) return null;
  const others = postings.filter(
    (posting) =>
      posting.account !== account &&
      posting.currency === own.currency &&
      centsOf(posting.amount) < 0n !== centsOf(own.amount) < 0n,
  );
  // The largest opposite leg, the first of equals: compared as bigint, never as a number.
  const largest = others.reduce<(typeof others)[number] | undefined>(
    (best, posting) =>
      best === undefined || magnitude(centsOf(posting.amount)) > magnitude(centsOf(best.amount))
        ? posting
        : best,
    undefined,
  );
  return largest?.account ?? null;
}

/** What a history line says about the command behind it (and the other side of its posting). */
export interface CommandFields {
  readonly counterparty: string | null;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor: string | null;
  readonly metadata: Record<string, string> | null;
}

/** What a history line of `account` says about the command behind it, as the request sent it. */
export function commandFieldsOf({ request, event }: HistorySent, account: string): CommandFields {
  return {
    counterparty: counterpartyOf(event.event.postings, account),
    commandId: request.commandId ?? event.commandId,
    idempotencyKey: request.idempotencyKey,
    actor: request.actor ?? null,
    metadata: request.metadata ?? null,
  };
}

/** The same fields as a history line carries them, for comparing with `commandFieldsOf`. */
export function commandFieldsIn(
  line: Readonly<Record<string, unknown>>,
): Record<keyof CommandFields, unknown> {
  return {
    counterparty: line["counterparty"],
    commandId: line["commandId"],
    idempotencyKey: line["idempotencyKey"],
    actor: line["actor"],
    metadata: line["metadata"],
  };
}

/** A line an account's history should hold: its event, signed amount, running balance, command. */
export interface ExpectedAccountLine {
  readonly event: HistoryEventJson;
  readonly amount: bigint;
  readonly balance: bigint;
  readonly command: CommandFields;
}

/** The lines `account`'s history should hold, oldest first: every event with a posting on it. */
export function expectedAccountLines(
  recorded: readonly HistorySent[],
  account: string,
): ExpectedAccountLine[] {
  let balance = 0n;
  return recorded
    .filter(({ event }) => event.event.postings.some((posting) => posting.account === account))
    .map((sent) => {
      const amount = postingCentsOf(sent.event, account);
      balance += amount;
      return { event: sent.event, amount, balance, command: commandFieldsOf(sent, account) };
    });
}
