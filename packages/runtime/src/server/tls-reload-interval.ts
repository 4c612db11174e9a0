// `server.tls.reloadInterval`: how often the TLS files are checked for a rotation. Parsed in
// one place so the config schema refuses exactly what the server could not use.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Default of `server.tls.reloadInterval`: a rotated certificate is served within a minute. */
export const DEFAULT_TLS_RELOAD_INTERVAL = "60s";

/** Why a value is not a reload interval (a bare number could mean seconds or milliseconds). */
export const TLS_RELOAD_INTERVAL_ERROR =
  'expected a duration like "60s", "500ms" or "5m" (with its unit), or "off" (or 0) to not reload';

/** Shortest interval accepted: each check stats every TLS file. */
export const MIN_TLS_RELOAD_MS = 100;

/** Longest interval accepted: Node's timers cannot wait longer (about 24.8 days). */
export const MAX_TLS_RELOAD_MS = 2_147_483_647;

/**
 * `server.tls.reloadInterval` in milliseconds: `"60s"`, `"500ms"`, `"5m"`, `"1h"` or
 * `"1m30s"`; `0`, `"0"`, `"0s"` or `"off"` give 0 (no reloading). Returns a message (for the config
 * error) for anything else, including a bare number other than 0, which could mean seconds
 * or milliseconds.
 */
export function parseTlsReloadInterval(value: unknown): number | { readonly error: string } {
  if (value === 0 || value === "0" || value === "off") return 0;
  if (typeof value !== "string" || !DURATION.test(value.trim())) {
    return { error: TLS_RELOAD_INTERVAL_ERROR };
  }
  let ms = 0;
  for (const [, amount, unit] of value.trim().matchAll(PART)) {
    ms += Number(amount) * (UNIT_MS[unit ?? ""] ?? 0);
  }
  ms = Math.round(ms);
  if (ms === 0) return 0;
  if (ms < MIN_TLS_RELOAD_MS || ms > MAX_TLS_RELOAD_MS) {
    return { error: 'expected a duration from "100ms" to "596h", or "off"' };
  }
  return ms;
}
