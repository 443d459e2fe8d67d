/**
 * @pacioli/cli — the `pacioli` command (demo, apply, balances, history, audit, export,
 * import). The auditor's library itself lives in `@pacioli/engine` (`auditStream`).
 */
export { main, COMMANDS, VERSION } from "./main.js";
export {
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_OUTPUT_CLOSED,
  EXIT_REJECTED,
  EXIT_STATUSES,
  EXIT_STORE,
  EXIT_USAGE,
  EXIT_VIOLATIONS,
  type ExitStatus,
} from "./cli/cli-error.js";
export { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveHeader } from "./archive/archive-format.js";
export { DEMO_STORY, DEMO_START } from "./demo/demo-story.js";
