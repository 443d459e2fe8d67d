/**
 * The fixture the engine suite (`@pacioli/store-testkit` `engineOnStoreSuite`) runs on here: a
 * store on a fresh gRPC test double for one client (`startStoreOnTestDouble`), and further
 * connections opened the way the CLI opens them, from the connection string
 * (`openEventStoreFromUrl`), so the suite exercises that path too.
 */
import type { EventStore } from "@pacioli/engine";
import type { OpenEngineStore } from "@pacioli/store-testkit";
import { startStoreOnTestDouble } from "../adapter-on-double.js";
import type { ClientFlavour } from "../client-api.js";
import { openEventStoreFromUrl } from "../open-event-store-from-url.js";

export function storeOnDoubleFixture(client: ClientFlavour): OpenEngineStore {
  return async ({ maxAppendBytes }) => {
    const storeOptions = maxAppendBytes === undefined ? {} : { maxAppendBytes };
    const started = await startStoreOnTestDouble({ client, store: storeOptions });
    const others: EventStore[] = [];
    return {
      store: started.store,
      connect: async () => {
        const store = await openEventStoreFromUrl(started.connectionString, storeOptions);
        others.push(store);
        return store;
      },
      close: async () => {
        await Promise.all(others.map((store) => store.close()));
        await started.close();
      },
    };
  };
}
