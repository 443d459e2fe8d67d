/**
 * The fixture `engineOnStoreSuite` runs on: a store on a fresh gRPC test double for one client
 * (`startStoreOnTestDouble`), and further connections opened the way the CLI opens them, from
 * the connection string (`openEventStoreFromUrl`), so the suite exercises that path too.
 */
import type { EventStore } from "@pacioli/engine";
import { startStoreOnTestDouble } from "../adapter-on-double.js";
import type { ClientFlavour } from "../client-api.js";
import { openEventStoreFromUrl } from "../open-event-store-from-url.js";
import type { OpenStoreOnDouble } from "./engine-on-store-suite.js";

export function storeOnDoubleFixture(client: ClientFlavour): OpenStoreOnDouble {
  return async ({ maxAppendBytes }) => {
    const storeOptions = maxAppendBytes === undefined ? {} : { maxAppendBytes };
    const started = await startStoreOnTestDouble({ client, store: storeOptions });
    const others: EventStore[] = [];
    return {
      store: started.store,
      double: started.double,
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
