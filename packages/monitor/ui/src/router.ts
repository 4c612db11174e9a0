/** Hash routes: `#/requests?service=x` → path ["requests"], params service=x. */

/** Where the app is: path segments and query of the hash. */
export interface Route {
  readonly path: readonly string[];
  readonly params: URLSearchParams;
}

/** What a page gets to render. */
export interface PageContext {
  readonly route: Route;
  /** Moves to another hash route. */
  navigate(hash: string): void;
  /** Re-renders the current page (after an action changed data). */
  reload(): void;
}

/** A page renders into a fresh element; `live` pages re-render on auto-refresh. */
export interface Page {
  readonly title: string;
  readonly live: boolean;
  render(ctx: PageContext): Promise<HTMLElement>;
}

/** Parses `location.hash`. */
export function currentRoute(): Route {
  const raw = location.hash.replace(/^#\/?/, "");
  const [pathPart = "", queryPart = ""] = raw.split("?", 2);
  const path = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { path, params: new URLSearchParams(queryPart) };
}

/** Builds `#/a/b?x=1` from segments and params (empty values dropped). */
export function href(
  path: readonly string[],
  params: Record<string, string | undefined> = {},
): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const q = search.toString();
  return `#/${path.map(encodeURIComponent).join("/")}${q ? `?${q}` : ""}`;
}
