/**
 * A test auditor for ledgers on SQLite: replays a stream from nothing with every check the
 * engine's start-up skips, so a test can say "this file is a valid ledger" after a crash.
 *
 * - The hash chain is recomputed over each record's stored bytes (not only linked by
 *   `previousHash`), so a torn or edited row is found at its exact sequence.
 * - Sequences run 1, 2, 3, … with no gap; `evolve` asserts that every event balances.
 * - After every event, no wallet's available balance is below its overdraft limit; at the
 *   end the trial balance is zero per currency and each wallet's held balance equals the
 *   remaining amount of its open holds.
 * - Every command (idempotency key) is counted, so "present exactly once" is checked
 *   against the store itself.
 *
 * Independent of the engine's runtime on purpose: it shares only the journal format.
 */
import {
  evolve,
  holdRemaining,
  initialState,
  ledgerTrialBalance,
  type LedgerOptions,
  type LedgerState,
} from "@pacioli/core";
import { chainHash, decodeEntry, GENESIS_HASH, parsePayload, type EventStore } from "@pacioli/engine";

export interface CommandRecord {
  /** Commands recorded under this key: 1 for a healthy ledger. */
  readonly count: number;
  readonly firstSequence: number;
}

export interface VerifiedLedger {
  readonly state: LedgerState;
  readonly headHash: string;
  readonly commands: ReadonlyMap<string, CommandRecord>;
}

const VERIFY_PAGE_SIZE = 2000;

export async function verifyLedger(store: EventStore, stream: string, options: LedgerOptions = {}): Promise<VerifiedLedger> {
  const state = initialState(options);
  const commands = new Map<string, CommandRecord>();
  let hash = GENESIS_HASH;
  for (;;) {
    const page = await store.readStream(stream, { fromIndex: state.sequence, limit: VERIFY_PAGE_SIZE });
    for (const stored of page) {
      const at = `event ${stored.streamIndex + 1}`;
      const { recordText, previousHash, hash: storedHash } = parsePayload(stored);
      if (previousHash !== hash) throw new Error(`${at}: previousHash does not chain to the event before it`);
      if (recordText === undefined || chainHash(hash, recordText) !== storedHash) throw new Error(`${at}: hash does not match its stored bytes`);
      const { recorded } = decodeEntry(state.registry, stored);
      if (recorded.sequence !== stored.streamIndex + 1) throw new Error(`${at}: carries sequence ${recorded.sequence}`);
      if (stored.eventId !== `${recorded.commandId}/${recorded.indexInCommand}`) throw new Error(`${at}: event id ${stored.eventId} is not deterministic`);
      evolve(state, recorded);
      const postings = "postings" in recorded.event ? recorded.event.postings : [];
      assertNoNegativeAvailable(state, at, postings.map((posting) => posting.account));
      if (recorded.indexInCommand === 0) {
        const seen = commands.get(recorded.idempotencyKey);
        commands.set(recorded.idempotencyKey, { count: (seen?.count ?? 0) + 1, firstSequence: seen?.firstSequence ?? recorded.sequence });
      }
      hash = storedHash as string;
    }
    if (page.length < VERIFY_PAGE_SIZE) break;
  }
  for (const [currency, sum] of ledgerTrialBalance(state)) {
    if (sum !== 0n) throw new Error(`trial balance of ${currency} is ${sum}, not zero`);
  }
  assertHeldMatchesHolds(state);
  return { state, headHash: hash, commands };
}

/** Invariant 2: available never below zero unless an overdraft limit allows it. */
function assertNoNegativeAvailable(state: LedgerState, at: string, touched: readonly string[]): void {
  for (const wallet of state.wallets.values()) {
    if (!touched.includes(wallet.availableAccount)) continue;
    for (const [currency, balance] of state.balances.get(wallet.availableAccount) ?? []) {
      // Liabilities are credit-normal: the holder's available amount is the negated balance.
      const limit = wallet.overdraftLimits?.get(currency) ?? 0n;
      if (-balance < -limit) throw new Error(`${at}: wallet ${wallet.id} available ${currency} is ${-balance}, below -${limit}`);
    }
  }
}

/** Invariant 3: held balance equals the sum of open holds' remaining amounts. */
function assertHeldMatchesHolds(state: LedgerState): void {
  const expected = new Map<string, bigint>();
  for (const hold of state.holds.values()) {
    if (hold.status !== "open") continue;
    const key = `${hold.walletId}\n${hold.currency}`;
    expected.set(key, (expected.get(key) ?? 0n) + holdRemaining(hold));
  }
  for (const wallet of state.wallets.values()) {
    for (const [currency, balance] of state.balances.get(wallet.heldAccount) ?? []) {
      const open = expected.get(`${wallet.id}\n${currency}`) ?? 0n;
      if (-balance !== open) throw new Error(`wallet ${wallet.id} holds ${-balance} ${currency} but its open holds add up to ${open}`);
    }
  }
}
