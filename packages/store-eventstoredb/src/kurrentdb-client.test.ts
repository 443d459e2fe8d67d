/**
 * The adapter driving `@kurrent/kurrentdb-client` 1.3.1 (reads through its Rust bridge,
 * appends through grpc-js) against the gRPC double built from that package's generated code.
 * This file must not load `@eventstore/db-client` (see client-api.ts); vitest runs each test
 * file in its own module graph.
 */
import { clientOnDoubleSuite } from "./testing/client-on-double-suite.js";

clientOnDoubleSuite("@kurrent/kurrentdb-client");
