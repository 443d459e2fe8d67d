/**
 * OpenTelemetry spans through `@opentelemetry/api` only: without an SDK registered by the
 * service the tracer is the API's no-op and a span costs a function call. With one, spans
 * are `pacioli.command` (a request's wait for its decision), `pacioli.store.append` (one
 * group commit), `pacioli.store.snapshot` and `pacioli.replay` (opening the ledger).
 */
import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

export const TRACER_NAME = "@pacioli/server";

/** Runs `work` inside a span, ending it with the error status when `work` throws. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}
