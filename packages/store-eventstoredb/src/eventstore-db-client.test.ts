/**
 * The adapter driving `@eventstore/db-client` 6.2.1 against the gRPC double built from that
 * package's generated code. This file must not load `@kurrent/kurrentdb-client` at run time
 * (see client-api.ts); vitest runs each test file in its own module graph.
 */
import { clientOnDoubleSuite } from "./testing/client-on-double-suite.js";

clientOnDoubleSuite("@eventstore/db-client");
