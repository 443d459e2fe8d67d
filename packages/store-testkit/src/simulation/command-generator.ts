/**
 * The commands the simulated clients send, drawn from the simulation's PRNG.
 *
 * Ids come from small pools (three wallets, 24 holds, two merchants, eight orders), so
 * commands collide on the same wallet and hold: concurrent payments from one wallet, holds
 * placed twice, refunds beyond the capture. Amounts are small against deposits, so both
 * acceptance and `InsufficientFunds` are common. Every command is one the reference model
 * (`@pacioli/core/testing`) knows, so each durable one can be checked against it.
 *
 * A request is a command with its idempotency key and a command id naming this exact
 * request: a retry resends the same request (same key, same id, same payload); a reused key
 * with another payload is a new request. The oracle maps a durable command back to its
 * request by the command id.
 */
import {
  ledgerCommandCodec,
  MILLISECONDS_PER_HOUR,
  type CurrencyRegistry,
  type LedgerCommand,
  type Money,
} from "@pacioli/core";
import type { CommandRequestJson } from "@pacioli/engine";
import type { Prng } from "./prng.js";

export const SIM_WALLET_IDS = ["w1", "w2", "w3"] as const;
/** Enough holds and orders that placing new ones stays possible over a CI run (ids are never reused). */
export const SIM_HOLD_IDS: readonly string[] = Array.from(
  { length: 24 },
  (_, index) => `h${index + 1}`,
);
export const SIM_MERCHANT_IDS = ["m1", "m2"] as const;
export const SIM_ORDER_IDS: readonly string[] = Array.from(
  { length: 8 },
  (_, index) => `o${index + 1}`,
);
export const SIM_CURRENCIES = ["USD", "JPY"] as const;

export interface SimRequest {
  /** 0-based, in the order the generator made them. */
  readonly number: number;
  readonly key: string;
  readonly commandId: string;
  readonly command: LedgerCommand;
  readonly json: CommandRequestJson;
}

type Draw = (prng: Prng, now: number) => LedgerCommand;

const money = (prng: Prng, amounts: readonly bigint[]): Money => ({
  currency: prng.pick(SIM_CURRENCIES),
  amount: prng.pick(amounts),
});
const SMALL = [1n, 50n, 100n, 250n, 500n, 1_000n] as const;
const LARGE = [100n, 1_000n, 2_500n, 10_000n] as const;
/** Hold deadlines and protection windows, as offsets from now: past, soon, later. */
const OFFSETS_MS = [-1_000, 60_000, MILLISECONDS_PER_HOUR, 30 * MILLISECONDS_PER_HOUR] as const;

const COMMANDS: readonly (readonly [number, Draw])[] = [
  [3, (p) => ({ type: "OpenWallet", walletId: p.pick(SIM_WALLET_IDS), ownerId: "owner" })],
  [
    16,
    (p) => ({
      type: "DepositFunds",
      walletId: p.pick(SIM_WALLET_IDS),
      amount: money(p, LARGE),
      channel: p.pick(["card", "bank"] as const),
    }),
  ],
  [
    6,
    (p) => ({
      type: "WithdrawFunds",
      walletId: p.pick(SIM_WALLET_IDS),
      amount: money(p, LARGE),
      channel: "bank",
    }),
  ],
  [
    10,
    (p) => ({
      type: "TransferFunds",
      transferId: `t${p.below(1000)}`,
      fromWalletId: p.pick(SIM_WALLET_IDS),
      toWalletId: p.pick(SIM_WALLET_IDS),
      amount: money(p, LARGE),
    }),
  ],
  [1, (p) => ({ type: "FreezeWallet", walletId: p.pick(SIM_WALLET_IDS), reason: "review" })],
  [5, (p) => ({ type: "UnfreezeWallet", walletId: p.pick(SIM_WALLET_IDS) })],
  [1, (p) => ({ type: "CloseWallet", walletId: p.pick(SIM_WALLET_IDS) })],
  [
    1,
    (p) => ({
      type: "SetOverdraftLimit",
      walletId: p.pick(SIM_WALLET_IDS),
      limit: money(p, SMALL),
    }),
  ],
  [
    10,
    (p, now) => ({
      type: "PlaceHold",
      holdId: p.pick(SIM_HOLD_IDS),
      walletId: p.pick(SIM_WALLET_IDS),
      merchantId: p.pick(SIM_MERCHANT_IDS),
      amount: money(p, LARGE),
      expiresAt: now + p.pick(OFFSETS_MS),
    }),
  ],
  [4, (p) => ({ type: "IncreaseHold", holdId: p.pick(SIM_HOLD_IDS), amount: money(p, SMALL) })],
  [
    8,
    (p) => ({
      type: "CaptureHold",
      holdId: p.pick(SIM_HOLD_IDS),
      amount: money(p, SMALL),
      final: p.chance(1, 3),
    }),
  ],
  [1, (p) => ({ type: "ReleaseHold", holdId: p.pick(SIM_HOLD_IDS) })],
  [
    6,
    (p) => ({
      type: "RefundCapture",
      refundId: `r${p.below(4)}`,
      holdId: p.pick(SIM_HOLD_IDS),
      amount: money(p, SMALL),
    }),
  ],
  [
    1,
    (p) => ({
      type: "RegisterMerchant",
      merchantId: p.pick(SIM_MERCHANT_IDS),
      settlementCurrency: p.pick(SIM_CURRENCIES),
      allowNegativeBalance: p.chance(1, 2),
    }),
  ],
  [
    6,
    (p, now) => ({
      type: "Checkout",
      orderId: p.pick(SIM_ORDER_IDS),
      holdId: p.pick(SIM_HOLD_IDS),
      walletId: p.pick(SIM_WALLET_IDS),
      merchantId: p.pick(SIM_MERCHANT_IDS),
      amount: money(p, LARGE),
      expiresAt: now + p.pick(OFFSETS_MS),
      initiatedBy: "buyer",
    }),
  ],
  [
    4,
    (p, now) => ({
      type: "ShipOrder",
      orderId: p.pick(SIM_ORDER_IDS),
      protectionEndsAt: now + p.pick(OFFSETS_MS),
    }),
  ],
  [1, (p) => ({ type: "ConfirmReceipt", orderId: p.pick(SIM_ORDER_IDS) })],
  [
    1,
    (p) => ({
      type: "OpenDispute",
      disputeId: `d${p.below(3)}`,
      orderId: p.pick(SIM_ORDER_IDS),
      reason: "not received",
    }),
  ],
  [
    1,
    (p) => ({
      type: "RefundOrder",
      refundId: `r${p.below(4)}`,
      orderId: p.pick(SIM_ORDER_IDS),
      amount: money(p, SMALL),
    }),
  ],
];

