/**
 * `pacioli export --db FILE --format jsonl|csv|hledger|beancount [--output FILE]`: the
 * stream as a portable archive, a CSV of postings, or a journal for hledger or beancount.
 */
import type { RecordedEvent } from "@pacioli/core";
import { journalHead, type EventStore } from "@pacioli/engine";
import { LEDGER_FLAGS, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { DEFAULT_STREAM, openStoreFile, readFailure, requireEvents } from "../cli/ledger-file.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { recordedEvents, storedEvents } from "../cli/stored-events.js";
import { headerLine } from "../archive/archive-format.js";
import { BeancountBook } from "../journal/beancount-journal.js";
import { CSV_HEADER, csvRows } from "../journal/csv-postings.js";
import { hledgerCommodityDirective, hledgerTransaction } from "../journal/hledger-journal.js";
import { LineWriter } from "../journal/journal-writer.js";

const FORMATS = ["jsonl", "csv", "hledger", "beancount"] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: pacioli export --db FILE --format jsonl|csv|hledger|beancount [--output FILE]

  jsonl       a portable archive: a header line, then every stored event byte for byte;
              \`pacioli audit --jsonl\` and \`pacioli import\` read it
  csv         one row per posting (sequence, times, event type, account, currency, amount)
  hledger     an hledger / ledger-cli journal (\`hledger -f FILE balance\`)
  beancount   a beancount journal with closing balance assertions (\`bean-check FILE\`)

Options:
  --db FILE       the Pacioli SQLite ledger to read
  --format F      one of ${FORMATS.join(", ")}
  --output FILE   write to FILE instead of standard output; the file appears only when
                  the export is complete (a directory or a missing folder: exit 2)
  --stream NAME   the stream to export (default ${DEFAULT_STREAM})`;

export const exportCommand: Command = {
  name: "export",
  summary: "write the stream as a JSONL archive, CSV, or an hledger/beancount journal",
  usage,
  async run(argv) {
    const flags = commandFlags("export", argv, {
      ...LEDGER_FLAGS,
      format: "string",
      output: "string",
    });
    const { db, stream } = flags.ledger();
    const format = flags.required("format");
    if (!(FORMATS as readonly string[]).includes(format))
      throw new CliError(
        `unknown format ${JSON.stringify(format)}`,
        EXIT_USAGE,
        `choose one of ${FORMATS.join(", ")}`,
      );
    // The output path is checked (and its temporary file opened) before the ledger is read.
    const writer = new LineWriter(flags.string("output"));
    let store: EventStore | undefined;
    try {
      store = await openStoreFile(db, "read");
      await requireEvents(store, db, stream);
      await EXPORTERS[format as Format](store, stream, writer);
      await writer.commit();
    } catch (error) {
      throw readFailure(db, error);
    } finally {
      await writer.close();
      await store?.close();
    }
    return EXIT_OK;
  },
};

const EXPORTERS: Record<
  Format,
  (store: EventStore, stream: string, writer: LineWriter) => Promise<void>
> = {
  async jsonl(store, stream, writer) {
    // The header names the chain head, so it is read before any event is written.
    const { events, lastHash } = await journalHead(store, stream);
    await writer.line(headerLine({ stream, events, lastHash }));
    let written = 0;
    for await (const stored of storedEvents(store, stream)) {
      if (written === events) break; // appended after the header was written: the next export has them
      await writer.line(stored.payload);
      written += 1;
    }
  },
  async csv(store, stream, writer) {
    await writer.line(CSV_HEADER);
    for await (const recorded of recordedEvents(store, stream, ledgerRegistry()))
      for (const row of csvRows(recorded)) await writer.line(row);
  },
  async hledger(store, stream, writer) {
    await writer.line(`; Pacioli ledger ${stream}, exported for hledger / ledger-cli`);
    const currencies = new Set<string>();
    const body: string[] = [];
    for await (const recorded of recordedEvents(store, stream, ledgerRegistry())) {
      for (const posting of recorded.event.postings) currencies.add(posting.currency);
      const transaction = hledgerTransaction(recorded);
      if (transaction !== undefined) body.push(transaction);
      if (body.length >= 1000) await flushBody(writer, body, currencies);
    }
    await flushBody(writer, body, currencies);
  },
  async beancount(store, stream, writer) {
    const book = new BeancountBook();
    await writer.line(`; Pacioli ledger ${stream}, exported for beancount`);
    await writer.line(`option "title" "Pacioli ${stream}"`);
    for await (const recorded of recordedEvents(store, stream, ledgerRegistry())) {
      const transaction = book.transaction(recorded as RecordedEvent);
      if (transaction !== undefined) await writer.line(`\n${transaction}`);
    }
    await writer.line("");
    for (const line of book.openDirectives()) await writer.line(line);
    await writer.line("");
    for (const line of book.balanceAssertions()) await writer.line(line);
  },
};

/** Commodity directives go before the first use of each currency (hledger reads in order). */
const declared = new WeakMap<LineWriter, Set<string>>();
async function flushBody(
  writer: LineWriter,
  body: string[],
  currencies: Set<string>,
): Promise<void> {
  const seen = declared.get(writer) ?? new Set<string>();
  declared.set(writer, seen);
  for (const currency of [...currencies].sort()) {
    if (seen.has(currency) || !ledgerRegistry().has(currency)) continue;
    seen.add(currency);
    await writer.line(hledgerCommodityDirective(currency));
  }
  for (const transaction of body) await writer.line(`\n${transaction}`);
  body.length = 0;
}
