/**
 * What the history projection keeps of one recorded event: who, why and when, and one line
 * per account and currency it posted to, with the account on the other side.
 */
import type { LedgerEventType, Metadata, RecordedEvent } from "@pacioli/core";

export interface ProjectedPosting {
  readonly account: string;
  readonly currency: string;
  /** Net of the event's postings to this account in this currency (debit positive). */
  readonly amount: bigint;
  /**
   * The account on the other side: of the postings of the opposite sign in the same currency,
   * the largest (the first one on a tie); absent when there is none (a net-zero line).
   */
  readonly counterparty?: string;
}

export interface ProjectedEvent {
  readonly sequence: number;
  readonly recordedAt: number;
  readonly type: LedgerEventType;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
  readonly metadata?: Metadata;
  readonly postings: readonly ProjectedPosting[];
}

export function projectEvent(recorded: RecordedEvent): ProjectedEvent {
  return {
    sequence: recorded.sequence,
    recordedAt: recorded.recordedAt,
    type: recorded.event.type,
    commandId: recorded.commandId,
    idempotencyKey: recorded.idempotencyKey,
    ...(recorded.actor === undefined ? {} : { actor: recorded.actor }),
    ...(recorded.metadata === undefined ? {} : { metadata: recorded.metadata }),
    postings: projectPostings(recorded.event.postings),
  };
}

interface RawPosting {
  readonly account: string;
  readonly currency: string;
  readonly amount: bigint;
}

/** Net per account and currency, in the order each pair first appears in the entry. */
function projectPostings(postings: readonly RawPosting[]): ProjectedPosting[] {
  const nets: { account: string; currency: string; amount: bigint }[] = [];
  for (const posting of postings) {
    const net = nets.find(
      (candidate) =>
        candidate.account === posting.account && candidate.currency === posting.currency,
    );
    if (net === undefined) nets.push({ ...posting });
    else net.amount += posting.amount;
  }
  return nets.map((net) => {
    const counterparty = counterpartyOf(net, nets);
    return counterparty === undefined ? net : { ...net, counterparty };
  });
}

function counterpartyOf(
  line: { readonly account: string; readonly currency: string; readonly amount: bigint },
  nets: readonly { readonly account: string; readonly currency: string; readonly amount: bigint }[],
): string | undefined {
  let best: { readonly account: string; readonly amount: bigint } | undefined;
  for (const other of nets) {
    if (other.account === line.account || other.currency !== line.currency) continue;
    const opposite =
      (line.amount > 0n && other.amount < 0n) || (line.amount < 0n && other.amount > 0n);
    if (!opposite) continue;
    if (best === undefined || abs(other.amount) > abs(best.amount)) best = other;
  }
  return best?.account;
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
