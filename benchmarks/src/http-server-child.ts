/**
 * The server side of the HTTP benchmark, in its own process (as a service would run it):
 * `@pacioli/server` on a SQLite ledger at the given path, a free loopback port, the address
 * printed on standard output. Stops on SIGTERM.
 */
import { openPacioliServer } from "@pacioli/server";
import { openSqliteEventStore } from "@pacioli/store-sqlite";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: http-server-child.js LEDGER.db");
const server = await openPacioliServer({ store: await openSqliteEventStore({ path }) });
process.stdout.write(`listening on ${await server.listen("127.0.0.1", 0)}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
