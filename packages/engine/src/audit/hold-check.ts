/**
 * Holds, captures, refunds and the wallet balances they move (invariants 2, 3 and 4),
 * checked incrementally: each event updates a small model of the holds it names and
 * re-checks only the accounts it touched, never every hold.
 *
 * - Checkout holds (`CheckoutStarted`) are holds too; order refunds count against them.
 * - captured ≤ authorised (placed plus increases); refunded ≤ captured; captures and
 *   refunds in the hold's currency; a closed hold is not moved again; a final capture, a
 *   release or an expiry returns exactly what was still held; nothing expires early.
 * - A wallet's held balance equals the remaining amount of its open holds, per currency.
 * - A debit never leaves a wallet's available balance below minus its overdraft limit.
 * - Escrow accounts never go negative: what leaves escrow (release, refund) was captured
 *   into it first.
 */
import {
  escrowAccount,
  formatTimestamp,
  isEscrowAccount,
  merchantAccount,
  normalBalance,
  walletHeldAccount,
  walletOfAccount,
  type Balances,
  type Posting,
  type RecordedEvent,
} from "@pacioli/core";
import type { Findings } from "./audit-report.js";

export interface HoldModel {
  readonly walletId: string;
  /** Where captures go: the order's escrow for a checkout hold, else the merchant. */
  readonly payeeAccount: string;
  readonly merchantAccount: string;
  readonly currency: string;
  readonly expiresAt: number;
  open: boolean;
  authorized: bigint;
  captured: bigint;
  released: bigint;
  refunded: bigint;
}

/** The check's model of every hold: what an audit resumed later starts from. */
export interface HoldCheckState {
  readonly holds: Map<string, HoldModel>;
  /** Checkout orders and the hold that pays for each. */
  readonly orderHolds: Map<string, string>;
  /** Per `wallet|currency`: the remaining amount of its open holds. */
  readonly openRemaining: Map<string, bigint>;
  /** Per `wallet|currency`: the overdraft limit set on it (absent = 0). */
  readonly overdraftLimits: Map<string, bigint>;
}

export const emptyHoldCheckState = (): HoldCheckState => ({
  holds: new Map(),
  orderHolds: new Map(),
  openRemaining: new Map(),
  overdraftLimits: new Map(),
});

export class HoldCheck {
  private readonly holds: Map<string, HoldModel>;
  private readonly orderHolds: Map<string, string>;
  private readonly openRemaining: Map<string, bigint>;
  private readonly overdraftLimits: Map<string, bigint>;

  constructor(
    private readonly findings: Findings,
    private readonly balances: Balances,
    private readonly format: (currency: string, amount: bigint) => string,
    /** Where to start: empty for an audit from nothing, a saved model to resume one. */
    readonly model: HoldCheckState = emptyHoldCheckState(),
  ) {
    ({
      holds: this.holds,
      orderHolds: this.orderHolds,
      openRemaining: this.openRemaining,
      overdraftLimits: this.overdraftLimits,
    } = model);
  }

  check(position: number, recorded: RecordedEvent): void {
    const touchedHold = this.applyHoldFacts(position, recorded);
    this.checkAccounts(position, recorded, touchedHold);
  }

