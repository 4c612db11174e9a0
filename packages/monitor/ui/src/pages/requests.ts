import { api, query } from "../api.js";
import type { RequestsPage, Services } from "../api-types.js";
import { h, panel } from "../dom.js";
import { count } from "../format.js";
import { href, type Page, type PageContext } from "../router.js";
import { requestsTable } from "../tables.js";

const FILTERS = ["service", "method", "status", "user", "api_key", "from", "to"] as const;
const PAGE_SIZE = 50;

/** `datetime-local` value (local time, no zone) ↔ the API's ISO timestamps. */
function toLocalInput(isoTime: string | null): string {
  if (!isoTime) return "";
  const d = new Date(isoTime);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

function filterForm(ctx: PageContext, services: readonly string[]): HTMLElement {
  const p = ctx.route.params;
  const text = (name: string, placeholder: string) =>
    h("input", { name, id: `f-${name}`, value: p.get(name) ?? "", placeholder });
  const service = h(
    "select",
    { name: "service", id: "f-service" },
    h("option", { value: "" }, "All services"),
    ...services.map((s) => h("option", { value: s, selected: s === p.get("service") }, s)),
  );
  const status = h(
    "select",
    { name: "status", id: "f-status" },
    ...["", "success", "error", "cancelled", "timeout"].map((s) =>
      h("option", { value: s, selected: s === (p.get("status") ?? "") }, s || "Any status"),
    ),
  );
  const from = h("input", {
    type: "datetime-local",
    name: "from",
    id: "f-from",
    value: toLocalInput(p.get("from")),
  });
  const to = h("input", {
    type: "datetime-local",
    name: "to",
    id: "f-to",
    value: toLocalInput(p.get("to")),
  });
  const field = (label: string, input: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(form);
        const params: Record<string, string | undefined> = {};
        for (const name of FILTERS) {
          const value = String(data.get(name) ?? "").trim();
          params[name] =
            name === "from" || name === "to" ? fromLocalInput(value) : value || undefined;
        }
        ctx.navigate(href(["requests"], params));
      },
    },
    field("Service", service),
    field("Method", text("method", "GetUser")),
    field("Status", status),
    field("User", text("user", "id or username")),
    field("API key", text("api_key", "id or name")),
    field("From", from),
    field("To", to),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "submit", class: "primary" }, "Apply"),
      h("a", { class: "btn", href: "#/requests" }, "Clear"),
    ),
  );
  return form;
}

/** The request log with filters and pages; filters live in the URL so refresh keeps them. */
export const requestsPage: Page = {
  title: "Requests",
  live: true,
  async render(ctx) {
    const p = ctx.route.params;
    const page = Math.max(1, Number(p.get("page") ?? "1") || 1);
    const filters = Object.fromEntries(FILTERS.map((name) => [name, p.get(name) ?? undefined]));
    const [result, services] = await Promise.all([
      api<RequestsPage>(
        `/api/monitor/requests${query({ ...filters, page, page_size: PAGE_SIZE })}`,
      ),
      // Only the names are wanted (registered services are listed whatever the window): the
      // shortest window keeps this refresh cheap on a request log of millions of rows.
      api<Services>("/api/services?hours=1"),
    ]);
    const total = result.total ?? 0;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const go = (n: number) =>
      href(["requests"], { ...filters, page: String(n) } as Record<string, string | undefined>);
    const pager = h(
      "div",
      { class: "pager" },
      h("span", {}, `${count(total)} matching · page ${page} of ${pages}`),
      h(
        "span",
        { class: "toolbar" },
        h(
          "button",
          { class: "small", disabled: page <= 1, onclick: () => ctx.navigate(go(page - 1)) },
          "← Newer",
        ),
        h(
          "button",
          { class: "small", disabled: page >= pages, onclick: () => ctx.navigate(go(page + 1)) },
          "Older →",
        ),
      ),
    );
    return h(
      "div",
      {},
      h(
        "div",
        { class: "page-head" },
        h(
          "div",
          {},
          h("h1", {}, "Requests"),
          h(
            "div",
            { class: "sub" },
            "Every call, including refused and failed ones. Click a failed row for its message.",
          ),
        ),
      ),
      panel(
        "Filters",
        h(
          "div",
          { class: "panel-body" },
          filterForm(
            ctx,
            services.items.map((s) => s.name),
          ),
        ),
      ),
      h("section", { class: "panel", id: "request-log" }, requestsTable(result.items), pager),
    );
  },
};
