/**
 * `pacioli serve --db FILE [--port N] [--host H]`: the ledger over HTTP (`@pacioli/server`,
 * docs/reference/http-api.md) until SIGTERM or SIGINT, then a graceful shutdown: stop taking
 * connections, finish the requests in flight (their commands complete), close the store.
 * The first line on standard output is `listening on http://HOST:PORT`; logs are JSON lines
 * on standard error.
 */
import { jsonLineLogger, openPacioliServer } from "@pacioli/server";
import { clockFlag, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { openStoreFile, serverFlag, storeFailure } from "../cli/ledger-file.js";

const PORT_DEFAULT = 8080;
const HOST_DEFAULT = "127.0.0.1";

const usage = `Usage: pacioli serve (--db FILE | --store URL) [--port N] [--host H] [--now TIME]

Serves the ledger over HTTP: POST /commands, POST /commands:batch, GET /wallets/{id}/balances,
GET /wallets/{id}/history, GET /audit, GET /events, /openapi.json, /metrics, /healthz, /readyz
(docs/reference/http-api.md). FILE is created if it does not exist. Stops gracefully on
SIGTERM or SIGINT.

Options:
  --db FILE     the Pacioli SQLite ledger
  --store URL   an EventStoreDB/KurrentDB server instead (kurrentdb://host:2113?tls=false)
  --port N      TCP port (default ${PORT_DEFAULT}; 0 picks a free one)
  --host H      address to listen on (default ${HOST_DEFAULT}; 0.0.0.0 for every interface)
  --now TIME    decide every command at this ledger time (tests, reproducible runs)

Exit status: 0 after a graceful shutdown, 2 usage error, 3 store failure.`;

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the ledger over HTTP (OpenAPI, metrics, health)",
  usage,
  async run(argv) {
    const flags = commandFlags("serve", argv, {
      db: "string",
      store: "string",
      port: "string",
      host: "string",
      now: "string",
    });
    const location = storeLocation(flags.string("db"), flags.string("store"));
    const port = portNumber(flags.string("port"));
    const host = flags.string("host") ?? HOST_DEFAULT;
    const clock = clockFlag(flags.string("now"));
    const store = await openStoreFile(location, "create");
    const logger = jsonLineLogger((line) => process.stderr.write(line));
    let server;
    try {
      server = await openPacioliServer({
        store,
        logger,
        ...(clock === undefined ? {} : { clock }),
      });
    } catch (error) {
      await store.close();
      throw storeFailure(location, error);
    }
    const stopped = new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    try {
      const address = await server.listen(host, port);
      process.stdout.write(`listening on ${address}\n`);
    } catch (error) {
      await server.close();
      throw new CliError(
        `cannot listen on ${host}:${port}: ${(error as Error).message}`,
        EXIT_USAGE,
        "choose another --port or --host",
      );
    }
    await stopped;
    return EXIT_OK;
  },
};

function storeLocation(db: string | undefined, store: string | undefined): string {
  if (db !== undefined && store !== undefined)
    throw new CliError(
      "give one of --db FILE or --store URL",
      EXIT_USAGE,
      "run `pacioli serve --help` for usage",
    );
  const location = db ?? (store === undefined ? undefined : serverFlag(store));
  if (location === undefined || location === "")
    throw new CliError(
      "--db FILE or --store URL is required",
      EXIT_USAGE,
      "run `pacioli serve --help` for usage",
    );
  return location;
}

function portNumber(text: string | undefined): number {
  if (text === undefined) return PORT_DEFAULT;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535)
    throw new CliError(`--port must be 0 to 65535, got ${JSON.stringify(text)}`, EXIT_USAGE);
  return Number(text);
}
