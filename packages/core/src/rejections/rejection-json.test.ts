import { describe, expect, it } from "vitest";
import { parseTimestamp } from "../time/timestamp.js";
import { rejectionJson } from "./rejection-json.js";

const at = (text: string): number => parseTimestamp(text) ?? Number.NaN;

describe("rejectionJson", () => {
  it("writes times as ISO-8601 strings, as docs/reference/rejections.md says", () => {
    expect(
      rejectionJson({
        _tag: "HoldExpired",
        holdId: "h1",
        expiresAt: at("2026-11-25T10:00:00Z"),
        at: at("2026-11-25T10:00:00.5Z"),
      }),
    ).toEqual({
      _tag: "HoldExpired",
      holdId: "h1",
      expiresAt: "2026-11-25T10:00:00.000Z",
      at: "2026-11-25T10:00:00.500Z",
    });
    expect(
      rejectionJson({ _tag: "OrderAlreadyShipped", orderId: "o1", protectionEndsAt: 0 }),
    ).toEqual({
      _tag: "OrderAlreadyShipped",
      orderId: "o1",
      protectionEndsAt: "1970-01-01T00:00:00.000Z",
    });
  });

  it("writes minor units as decimal strings and keeps counts as numbers", () => {
    expect(
      rejectionJson({
        _tag: "CaptureExceedsHold",
        holdId: "h1",
        remaining: 12n,
        requested: 10_000_000_000_000_000_001n,
      }),
    ).toEqual({
      _tag: "CaptureExceedsHold",
      holdId: "h1",
      remaining: "12",
      requested: "10000000000000000001",
    });
    expect(
      rejectionJson({ _tag: "MicroDepositAttemptsExhausted", sourceId: "s1", attemptsMax: 3 }),
    ).toEqual({ _tag: "MicroDepositAttemptsExhausted", sourceId: "s1", attemptsMax: 3 });
  });

  it("leaves out a field that is undefined (MerchantNotAuthorized without an agreement)", () => {
    expect(
      rejectionJson({
        _tag: "MerchantNotAuthorized",
        walletId: "w1",
        merchantId: "m1",
        agreementId: undefined,
      }),
    ).toEqual({ _tag: "MerchantNotAuthorized", walletId: "w1", merchantId: "m1" });
  });
});
