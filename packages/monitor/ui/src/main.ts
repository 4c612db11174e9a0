import { api, session, setUnauthorizedHandler } from "./api.js";
import { h, replace } from "./dom.js";
import { loginScreen } from "./pages/login.js";
import { keysPage } from "./pages/keys.js";
import { overviewPage } from "./pages/overview.js";
import { requestsPage } from "./pages/requests.js";
import { serversPage } from "./pages/servers.js";
import { servicesPage } from "./pages/services.js";
import { currentRoute, type Page, type PageContext } from "./router.js";

const PAGES: Record<string, Page> = {
  overview: overviewPage,
  requests: requestsPage,
  services: servicesPage,
  keys: keysPage,
  servers: serversPage,
};
const NAV: readonly [string, string][] = [
  ["overview", "Overview"],
  ["requests", "Requests"],
  ["services", "Services"],
  ["keys", "API keys"],
  ["servers", "Servers"],
];
const REFRESH_MS = 15_000;

const root = document.getElementById("app") as HTMLElement;
let timer: ReturnType<typeof setInterval> | undefined;
let renderSeq = 0;

/** The spec needs the admin key too, so it is fetched and shown from a blob URL. */
async function openSpec(event: Event): Promise<void> {
  event.preventDefault();
  const spec = await api<unknown>("/api/openapi.json");
  const blob = new Blob([JSON.stringify(spec, null, 2)], { type: "application/json" });
  window.open(URL.createObjectURL(blob), "_blank", "noopener");
}

function showLogin(message?: string): void {
  clearInterval(timer);
  replace(
    root,
    loginScreen(message, () => start()),
  );
}

function start(): void {
  if (!session.get()) return showLogin();
  const nav = h("nav", {});
  const content = h("main", { class: "main" }, h("div", { class: "spinner" }, "Loading…"));
  const auto = h("input", { type: "checkbox", id: "auto-refresh", checked: true });
  const sidebar = h(
    "aside",
    { class: "sidebar" },
    h(
      "div",
      { class: "brand" },
      h("span", { class: "brand-mark" }),
      "grpc-cfg",
      h("small", {}, "monitor"),
    ),
    nav,
    h(
      "div",
      { class: "sidebar-foot" },
      h("label", {}, auto, " auto-refresh"),
      h("a", { href: "#", onclick: openSpec }, "OpenAPI document"),
      h(
        "a",
        { href: "#", onclick: (e: Event) => (e.preventDefault(), session.clear(), showLogin()) },
        "Sign out",
      ),
    ),
  );
  replace(root, h("div", { class: "shell" }, sidebar, content));

  const render = async (quiet: boolean): Promise<void> => {
    const route = currentRoute();
    const name = route.path[0] ?? "overview";
    const page = PAGES[name] ?? overviewPage;
    replace(
      nav,
      ...NAV.map(([id, label]) =>
        h("a", { href: `#/${id}`, class: `nav-link${id === name ? " active" : ""}` }, label),
      ),
    );
    document.title = `${page.title} · grpc-cfg monitor`;
    const seq = ++renderSeq;
    if (!quiet) replace(content, h("div", { class: "spinner" }, "Loading…"));
    const ctx: PageContext = {
      route,
      navigate: (hash) => (location.hash = hash),
      reload: () => void render(true),
    };
    try {
      const el = await page.render(ctx);
      // A later navigation may have finished first; only the newest render may paint.
      if (seq === renderSeq) replace(content, el);
    } catch (error) {
      if (seq === renderSeq && session.get()) {
        replace(
          content,
          h(
            "div",
            { class: "notice error" },
            error instanceof Error ? error.message : String(error),
          ),
        );
      }
    }
  };

  window.onhashchange = () => void render(false);
  clearInterval(timer);
  timer = setInterval(() => {
    const page = PAGES[currentRoute().path[0] ?? "overview"] ?? overviewPage;
    if (auto.checked && page.live && document.visibilityState === "visible") void render(true);
  }, REFRESH_MS);
  void render(false);
}

setUnauthorizedHandler((message) => {
  session.clear();
  showLogin(message);
});
start();
