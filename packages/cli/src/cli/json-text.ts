/** JSON output for values that hold bigints (minor units print as strings, never numbers). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? item.toString() : item,
  );
}
