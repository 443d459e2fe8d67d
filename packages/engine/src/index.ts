export * from "./store/event-store.js";
