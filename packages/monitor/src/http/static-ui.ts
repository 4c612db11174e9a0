import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Env, Hono } from "hono";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

// The dashboard only talks to its own origin and never inlines scripts; anything else a
// browser is asked to load is refused.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Where the bundled dashboard is: `dist/ui` beside the compiled module, or — when running from
 * `src` (tests) — the package's `dist/ui`. Returns null when it has not been built.
 */
export function findUiDir(): string | null {
  const candidates = [
    new URL("../ui/", import.meta.url),
    new URL("../../dist/ui/", import.meta.url),
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return null;
}

/**
 * Serves the dashboard from memory: the files of `uiDir` are read once at start, so no
 * request path ever reaches the file system. `/` and `/index.html` serve the page, `/ui/*`
 * the assets. Without a built dashboard `/` answers 503 saying how to build it.
 */
export function mountStaticUi<E extends Env>(app: Hono<E>, uiDir: string | null): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  if (uiDir) {
    for (const name of readdirSync(uiDir)) {
      const type = TYPES[extname(name)];
      if (type) files.set(name, { body: readFileSync(join(uiDir, name)), type });
    }
  }
  const index = files.get("index.html");
  const page = () => {
    if (!index) {
      return new Response(
        "The dashboard is not built. Run `npm run build` (it runs packages/monitor/scripts/build-ui.mjs).\n",
        { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } },
      );
    }
    return new Response(new Uint8Array(index.body), {
      headers: {
        "content-type": index.type,
        "content-security-policy": CSP,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      },
    });
  };
  app.get("/", page);
  app.get("/index.html", page);
  app.get("/ui/:file", (c) => {
    const file = files.get(c.req.param("file"));
    if (!file || file === index) return c.notFound();
    return new Response(new Uint8Array(file.body), {
      headers: {
        "content-type": file.type,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      },
    });
  });
}
