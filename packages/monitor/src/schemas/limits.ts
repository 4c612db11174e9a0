/**
 * Limits of the API's inputs, in a module of their own (no zod) so the dashboard bundle can
 * import them and offer only what the API accepts.
 */

/** Longest look-back the monitor accepts, in hours (90 days). */
export const MAX_HOURS = 24 * 90;

/** Shortest look-back, in hours (36 s): anything shorter is an empty window. */
export const MIN_HOURS = 0.01;

/**
 * Longest service or method name the API takes (service path, filters). A call to a path
 * that is not `/<service>/<method>` is logged with the whole path as its service, so this is
 * well above any real proto name; it stays small enough that the name, percent-encoded,
 * fits in a URL the HTTP server accepts.
 */
export const MAX_CALL_NAME = 1000;

/** Longest rotation grace period, in seconds (7 days; the CLI's `--grace` has the same cap). */
export const MAX_GRACE_SECONDS = 7 * 86_400;
