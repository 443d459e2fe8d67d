/**
 * The ledger's currency registry as the CLI knows it: ISO 4217 plus the custom assets named
 * in the `PACIOLI_ASSETS` environment variable (`GOLD:3,POINTS:0`: code and exponent), the
 * same assets the embedding service passes to `openLedger({ registry })`. Every command
 * decodes with it, so a ledger that books a registered asset can be read, audited, exported
 * and imported. One variable rather than a flag on every command: the registry belongs to
 * the ledger, not to one invocation, and a missing asset is refused loudly on decode.
 */
import { iso4217, registerAsset, type CurrencyRegistry } from "@pacioli/core";
import { CliError, EXIT_USAGE } from "./cli-error.js";

export const ASSETS_VARIABLE = "PACIOLI_ASSETS";

let cached: { text: string; registry: CurrencyRegistry } | undefined;

export function ledgerRegistry(
  text: string = process.env[ASSETS_VARIABLE] ?? "",
): CurrencyRegistry {
  if (cached?.text === text) return cached.registry;
  let registry: CurrencyRegistry = iso4217;
  for (const item of text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")) {
    const match = /^([^:]+):(\d{1,2})$/.exec(item);
    const registered =
      match === null
        ? undefined
        : registerAsset(registry, { code: match[1] as string, exponent: Number(match[2]) });
    if (registered === undefined || registered._tag === "Left") {
      const reason = registered === undefined ? "not CODE:EXPONENT" : registered.left._tag;
      throw new CliError(
        `${ASSETS_VARIABLE}: cannot register ${JSON.stringify(item)} (${reason})`,
        EXIT_USAGE,
        `${ASSETS_VARIABLE}=GOLD:3,POINTS:0 names each custom asset with its exponent`,
      );
    }
    registry = registered.right;
  }
  cached = { text, registry };
  return registry;
}
