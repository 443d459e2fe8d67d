/** The cross-partition ticket the partitions' tests forge legs from. */
import type { TransferTicket } from "../clearing-legs.js";
import { usd } from "./typed-requests.js";

/** The ticket of transfer t9 (the caller's key pay-9): alice in partition 0 pays bob in partition 1. */
export const aliceToBobTicket = (amount: bigint, requestDigest: string): TransferTicket => ({
  transferId: "t9",
  sourceWalletId: "alice",
  targetWalletId: "bob",
  source: 0,
  target: 1,
  amount: usd(amount),
  requestKey: "pay-9",
  requestDigest,
});
