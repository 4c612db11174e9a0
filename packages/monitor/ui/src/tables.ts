import { MAX_CALL_NAME } from "../../src/schemas/limits.js";
import type { MethodFigures, RequestLog, Server, ServiceFigures } from "./api-types.js";
import { h, pill, table } from "./dom.js";
import { ago, count, dateTime, ms, percent, uptime } from "./format.js";
import { href } from "./router.js";

/** Pill tone for a request outcome. */
export function statusPill(status: RequestLog["status"]): HTMLElement {
  const tone = status === "success" ? "ok" : status === "error" ? "err" : "warn";
  return pill(status, tone);
}

/** Pill tone for a server instance state. */
export function serverPill(status: Server["status"]): HTMLElement {
  const tone =
    status === "running"
      ? "ok"
      : status === "stale"
        ? "err"
        : status === "stopping"
          ? "warn"
          : "idle";
  return pill(status, tone);
}

function errorRateCell(rate: number, requests: number): HTMLElement {
  const cell = h("td", { class: "num" }, percent(rate, requests));
  if (requests > 0 && rate >= 5) cell.style.color = "var(--err)";
  return cell;
}

/** Services with their figures; names link to the service page. */
export function servicesTable(items: readonly ServiceFigures[]): HTMLElement {
  return table(
    [
      "Service",
      { label: "Methods", num: true },
      { label: "Requests", num: true },
      { label: "Errors", num: true },
      { label: "Error rate", num: true },
      { label: "Avg", num: true },
      { label: "p95", num: true },
      "Last call",
    ],
    items.map((s) =>
      h(
        "tr",
        {},
        h(
          "td",
          {},
          h("a", { href: href(["services", s.name]) }, s.name),
          s.registered ? null : h("span", { class: "muted" }, " (not registered here)"),
        ),
        h("td", { class: "num" }, count(s.methodCount)),
        h("td", { class: "num" }, count(s.requests)),
        h("td", { class: "num" }, count(s.errors)),
        errorRateCell(s.errorRate, s.requests),
        h("td", { class: "num" }, ms(s.avgDurationMs)),
        h("td", { class: "num" }, ms(s.p95Ms)),
        h("td", { class: "muted" }, ago(s.lastRequestAt)),
      ),
    ),
    "No services registered and no calls logged.",
  );
}

/**
 * A service name linking to its page. The API takes names up to {@link MAX_CALL_NAME}
 * characters; a longer one (a malformed call path, logged whole) is shown cut short, unlinked.
 */
function serviceLink(name: string): HTMLElement {
  if (name.length <= MAX_CALL_NAME) return h("a", { href: href(["services", name]) }, name);
  return h("span", { title: name }, `${name.slice(0, 60)}…`);
}

/** Methods with percentiles. */
export function methodsTable(items: readonly MethodFigures[], withService = true): HTMLElement {
  return table(
    [
      ...(withService ? ["Service"] : []),
      "Method",
      { label: "Requests", num: true },
      { label: "Errors", num: true },
      { label: "Error rate", num: true },
      { label: "Avg", num: true },
      { label: "p50", num: true },
      { label: "p95", num: true },
      { label: "p99", num: true },
    ],
    items.map((m) =>
      h(
        "tr",
        {},
        withService ? h("td", {}, serviceLink(m.service)) : null,
        h(
          "td",
          {},
          // A call to a path that is not /<service>/<method> is logged without a method.
          h(
            "a",
            { href: href(["requests"], { service: m.service, method: m.method }) },
            m.method || h("span", { class: "muted" }, "(none)"),
          ),
        ),
        h("td", { class: "num" }, count(m.requests)),
        h("td", { class: "num" }, count(m.errors)),
        errorRateCell(m.errorRate, m.requests),
        h("td", { class: "num" }, ms(m.avgDurationMs)),
        h("td", { class: "num" }, ms(m.p50Ms)),
        h("td", { class: "num" }, ms(m.p95Ms)),
        h("td", { class: "num" }, ms(m.p99Ms)),
      ),
    ),
    "No calls in this window.",
  );
}

/** Server instances. */
export function serversTable(items: readonly Server[]): HTMLElement {
  return table(
    [
      "Instance",
      "Status",
      "Host",
      { label: "PID", num: true },
      "Address",
      "Started",
      { label: "Uptime", num: true },
      "Heartbeat",
      { label: "Services", num: true },
    ],
    items.map((s) =>
      h(
        "tr",
        {},
        h(
          "td",
          {},
          h("span", { class: "mono", title: s.id }, s.id.slice(0, 8)),
          s.current ? h("span", {}, " ", pill("this", "info")) : null,
        ),
        h("td", {}, serverPill(s.status)),
        h("td", {}, s.host),
        h("td", { class: "num mono" }, String(s.pid)),
        h("td", { class: "mono" }, s.address ?? "—"),
        h("td", {}, dateTime(s.startedAt)),
        h("td", { class: "num" }, uptime(s.uptimeSeconds)),
        h("td", { class: "muted" }, ago(s.lastHeartbeatAt)),
        h("td", { class: "num", title: s.services.join("\n") }, String(s.services.length)),
      ),
    ),
    "No server instance has registered yet.",
  );
}

/** Request-log rows; clicking a row with an error shows the message under it. */
export function requestsTable(items: readonly RequestLog[]): HTMLElement {
  const rows: HTMLTableRowElement[] = [];
  for (const r of items) {
    const row = h(
      "tr",
      { class: r.errorMessage ? "clickable" : "", "data-request-id": r.requestId },
      h("td", { class: "mono" }, dateTime(r.startedAt)),
      // A path that is not /<service>/<method> is logged whole as the service: shown as sent.
      r.method === ""
        ? h("td", {}, r.service)
        : h("td", {}, h("span", { class: "muted" }, `${r.service}/`), r.method),
      h("td", {}, statusPill(r.status)),
      h("td", { class: "mono" }, r.grpcCodeName),
      h("td", { class: "num" }, ms(r.durationMs)),
      h("td", {}, r.user ? r.user.username : h("span", { class: "muted" }, "anonymous")),
      h(
        "td",
        {},
        r.apiKey
          ? h("span", { title: r.apiKey.displayPrefix }, r.apiKey.name)
          : h("span", { class: "muted" }, "—"),
      ),
      h("td", { class: "mono muted" }, r.clientAddress ?? "—"),
    );
    rows.push(row);
    if (r.errorMessage) {
      const detail = h(
        "tr",
        { class: "detail", hidden: true },
        h("td", { colspan: 8 }, h("code", {}, r.errorMessage)),
      );
      row.addEventListener("click", () => (detail.hidden = !detail.hidden));
      rows.push(detail);
    }
  }
  return table(
    [
      "Time",
      "Call",
      "Status",
      "Code",
      { label: "Duration", num: true },
      "User",
      "API key",
      "Client",
    ],
    rows,
    "No requests match.",
  );
}
