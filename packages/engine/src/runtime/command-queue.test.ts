import { describe, expect, it } from "vitest";
import { StoreError } from "../store/event-store.js";
import { CommandQueue, type PendingCommand } from "./command-queue.js";

const answer = (batch: readonly PendingCommand[]): void => {
  for (const pending of batch)
    pending.resolve({ _tag: "Invalid", failure: { message: String(pending.request) } } as never);
};

describe("the writer's queue", () => {
  it("gathers the callers of one turn into one batch, up to the batch size", async () => {
    const batches: unknown[][] = [];
    const queue = new CommandQueue(
      3,
      async (batch) => {
        batches.push(batch.map((pending) => pending.request));
        answer(batch);
      },
      () => undefined,
    );
    await Promise.all([1, 2, 3, 4, 5].map((request) => queue.enqueue(request, false)));
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("puts commands handed back by a full append at the front of the next batch", async () => {
    const batches: unknown[][] = [];
    let handedBack = false;
    const queue = new CommandQueue(
      10,
      async (batch) => {
        batches.push(batch.map((pending) => pending.request));
        if (!handedBack) {
          handedBack = true;
          answer(batch.slice(0, 1));
          queue.returnToFront(batch.slice(1));
          return;
        }
        answer(batch);
      },
      () => undefined,
    );
    await Promise.all(["a", "b", "c"].map((request) => queue.enqueue(request, false)));
    expect(batches).toEqual([
      ["a", "b", "c"],
      ["b", "c"],
    ]);
  });

  it("hands a batch whose commit threw to onCommitThrew, and goes on with the next", async () => {
    const failed: unknown[] = [];
    let first = true;
    const queue = new CommandQueue(
      1,
      async (batch) => {
        if (first) {
          first = false;
          throw new Error("a bug");
        }
        answer(batch);
      },
      (batch, error) => {
        failed.push((error as Error).message);
        for (const pending of batch) pending.reject(error);
      },
    );
    const results = await Promise.allSettled([queue.enqueue(1, false), queue.enqueue(2, false)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled"]);
    expect(failed).toEqual(["a bug"]);
  });

  it("refuses commands once closed, after answering those already queued", async () => {
    const queue = new CommandQueue(
      10,
      async (batch) => answer(batch),
      () => undefined,
    );
    const queued = queue.enqueue(1, false);
    await queue.close();
    await expect(queued).resolves.toMatchObject({ _tag: "Invalid" });
    await expect(queue.enqueue(2, false)).rejects.toBeInstanceOf(StoreError);
  });

  it("runs a scheduled chore in the writer's turn, with or without commands waiting", async () => {
    const order: string[] = [];
    const queue = new CommandQueue(
      10,
      async (batch) => {
        order.push(`batch ${batch.map((pending) => String(pending.request)).join(",")}`);
        answer(batch);
      },
      () => undefined,
    );
    const chore = new Promise<void>((resolve) =>
      queue.schedule(async () => {
        order.push("chore");
        resolve();
      }),
    );
    await chore;
    await queue.enqueue("a", false);
    expect(order).toEqual(["chore", "batch a"]);
  });
});