  private applyHoldFacts(position: number, recorded: RecordedEvent): HoldModel | undefined {
    const event = recorded.event;
    switch (event.type) {
      case "OverdraftLimitSet":
        this.overdraftLimits.set(`${event.walletId}|${event.limit.currency}`, event.limit.amount);
        return undefined;
      case "HoldPlaced":
      case "CheckoutStarted": {
        if (this.holds.has(event.holdId))
          this.findings.add("holds", position, `hold ${event.holdId} is placed a second time`);
        if (event.type === "CheckoutStarted") this.orderHolds.set(event.orderId, event.holdId);
        const hold: HoldModel = {
          walletId: event.walletId,
          payeeAccount:
            event.type === "CheckoutStarted"
              ? escrowAccount(event.orderId)
              : merchantAccount(event.merchantId),
          merchantAccount: merchantAccount(event.merchantId),
          currency: event.amount.currency,
          expiresAt: event.expiresAt,
          open: true,
          authorized: event.amount.amount,
          captured: 0n,
          released: 0n,
          refunded: 0n,
        };
        this.holds.set(event.holdId, hold);
        this.addRemaining(hold, event.amount.amount);
        return hold;
      }
      case "HoldIncreased": {
        const hold = this.openHold(position, event.holdId, event.amount.currency, "increased");
        if (hold === undefined) return undefined;
        hold.authorized += event.amount.amount;
        this.addRemaining(hold, event.amount.amount);
        return hold;
      }
      case "HoldCaptured": {
        const hold = this.openHold(position, event.holdId, event.amount.currency, "captured");
        if (hold === undefined) return undefined;
        const remaining = hold.authorized - hold.captured - hold.released;
        if (event.amount.amount > remaining) {
          this.findings.add(
            "holds",
            position,
            `hold ${event.holdId} captures ${this.format(hold.currency, event.amount.amount)} but only ${this.format(hold.currency, remaining)} is held`,
          );
        }
        this.expectMoved(
          position,
          event.postings,
          hold.payeeAccount,
          hold.currency,
          -event.amount.amount,
          `capture of hold ${event.holdId}`,
        );
        hold.captured += event.amount.amount;
        hold.released += event.released.amount;
        this.addRemaining(hold, -(event.amount.amount + event.released.amount));
        if (event.final) this.close(position, event.holdId, hold, "final capture");
        else if (event.released.amount !== 0n)
          this.findings.add(
            "holds",
            position,
            `hold ${event.holdId}: a partial capture returns money`,
          );
        return hold;
      }
      case "HoldReleased":
      case "HoldExpired": {
        const hold = this.openHold(
          position,
          event.holdId,
          event.released.currency,
          event.type === "HoldReleased" ? "released" : "expired",
        );
        if (hold === undefined) return undefined;
        if (event.type === "HoldExpired" && recorded.recordedAt < hold.expiresAt) {
          this.findings.add(
            "holds",
            position,
            `hold ${event.holdId} expired at ${formatTimestamp(recorded.recordedAt)}, before its deadline ${formatTimestamp(hold.expiresAt)}`,
          );
        }
        hold.released += event.released.amount;
        this.addRemaining(hold, -event.released.amount);
        this.close(
          position,
          event.holdId,
          hold,
          event.type === "HoldReleased" ? "release" : "expiry",
        );
        return hold;
      }
      case "RefundIssued":
      case "OrderRefunded": {
        const holdId =
          event.type === "RefundIssued" ? event.holdId : this.orderHolds.get(event.orderId);
        const hold = holdId === undefined ? undefined : this.holds.get(holdId);
        if (hold === undefined) {
          this.findings.add(
            "holds",
            position,
            `refund ${event.refundId} names ${event.type === "RefundIssued" ? `hold ${event.holdId}` : `order ${event.orderId}`}, which was never paid for`,
          );
          return undefined;
        }
        if (event.amount.currency !== hold.currency)
          this.findings.add(
            "holds",
            position,
            `refund ${event.refundId} is in ${event.amount.currency}, hold ${holdId} in ${hold.currency}`,
          );
        if (event.type === "RefundIssued")
          this.expectMoved(
            position,
            event.postings,
            hold.merchantAccount,
            hold.currency,
            event.amount.amount,
            `refund ${event.refundId}`,
          );
        hold.refunded += event.amount.amount;
        if (hold.refunded > hold.captured) {
          this.findings.add(
            "holds",
            position,
            `hold ${holdId} has refunded ${this.format(hold.currency, hold.refunded)}, more than the ${this.format(hold.currency, hold.captured)} captured`,
          );
        }
        return undefined;
      }
      default:
        // Other events move money only through their postings, which checkAccounts covers.
        return undefined;
    }
  }

