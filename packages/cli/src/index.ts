/**
 * @pacioli/cli — the `pacioli` command (demo, apply, balances, history, audit, export,
 * import). The auditor's library itself lives in `@pacioli/engine` (`auditStream`).
 */
export { main, COMMANDS } from "./main.js";
export { EXIT_OK, EXIT_STORE, EXIT_USAGE, EXIT_VIOLATIONS } from "./cli/cli-error.js";
export { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveHeader } from "./archive/archive-format.js";
export { DEMO_STORY, DEMO_START } from "./demo/demo-story.js";
