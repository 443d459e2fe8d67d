/**
 * Every bound of the HTTP service in one place: body sizes, batch sizes, page sizes and the
 * times a request may wait. Each is a named constant so a limit is changed here, not hunted.
 */

/** Largest request body: a batch of 1,000 typical commands is ~300 KB. Larger gets 413. */
export const BODY_BYTES_MAX = 1_048_576;
/** Commands in one `POST /commands:batch`: the engine's group commit takes 1,000 at most. */
export const BATCH_REQUESTS_MAX = 1000;
/** Entries in one history page (the CLI's bound too). */
export const HISTORY_PAGE_MAX = 1000;
export const HISTORY_PAGE_DEFAULT = 20;
/** Events in one change-feed response. */
export const EVENTS_PAGE_MAX = 1000;
export const EVENTS_PAGE_DEFAULT = 100;
/** Longest a change-feed long poll waits for a new event (`wait` query, milliseconds). */
export const EVENTS_WAIT_MS_MAX = 30_000;
/**
 * How long a command request waits for its decision before the server answers 503. The
 * command is not withdrawn (it may already be decided): the caller retries with the same
 * idempotency key and gets the original result.
 */
export const COMMAND_WAIT_MS_DEFAULT = 10_000;
/** A whole request, from its first byte: covers the longest long poll plus a margin. */
export const REQUEST_TIMEOUT_MS = EVENTS_WAIT_MS_MAX + 10_000;
/** Seconds a 503 tells the caller to wait before retrying. */
export const RETRY_AFTER_SECONDS = 1;
/** Longest position text accepted by `GET /events?after=` (store positions are ~20 characters). */
export const POSITION_CHARS_MAX = 128;
