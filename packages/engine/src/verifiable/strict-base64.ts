/**
 * Base64 (RFC 4648 §4) read strictly: only the canonical spelling of some bytes is accepted.
 * Node's decoder ignores stray characters and the unused low bits of the last character, so
 * two texts could decode to the same bytes — and a changed character of a signed note could
 * go unnoticed. Here any changed character changes the result or is refused.
 */
export function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}