  /** The hold's own counterparty account moves exactly `amount` (signed) in the event. */
  private expectMoved(
    position: number,
    postings: readonly Posting[],
    account: string,
    currency: string,
    amount: bigint,
    what: string,
  ): void {
    let moved = 0n;
    for (const posting of postings)
      if (posting.account === account && posting.currency === currency) moved += posting.amount;
    if (moved !== amount)
      this.findings.add(
        "holds",
        position,
        `${what} moves ${this.format(currency, moved)} on ${account}, not ${this.format(currency, amount)}`,
      );
  }

  private openHold(
    position: number,
    holdId: string,
    currency: string,
    what: string,
  ): HoldModel | undefined {
    const hold = this.holds.get(holdId);
    if (hold === undefined) {
      this.findings.add("holds", position, `hold ${holdId} is ${what} but was never placed`);
      return undefined;
    }
    if (!hold.open)
      this.findings.add("holds", position, `hold ${holdId} is ${what} after it was closed`);
    if (currency !== hold.currency)
      this.findings.add(
        "holds",
        position,
        `hold ${holdId} is ${what} in ${currency}, but it holds ${hold.currency}`,
      );
    return hold;
  }

  private close(position: number, holdId: string, hold: HoldModel, how: string): void {
    const remaining = hold.authorized - hold.captured - hold.released;
    if (remaining !== 0n)
      this.findings.add(
        "holds",
        position,
        `hold ${holdId} is closed by ${how} with ${this.format(hold.currency, remaining)} still held`,
      );
    if (hold.open) this.addRemaining(hold, -remaining); // a closed hold holds nothing, whatever the arithmetic said
    hold.open = false;
  }

  private addRemaining(hold: HoldModel, change: bigint): void {
    if (!hold.open) return;
    const key = `${hold.walletId}|${hold.currency}`;
    this.openRemaining.set(key, (this.openRemaining.get(key) ?? 0n) + change);
  }

  private checkAccounts(
    position: number,
    recorded: RecordedEvent,
    touchedHold: HoldModel | undefined,
  ): void {
    const heldChecked: string[] = [];
    for (const posting of recorded.event.postings) {
      const account = posting.account;
      const walletId = walletOfAccount(account);
      if (walletId !== undefined) {
        const key = `${walletId}|${posting.currency}`;
        if (account.endsWith(":held")) {
          if (!heldChecked.includes(key)) heldChecked.push(key);
        } else if (posting.amount > 0n) {
          const available = normalBalance(
            account,
            this.balances.get(account)?.get(posting.currency) ?? 0n,
          );
          const limit = this.overdraftLimits.get(key) ?? 0n;
          if (available < -limit) {
            this.findings.add(
              "balances",
              position,
              `wallet ${walletId} available ${this.format(posting.currency, available)} is below its overdraft limit of ${this.format(posting.currency, limit)}`,
            );
          }
        }
      } else if (isEscrowAccount(account)) {
        const escrow = normalBalance(
          account,
          this.balances.get(account)?.get(posting.currency) ?? 0n,
        );
        if (escrow < 0n)
          this.findings.add(
            "balances",
            position,
            `${account} is negative (${this.format(posting.currency, escrow)}): more left escrow than was captured into it`,
          );
      }
    }
    if (touchedHold !== undefined) {
      const key = `${touchedHold.walletId}|${touchedHold.currency}`;
      if (!heldChecked.includes(key)) heldChecked.push(key);
    }
    for (const key of heldChecked) this.checkHeld(position, key);
  }

  private checkHeld(position: number, key: string): void {
    const separator = key.lastIndexOf("|");
    const walletId = key.slice(0, separator);
    const currency = key.slice(separator + 1);
    const account = walletHeldAccount(walletId);
    const held = normalBalance(account, this.balances.get(account)?.get(currency) ?? 0n);
    const expected = this.openRemaining.get(key) ?? 0n;
    if (held < 0n)
      this.findings.add(
        "balances",
        position,
        `wallet ${walletId} holds a negative ${this.format(currency, held)}: more was captured or released than was held`,
      );
    else if (held !== expected) {
      this.findings.add(
        "balances",
        position,
        `wallet ${walletId} holds ${this.format(currency, held)} but its open holds add up to ${this.format(currency, expected)}`,
      );
    }
  }
}
