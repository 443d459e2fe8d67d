/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, and only the JSON
 * values the journal uses (strings, safe integers, booleans, null, arrays, objects). The
 * hash chain covers these bytes, so an auditor can recompute them from any parsed event and
 * any change to a stored event, even one that keeps it valid JSON, is found.
 *
 * One writer produces the bytes for every consumer: `canonicalJson` gathers them into a
 * string, the audit's `canonicalDigest` feeds them to a hash in chunks.
 */
import { AssertionFailure } from "@pacioli/core";

/** Where canonical text goes, piece by piece. */
export interface CanonicalSink {
  write(text: string): void;
}

export function canonicalJson(value: unknown): string {
  const sink = new TextSink();
  writeCanonical(value, sink);
  return sink.text;
}

class TextSink implements CanonicalSink {
  text = "";

  write(text: string): void {
    this.text += text;
  }
}

export function writeCanonical(value: unknown, sink: CanonicalSink): void {
  switch (typeof value) {
    case "string":
      return sink.write(JSON.stringify(value));
    case "boolean":
      return sink.write(value ? "true" : "false");
    case "number":
      if (!Number.isSafeInteger(value))
        throw new AssertionFailure(`canonical JSON holds only safe integers, got ${value}`);
      return sink.write(String(value));
    case "object":
      if (value === null) return sink.write("null");
      if (Array.isArray(value)) return writeArray(value, sink);
      return writeObject(value as Record<string, unknown>, sink);
    default:
      throw new AssertionFailure(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[], sink: CanonicalSink): void {
  sink.write("[");
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) sink.write(",");
    writeCanonical(items[index], sink);
  }
  sink.write("]");
}

function writeObject(object: Record<string, unknown>, sink: CanonicalSink): void {
  let first = true;
  sink.write("{");
  for (const key of sortedKeys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    sink.write(`${first ? "" : ","}${PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key)}:`);
    first = false;
    writeCanonical(value, sink);
  }
  sink.write("}");
}

/**
 * Keys in UTF-16 code unit order. Objects here mostly have a handful of keys: an insertion
 * sort beats Array.prototype.sort's set-up cost there; large ones (a state's maps) use it.
 */
function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index] as string;
    let at = index - 1;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at -= 1;
    }
    keys[at + 1] = key;
  }
  return keys;
}

const PLAIN_KEY = /^[A-Za-z0-9_$]*$/;
