import type { MiddlewareHandler } from "hono";

/**
 * What every response of the API and `/metrics` may be: data, never a page. Nothing in it is
 * to be loaded, framed or run, and a sniffing browser must not read JSON that quotes
 * client-chosen text (key names, gRPC paths) as HTML.
 */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every monitor response carries unless the route set its own (the dashboard sets a
 * page CSP and `no-cache`):
 * - `cache-control: no-store` — responses hold key secrets (create, rotate) and request data;
 *   neither a browser's disk cache nor a proxy may keep them;
 * - `x-content-type-options: nosniff`, a restrictive CSP, `x-frame-options: DENY` (browsers
 *   without `frame-ancestors`) against sniffing and clickjacking;
 * - `referrer-policy: no-referrer`, and `cross-origin-resource-policy: same-origin` so no
 *   other site can embed a response (e.g. an open `/metrics`) even without reading it.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    setDefault(headers, "cache-control", "no-store");
    setDefault(headers, "content-security-policy", DATA_CSP);
    headers.set("x-content-type-options", "nosniff");
    headers.set("x-frame-options", "DENY");
    setDefault(headers, "referrer-policy", "no-referrer");
    headers.set("cross-origin-resource-policy", "same-origin");
  };
}

function setDefault(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}
