/**
 * What every contract example needs: a fresh store per test, closed and cleaned up after,
 * and a way to make small batches of events with readable ids.
 */
import { afterEach, beforeEach } from "vitest";
import type { EventStore, NewEvent } from "@pacioli/engine";

export interface OpenedStore {
  readonly store: EventStore;
  readonly cleanup?: () => Promise<void>;
}

export type OpenStore = () => Promise<OpenedStore>;

/** Registers hooks that open a fresh store before each test; returns its accessor. */
export function useFreshStore(open: OpenStore): () => EventStore {
  let opened: OpenedStore | null = null;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    const current = opened;
    opened = null;
    if (current === null) return;
    await current.store.close();
    await current.cleanup?.();
  });
  return () => {
    if (opened === null) throw new Error("the store is only available inside a test");
    return opened.store;
  };
}

/** Events `${prefix}-0` … `${prefix}-(count-1)`, each with a payload naming it. */
export function events(prefix: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    eventId: `${prefix}-${index}`,
    type: "EntryPosted",
    payload: JSON.stringify({ event: `${prefix}-${index}` }),
  }));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
