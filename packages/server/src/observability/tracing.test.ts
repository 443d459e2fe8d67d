/**
 * Spans reach whatever tracer provider the service registers: a recording provider stands in
 * for an OpenTelemetry SDK (the API's own interfaces, nothing of the server mocked).
 */
import {
  trace,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { openRequest, postCommand, startServer } from "../testing/test-server.js";

interface Recorded {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  ended: boolean;
}

const recorded: Recorded[] = [];

function recordingSpan(entry: Recorded): Span {
  const span: Span = {
    spanContext: () => ({
      traceId: "0".repeat(31) + "1",
      spanId: "0".repeat(15) + "1",
      traceFlags: 1,
    }),
    setAttribute: (key, value) => {
      entry.attributes[key] = value;
      return span;
    },
    setAttributes: (attributes) => {
      Object.assign(entry.attributes, attributes);
      return span;
    },
    addEvent: () => span,
    addLink: () => span,
    addLinks: () => span,
    setStatus: () => span,
    updateName: () => span,
    end: () => void (entry.ended = true),
    isRecording: () => true,
    recordException: () => undefined,
  };
  return span;
}

const tracer: Tracer = {
  startSpan(name: string, options?: SpanOptions): Span {
    const entry: Recorded = { name, attributes: { ...(options?.attributes ?? {}) }, ended: false };
    recorded.push(entry);
    return recordingSpan(entry);
  },
  startActiveSpan(name: string, ...rest: unknown[]): never {
    const work = rest.at(-1) as (span: Span) => unknown;
    const options = (rest.length > 1 ? rest[0] : undefined) as SpanOptions | undefined;
    return work(this.startSpan(name, options)) as never;
  },
};
const provider: TracerProvider = { getTracer: () => tracer };

describe("OpenTelemetry spans", () => {
  afterAll(() => trace.disable());

  it("traces the replay on open, each command and each append, ended, with their attributes", async () => {
    trace.setGlobalTracerProvider(provider);
    const { base, server } = await startServer();
    try {
      expect((await postCommand(base, openRequest("w1"))).status).toBe(201);
    } finally {
      await server.close();
    }
    const names = recorded.map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining(["pacioli.replay", "pacioli.command", "pacioli.store.append"]),
    );
    const command = recorded.find((span) => span.name === "pacioli.command");
    expect(command?.attributes).toEqual({
      "pacioli.command.type": "OpenWallet",
      "pacioli.outcome": "Accepted",
    });
    const append = recorded.find((span) => span.name === "pacioli.store.append");
    expect(append?.attributes).toMatchObject({
      "pacioli.stream": "ledger-main",
      "pacioli.events": 1,
      "pacioli.expected_version": 0,
      "pacioli.outcome": "Appended",
    });
    expect(recorded.every((span) => span.ended)).toBe(true);
  });
});
