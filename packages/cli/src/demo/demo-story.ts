/**
 * The demo's story, after the seed text (an Alipay wallet used on AliExpress): a shopper
 * opens a wallet, links and verifies a card, tops up, links the wallet to the marketplace,
 * converts dollars to euros, and pays for three orders at checkout. One order is confirmed
 * and released to the merchant less fees, one is disputed and refunded, one is never
 * captured and its hold expires. One payment is refused, as the seed's troubleshooting
 * section warns, for want of funds.
 *
 * Every id, key and time is fixed, so the story records the same events, with the same
 * hashes, on every run. Steps are plain JSON requests, exactly what `pacioli apply` reads.
 */
import { formatTimestamp, MILLISECONDS_PER_DAY, MILLISECONDS_PER_HOUR } from "@pacioli/core";

/** The ledger clock when the story starts. */
export const DEMO_START = Date.UTC(2026, 10, 25, 10, 0, 0);
export const DEMO_WALLET = "ana-wallet";

const at = (milliseconds: number): string => formatTimestamp(DEMO_START + milliseconds);
const eur = (amount: string) => ({ currency: "EUR", amount });
const usd = (amount: string) => ({ currency: "USD", amount });

export type DemoStep =
  | {
      readonly kind: "command";
      readonly say: string;
      readonly request: {
        readonly idempotencyKey: string;
        readonly command: Record<string, unknown>;
      };
      readonly expect: Expectation;
    }
  | { readonly kind: "wait"; readonly say: string; readonly milliseconds: number }
  | { readonly kind: "due-work"; readonly say: string };

type Expectation = "accepted" | `rejected:${string}`;

const command = (
  key: string,
  say: string,
  body: Record<string, unknown>,
  expect: Expectation = "accepted",
): DemoStep => ({
  kind: "command",
  say,
  request: { idempotencyKey: `demo-${key}`, command: body },
  expect,
});

