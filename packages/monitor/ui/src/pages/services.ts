import { api, query } from "../api.js";
import type { Methods, ServiceDetail, Services } from "../api-types.js";
import { h, panel, pill, table } from "../dom.js";
import { count, ms, percent } from "../format.js";
import type { Page, PageContext } from "../router.js";
import { methodsTable, requestsTable, servicesTable } from "../tables.js";
import { windowHours, windowSelect } from "./window-select.js";

async function listView(ctx: PageContext): Promise<HTMLElement> {
  const hours = windowHours(ctx);
  const [services, methods] = await Promise.all([
    api<Services>(`/api/services${query({ hours })}`),
    api<Methods>(`/api/monitor/methods${query({ hours })}`),
  ]);
  return h(
    "div",
    {},
    h(
      "div",
      { class: "page-head" },
      h(
        "div",
        {},
        h("h1", {}, "Services"),
        h(
          "div",
          { class: "sub" },
          `${services.items.length} services · ${methods.items.length} methods called`,
        ),
      ),
      h("div", { class: "toolbar" }, windowSelect(ctx)),
    ),
    unlistedNotice(services.unlisted),
    panel("Services", servicesTable(services.items)),
    panel("Methods", methodsTable(methods.items), "latency percentiles over the window"),
  );
}

/** Says how many logged services are too long to list (their calls are in the request log). */
function unlistedNotice(unlisted: Services["unlisted"]): HTMLElement | null {
  if (unlisted.services === 0) return null;
  return h(
    "div",
    { class: "notice", id: "unlisted-services" },
    `${count(unlisted.services)} more service name(s), with ${count(unlisted.requests)} call(s), ` +
      "are too long to list: calls to malformed paths, logged whole. The request log has them.",
  );
}

function policy(m: ServiceDetail["methods"][number]): HTMLElement {
  const tags: HTMLElement[] = [];
  if (m.auth) tags.push(pill(m.auth, m.auth === "public" ? "idle" : "info"));
  if (m.staffOnly) tags.push(pill("staff", "warn"));
  if (m.superuserOnly) tags.push(pill("superuser", "warn"));
  if (m.readOnly) tags.push(pill("read-only", "idle"));
  if (m.permission) tags.push(pill(m.permission, "info"));
  return h("td", {}, ...tags.flatMap((t) => [t, " "]));
}

async function detailView(ctx: PageContext, name: string): Promise<HTMLElement> {
  const hours = windowHours(ctx);
  const d = await api<ServiceDetail>(
    `/api/services/${encodeURIComponent(name)}${query({ hours })}`,
  );
  const methods = table(
    [
      "Method",
      "Kind",
      "Policy",
      { label: "Requests", num: true },
      { label: "Error rate", num: true },
      { label: "p50", num: true },
      { label: "p95", num: true },
      { label: "p99", num: true },
    ],
    d.methods.map((m) =>
      h(
        "tr",
        {},
        h("td", {}, h("span", { title: m.path }, m.name)),
        h("td", {}, m.callKind ?? "—"),
        policy(m),
        h("td", { class: "num" }, count(m.figures?.requests ?? 0)),
        h("td", { class: "num" }, percent(m.figures?.errorRate ?? 0, m.figures?.requests ?? 0)),
        h("td", { class: "num" }, ms(m.figures?.p50Ms)),
        h("td", { class: "num" }, ms(m.figures?.p95Ms)),
        h("td", { class: "num" }, ms(m.figures?.p99Ms)),
      ),
    ),
  );
  const f = d.figures;
  return h(
    "div",
    {},
    h(
      "div",
      { class: "page-head" },
      h(
        "div",
        {},
        h("h1", {}, d.name),
        h(
          "div",
          { class: "sub" },
          [
            d.protoFile ?? "not registered by this server",
            d.baseKind ? `${d.baseKind} service` : null,
          ]
            .filter(Boolean)
            .join(" · "),
        ),
      ),
      h(
        "div",
        { class: "toolbar" },
        h("a", { class: "btn", href: "#/services" }, "← All services"),
        windowSelect(ctx),
      ),
    ),
    h(
      "div",
      { class: "cards" },
      ...[
        ["Requests", count(f.requests)],
        ["Errors", count(f.errors)],
        ["Error rate", percent(f.errorRate, f.requests)],
        ["Avg latency", ms(f.avgDurationMs)],
        ["p95", ms(f.p95Ms)],
      ].map(([label, value]) =>
        h(
          "div",
          { class: "card" },
          h("div", { class: "label" }, label),
          h("div", { class: "value" }, value),
        ),
      ),
    ),
    panel("Methods", methods),
    panel(
      "Recent errors",
      requestsTable(d.recentErrors),
      h(
        "a",
        { href: `#/requests?service=${encodeURIComponent(d.name)}&status=error` },
        "all errors →",
      ),
    ),
  );
}

/** Services and methods with figures; `#/services/<name>` shows one service. */
export const servicesPage: Page = {
  title: "Services",
  live: false,
  render(ctx) {
    const name = ctx.route.path[1];
    return name ? detailView(ctx, name) : listView(ctx);
  },
};
