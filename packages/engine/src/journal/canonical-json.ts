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
  const keys = Object.keys(object);
  // Objects here have a handful of keys: an insertion sort beats Array.prototype.sort's
  // set-up cost, and most keys are plain identifiers that need no escaping.
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index] as string;
    let at = index - 1;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at -= 1;
    }
    keys[at + 1] = key;
  }
  let text = "{";
  for (const key of keys) {
    const value = object[key];
    if (value === undefined) continue;
    text += `${text.length === 1 ? "" : ","}${PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key)}:${canonicalJson(value)}`;
  }
  return `${text}}`;
}

const PLAIN_KEY = /^[A-Za-z0-9_$]*$/;
