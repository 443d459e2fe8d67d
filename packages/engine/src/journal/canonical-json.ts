/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, and only the JSON
 * values the journal uses (strings, safe integers, booleans, null, arrays, objects). The
 * hash chain covers these bytes, so an auditor can recompute them from any parsed event and
 * any change to a stored event, even one that keeps it valid JSON, is found.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) throw new Error(`assertion failed: canonical JSON holds only safe integers, got ${value}`);
      return String(value);
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      return canonicalObject(value as Record<string, unknown>);
    default:
      throw new Error(`assertion failed: canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort();
  let text = "{";
  let first = true;
  for (const key of keys) {
    const value = object[key];
    if (value === undefined) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(value)}`;
    first = false;
  }
  return `${text}}`;
}
