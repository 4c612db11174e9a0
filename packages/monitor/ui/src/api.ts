import type { ErrorBody } from "./api-types.js";

const KEY_STORAGE = "grpc-cfg.monitor.apiKey";

/**
 * The admin key lives in sessionStorage only: it survives a reload of this tab and is gone
 * when the tab closes; it is never written to localStorage or a cookie.
 */
export const session = {
  get(): string | null {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  set(key: string): void {
    sessionStorage.setItem(KEY_STORAGE, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY_STORAGE);
  },
};

/** A failed API call: HTTP status plus the server's message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Called on 401 so the app can return to the login screen. */
let onUnauthorized: (message: string) => void = () => {};

/** Registers what happens when the key stops working. */
export function setUnauthorizedHandler(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Calls the monitor API with the session's key; throws {@link ApiFailure} on non-2xx. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; key?: string } = {},
): Promise<T> {
  const key = init.key ?? session.get() ?? "";
  const headers: Record<string, string> = { "x-api-key": key, accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.ok) return (await response.json()) as T;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as ErrorBody;
    message = body.error.message;
  } catch {
    /* non-JSON error body: keep the status line */
  }
  if (response.status === 401 && init.key === undefined) onUnauthorized(message);
  throw new ApiFailure(response.status, message);
}
