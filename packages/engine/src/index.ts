export * from "./store/event-store.js";
export * from "./store/memory-event-store.js";
