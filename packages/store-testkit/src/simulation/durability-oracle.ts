/**
 * What the simulation knows to be true, from the disk's durable events and the reference
 * model alone (never from the engine's memory), and the checks against it:
 *
 * - every durable command, in durable order, is fed to the reference model
 *   (`@pacioli/core/testing`) at its recorded time: the model must accept it. A key the model
 *   calls a repeat is a double effect; a refusal is a decision the rules forbid;
 * - an acknowledged command's events are durable at the moment of the acknowledgement, and
 *   are the request's own (or, for a repeat, those its key recorded the first time);
 * - the durable prefix never changes: after any crash the last event fed is still there,
 *   byte for byte (the hash chain makes that cover the events before it).
 *
 * Violations are collected rather than thrown: most are found inside promise callbacks of
 * the engine's, where a throw would only reach the engine.
 */
import type { CurrencyRegistry, LedgerCommand, RecordedEvent } from "@pacioli/core";
import { emptyModel, modelSubmit, type ModelLedger } from "@pacioli/core/testing";
import { decodeStoredEvent, type ExecuteResult } from "@pacioli/engine";
import type { CommandGenerator, SimRequest } from "./command-generator.js";
import { SIM_CURRENCIES } from "./command-generator.js";
import type { SimulatedDisk } from "./simulated-disk.js";

/** Where a key's command sits in the durable stream. */
interface Recording {
  readonly firstSequence: number;
  readonly eventCount: number;
  readonly commandId: string;
}

export class DurabilityOracle {
  readonly model: ModelLedger = emptyModel(SIM_CURRENCIES);
  readonly violations: string[] = [];
  /** Durable events fed to the model so far. */
  private fed = 0;
  private fedHash: string | undefined;
  private group: RecordedEvent[] = [];
  private readonly recordings = new Map<string, Recording>();
  /** Durable commands fed, for the report. */
  commands = 0;

  constructor(
    private readonly disk: SimulatedDisk,
    private readonly registry: CurrencyRegistry,
    private readonly generator: CommandGenerator,
  ) {}

  get durableEvents(): number {
    return this.fed;
  }

  /** Feeds every event made durable since the last call to the model. */
  catchUp(): void {
    this.checkPrefix();
    while (this.fed < this.disk.durableLength) {
      const stored = this.disk.eventAt(this.fed);
      if (stored === undefined) throw new Error("invariant: a durable index is inside the log");
      const entry = decodeStoredEvent(this.registry, stored);
      if (entry.recorded.sequence !== this.fed + 1)
        this.violate(`durable event ${this.fed + 1} carries sequence ${entry.recorded.sequence}`);
      this.fed += 1;
      this.fedHash = entry.hash;
      this.group.push(entry.recorded);
      if (entry.recorded.indexInCommand === entry.recorded.eventsInCommand - 1)
        this.feedCommand(this.group.splice(0));
    }
  }

  /** A client heard back: an accepted command's events must be durable and its own. */
  checkAcknowledged(request: SimRequest, result: ExecuteResult): void {
    if (result._tag !== "Accepted") return;
    this.catchUp();
    const where = `${request.commandId} (key ${request.key}, ${request.command.type})`;
    if (result.events.length === 0) return this.violate(`${where} was accepted with no events`);
    for (const event of result.events) {
      const stored = this.disk.eventAt(event.sequence - 1);
      if (event.sequence > this.disk.durableLength || stored === undefined) {
        return this.violate(
          `${where} was acknowledged but its event ${event.sequence} is not durable (durable: ${this.disk.durableLength})`,
        );
      }
      const durable = decodeStoredEvent(this.registry, stored).recorded;
      if (
        durable.commandId !== event.commandId ||
        durable.indexInCommand !== event.indexInCommand ||
        durable.digest !== event.digest
      ) {
        return this.violate(
          `${where} was acknowledged with event ${event.sequence} of ${event.commandId}, but the disk holds ${durable.commandId} there`,
        );
      }
    }
    const first = result.events[0] as RecordedEvent;
    if (!result.repeated && first.commandId !== request.commandId)
      this.violate(`${where} was accepted with the events of ${first.commandId}`);
    if (result.repeated) {
      const recording = this.recordings.get(request.key);
      if (
        recording === undefined ||
        recording.firstSequence !== first.sequence ||
        recording.eventCount !== result.events.length
      ) {
        this.violate(
          `${where} was answered as a repeat with events ${first.sequence}+${result.events.length}, not the key's recording ${JSON.stringify(recording)}`,
        );
      }
    }
  }

  /** After a crash and restart: what was durable is still there, unchanged. */
  checkPrefix(): void {
    if (this.fed === 0) return;
    const stored = this.disk.eventAt(this.fed - 1);
    if (this.disk.durableLength < this.fed || stored === undefined)
      return this.violate(
        `durable events were lost: ${this.fed} were durable, ${this.disk.durableLength} are`,
      );
    if (decodeStoredEvent(this.registry, stored).hash !== this.fedHash)
      this.violate(`durable event ${this.fed} changed`);
  }

  private feedCommand(events: readonly RecordedEvent[]): void {
    const first = events[0] as RecordedEvent;
    const command = this.commandOf(first);
    if (command === undefined)
      return this.violate(
        `durable command ${first.commandId} (key ${first.idempotencyKey}) was never sent by any client`,
      );
    const outcome = modelSubmit(this.model, {
      key: first.idempotencyKey,
      digest: first.digest,
      at: first.recordedAt,
      command,
    });
    const where = `durable command ${first.commandId} (key ${first.idempotencyKey}, ${command.type}) at sequence ${first.sequence}`;
    if (outcome.kind === "repeated")
      this.violate(
        `double effect: ${where} repeats key ${first.idempotencyKey} recorded at ${this.recordings.get(first.idempotencyKey)?.firstSequence}`,
      );
    if (outcome.kind === "rejected")
      this.violate(`${where} was recorded, but the reference model refuses it: ${outcome.tag}`);
    this.recordings.set(first.idempotencyKey, {
      firstSequence: first.sequence,
      eventCount: events.length,
      commandId: first.commandId,
    });
    this.commands += 1;
  }

  /** The command a durable event group records: a client's request, or the clock's due work. */
  private commandOf(first: RecordedEvent): LedgerCommand | undefined {
    const request = this.generator.byId(first.commandId);
    if (request !== undefined) return request.command;
    const [kind, id] = first.idempotencyKey.split(":");
    if (first.actor !== "pacioli:clock" || id === undefined) return undefined;
    if (kind === "expire-hold") return { type: "ExpireHold", holdId: id };
    if (kind === "release-escrow") return { type: "ReleaseEscrow", orderId: id };
    return undefined;
  }

  private violate(message: string): void {
    this.violations.push(message);
  }
}
