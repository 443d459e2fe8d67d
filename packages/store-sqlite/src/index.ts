export {
  openSqliteEventStore,
  SqliteEventStore,
  pacioli_application_id,
  sqlite_migrations,
  sqlite_schema_version,
  type SqliteEventStoreOptions,
} from "./sqlite-event-store.js";
