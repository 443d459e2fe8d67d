/**
 * Whether the store kept this batch's events. Event ids are deterministic, so when another
 * writer recorded the same command at the same version first, the store takes this append
 * for a retry of that one and answers `Appended` without writing. The events it kept may
 * differ (another clock, actor or metadata, hence another hash); keeping ours in memory would
 * fork the hash chain at the next append. The stored head's hash settles it: on a mismatch
 * the batch is treated as a lost race (reload, decide again: the command is then a repeat
 * answered with the stored events). One indexed read per batch, not per command.
 */
import { storedHash } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";

export async function storeKeptOurs(
  store: EventStore,
  stream: string,
  nextVersion: number,
  lastHash: string,
): Promise<boolean> {
  const [head] = await store.readStream(stream, { fromIndex: nextVersion - 1, limit: 1 });
  return head !== undefined && storedHash(head) === lastHash;
}