/** A few commands first, so that most runs reach wallets with money in them. */
const PRELUDE: readonly LedgerCommand[] = [
  ...SIM_WALLET_IDS.map((walletId): LedgerCommand => ({
    type: "OpenWallet",
    walletId,
    ownerId: "owner",
  })),
  ...SIM_WALLET_IDS.map((walletId): LedgerCommand => ({
    type: "DepositFunds",
    walletId,
    amount: { currency: "USD", amount: 50_000n },
    channel: "card",
  })),
  {
    type: "RegisterMerchant",
    merchantId: "m1",
    settlementCurrency: "USD",
    allowNegativeBalance: false,
  },
];

export class CommandGenerator {
  readonly requests: SimRequest[] = [];
  private readonly byCommandId = new Map<string, SimRequest>();
  private readonly codec;

  constructor(
    private readonly prng: Prng,
    registry: CurrencyRegistry,
  ) {
    this.codec = ledgerCommandCodec(registry);
  }

  /** The prelude's requests, each with a fresh key. */
  prelude(): SimRequest[] {
    return PRELUDE.map((command) => this.request(`key-${this.requests.length}`, command));
  }

  fresh(now: number): SimRequest {
    return this.request(
      `key-${this.requests.length}`,
      this.prng.weighted(COMMANDS)(this.prng, now),
    );
  }

  /** An earlier request sent again as it was (a client that did not hear back, or doubts). */
  retry(): SimRequest | undefined {
    return this.recent();
  }

  /** An earlier request's key with a new command: refused while the key is remembered. */
  reuse(now: number): SimRequest | undefined {
    const earlier = this.recent();
    return earlier === undefined
      ? undefined
      : this.request(earlier.key, this.prng.weighted(COMMANDS)(this.prng, now));
  }

  /** Several commands on one wallet at once: they race for its funds in one group commit. */
  burst(now: number): SimRequest[] {
    const walletId = this.prng.pick(SIM_WALLET_IDS);
    const count = 2 + this.prng.below(4);
    return Array.from({ length: count }, () => {
      const command: LedgerCommand = this.prng.chance(1, 2)
        ? { type: "WithdrawFunds", walletId, amount: money(this.prng, LARGE), channel: "bank" }
        : {
            type: "PlaceHold",
            holdId: this.prng.pick(SIM_HOLD_IDS),
            walletId,
            merchantId: "m1",
            amount: money(this.prng, LARGE),
            expiresAt: now + MILLISECONDS_PER_HOUR,
          };
      return this.request(`key-${this.requests.length}`, command);
    });
  }

  byId(commandId: string): SimRequest | undefined {
    return this.byCommandId.get(commandId);
  }

  private recent(): SimRequest | undefined {
    const window = Math.min(this.requests.length, 64);
    return window === 0
      ? undefined
      : this.requests[this.requests.length - 1 - this.prng.below(window)];
  }

  private request(key: string, command: LedgerCommand): SimRequest {
    const number = this.requests.length;
    const commandId = `sim-${number}`;
    const json: CommandRequestJson = {
      idempotencyKey: key,
      commandId,
      command: this.codec.encode(command),
    };
    const request: SimRequest = { number, key, commandId, command, json };
    this.requests.push(request);
    this.byCommandId.set(commandId, request);
    return request;
  }
}