export const DEMO_STORY: readonly DemoStep[] = [
  command(
    "merchant",
    "The marketplace AliExpress joins the platform as a merchant settling in euros.",
    {
      type: "RegisterMerchant",
      merchantId: "aliexpress",
      settlementCurrency: "EUR",
      allowNegativeBalance: false,
    },
  ),
  command("fees", "Its fee schedule: 2.90% plus EUR 0.30 per order, refunded proportionally.", {
    type: "SetFeeSchedule",
    merchantId: "aliexpress",
    basisPoints: 290,
    fixed: eur("0.30"),
    rounding: "half-even",
    refundFee: "proportional",
  }),
  command("open", "Ana opens her wallet.", {
    type: "OpenWallet",
    walletId: DEMO_WALLET,
    ownerId: "ana",
  }),
  command("link-card", "She links her debit card ending 4242.", {
    type: "LinkCard",
    sourceId: "card-4242",
    walletId: DEMO_WALLET,
    maskedNumber: "**** 4242",
    currency: "USD",
    expiresAt: "2029-01-01T00:00:00.000Z",
  }),
  command("verify-card", "The card network approves a zero-amount check: the card is verified.", {
    type: "VerifyCard",
    sourceId: "card-4242",
  }),
  command("top-up", "Ana tops up USD 300.00 from the card.", {
    type: "TopUpWallet",
    walletId: DEMO_WALLET,
    sourceId: "card-4242",
    amount: usd("300.00"),
  }),
  command(
    "authorize",
    "She links her wallet to AliExpress, allowing charges of up to EUR 150.00 each.",
    {
      type: "AuthorizeMerchant",
      agreementId: "agreement-ana-aliexpress",
      walletId: DEMO_WALLET,
      merchantId: "aliexpress",
      perPaymentCap: eur("150.00"),
    },
  ),
  command("quote", "The platform quotes USD→EUR at 0.9200, with a 0.50% fee, for 15 minutes.", {
    type: "QuoteFx",
    quoteId: "quote-usd-eur-1",
    sourceCurrency: "USD",
    targetCurrency: "EUR",
    rate: "0.9200",
    feeBasisPoints: 50,
    expiresAt: at(15 * 60_000),
  }),
  command("convert", "Ana converts USD 200.00 to euros at that quote.", {
    type: "ConvertCurrency",
    conversionId: "conversion-1",
    walletId: DEMO_WALLET,
    quoteId: "quote-usd-eur-1",
    amount: usd("200.00"),
  }),
  command(
    "checkout-1001",
    "Checkout, order 1001 (a desk lamp, EUR 45.00): AliExpress places a hold on her wallet.",
    checkout("1001", "45.00", 7 * MILLISECONDS_PER_DAY),
  ),
  command(
    "capture-1001",
    "AliExpress captures the hold: the money moves into escrow for buyer protection.",
    { type: "CaptureHold", holdId: "hold-1001", amount: eur("45.00"), final: true },
  ),
  command(
    "checkout-1002",
    "Checkout, order 1002 (a phone case, EUR 30.00).",
    checkout("1002", "30.00", 7 * MILLISECONDS_PER_DAY),
  ),
  command("capture-1002", "Captured into escrow too.", {
    type: "CaptureHold",
    holdId: "hold-1002",
    amount: eur("30.00"),
    final: true,
  }),
  command(
    "checkout-1003",
    "Checkout, order 1003 (a scarf, EUR 20.00), with a hold valid for two hours.",
    checkout("1003", "20.00", 2 * MILLISECONDS_PER_HOUR),
  ),
  command(
    "checkout-1004",
    "Ana tries to pay EUR 500.00 for a bicycle: refused, her balance is too low.",
    {
      type: "Checkout",
      orderId: "order-1004",
      holdId: "hold-1004",
      walletId: DEMO_WALLET,
      merchantId: "aliexpress",
      amount: eur("500.00"),
      expiresAt: at(7 * MILLISECONDS_PER_DAY),
      initiatedBy: "buyer",
    },
    "rejected:InsufficientFunds",
  ),
  command("ship-1001", "Order 1001 ships; buyer protection runs for 10 days.", {
    type: "ShipOrder",
    orderId: "order-1001",
    protectionEndsAt: at(10 * MILLISECONDS_PER_DAY),
  }),
  command("ship-1002", "Order 1002 ships.", {
    type: "ShipOrder",
    orderId: "order-1002",
    protectionEndsAt: at(10 * MILLISECONDS_PER_DAY),
  }),
  command(
    "confirm-1001",
    "The lamp arrives; Ana confirms receipt: escrow is released to AliExpress, less its fees.",
    { type: "ConfirmReceipt", orderId: "order-1001" },
  ),
  command("dispute-1002", "The phone case never arrives; Ana opens a dispute.", {
    type: "OpenDispute",
    disputeId: "dispute-1002",
    orderId: "order-1002",
    reason: "parcel never arrived",
  }),
  command("resolve-1002", "The platform decides for Ana: EUR 30.00 is refunded from escrow.", {
    type: "ResolveDisputeForBuyer",
    disputeId: "dispute-1002",
    refundId: "refund-1002",
    amount: eur("30.00"),
  }),
  {
    kind: "wait",
    say: "Three hours pass; order 1003 was never captured.",
    milliseconds: 3 * MILLISECONDS_PER_HOUR,
  },
  {
    kind: "due-work",
    say: "The ledger clock runs its due work: the hold of order 1003 expires and Ana gets her EUR 20.00 back.",
  },
];

function checkout(order: string, amount: string, validFor: number): Record<string, unknown> {
  return {
    type: "Checkout",
    orderId: `order-${order}`,
    holdId: `hold-${order}`,
    walletId: DEMO_WALLET,
    merchantId: "aliexpress",
    amount: eur(amount),
    expiresAt: at(validFor),
    initiatedBy: "merchant",
    agreementId: "agreement-ana-aliexpress",
  };
}
