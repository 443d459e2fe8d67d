/**
 * The journal's public surface: what a tool outside the engine needs to write, read and
 * check a stream of recorded events. The envelope's layout stays inside this folder.
 */
export { canonicalJson, writeCanonical, type CanonicalSink } from "./canonical-json.js";
export { chainHash, GENESIS_HASH, sha256Hex } from "./hash-chain.js";
export {
  encodeEntry,
  JournalDecodeError,
  restoreEvent,
  type JournalEntry,
} from "./journal-codec.js";
/** One stored event decoded (io-ts, never trusted) with its chain hashes, for readers that hold single events. */
export { decodeEntry as decodeStoredEvent } from "./journal-codec.js";
export {
  JournalGapError,
  journalEntries,
  journalHead,
  journalPages,
  contiguousPages,
  JOURNAL_PAGE_SIZE,
  type JournalEntriesOptions,
  type JournalReadOptions,
} from "./journal-reader.js";
