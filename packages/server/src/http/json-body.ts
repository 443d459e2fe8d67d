/** JSON text for values that hold bigints: minor units print as strings, never numbers. */
export function jsonBody(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? item.toString() : item,
  );
}
