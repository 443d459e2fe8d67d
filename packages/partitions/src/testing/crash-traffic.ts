/**
 * The traffic of the crash tests, shared by the parent test and the child writer process:
 * eight wallets spread over the partitions by the hash, and transfer number i, a
 * deterministic function of i (so the parent can resend exactly what a killed child sent).
 */
import type { CommandRequest } from "@pacioli/core";
import { request, transfer } from "./typed-requests.js";

export const CRASH_WALLETS = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"] as const;
export const CRASH_FUNDING = 1_000_000n;

export function crashTransfer(index: number): CommandRequest {
  const from = CRASH_WALLETS[index % CRASH_WALLETS.length]!;
  const to = CRASH_WALLETS[(index * 3 + 1 + (index % 2)) % CRASH_WALLETS.length]!;
  const target = to === from ? CRASH_WALLETS[(index + 1) % CRASH_WALLETS.length]! : to;
  return request(
    transfer(`crash-${index}`, from, target, BigInt(1 + (index % 7))),
    `crash-${index}`,
  );
}
