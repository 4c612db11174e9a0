import { api, query } from "../api.js";
import type { Overview, Timeline } from "../api-types.js";
import { timelineChart } from "../chart.js";
import { h, panel } from "../dom.js";
import { count, ms, percent } from "../format.js";
import type { Page } from "../router.js";
import { servicesTable, serversTable } from "../tables.js";
import { windowHours, windowSelect } from "./window-select.js";

function card(label: string, value: string, foot: string, tone = ""): HTMLElement {
  return h(
    "div",
    { class: `card ${tone}` },
    h("div", { class: "label" }, label),
    h("div", { class: "value" }, value),
    h("div", { class: "foot" }, foot),
  );
}

/** Figures, the timeline chart, services and servers at a glance. */
export const overviewPage: Page = {
  title: "Overview",
  live: true,
  async render(ctx) {
    const hours = windowHours(ctx);
    const interval = hours > 72 ? "day" : "hour";
    const [overview, timeline] = await Promise.all([
      api<Overview>(`/api/monitor/overview${query({ hours })}`),
      api<Timeline>(`/api/monitor/timeline${query({ hours, interval })}`),
    ]);
    const s = overview.statistics;
    const running = overview.servers.filter((x) => x.status === "running").length;
    const stale = overview.servers.filter((x) => x.status === "stale").length;
    const cards = h(
      "div",
      { class: "cards" },
      card("Requests", count(s.total), `${count(s.successful)} succeeded`),
      card(
        "Success rate",
        percent(s.successRate, s.total),
        `${count(s.errors)} failed`,
        s.total === 0 ? "" : s.successRate >= 99 ? "good" : s.successRate < 95 ? "bad" : "",
      ),
      card("Errors", count(s.errors), "non-OK calls", s.errors > 0 ? "bad" : ""),
      card("Avg latency", ms(s.avgDurationMs), `p50 ${ms(s.p50Ms)}`),
      card("p95 / p99", ms(s.p95Ms), `p99 ${ms(s.p99Ms)}`),
      card(
        "Servers",
        `${running} running`,
        stale > 0 ? `${stale} stale` : `${overview.servers.length} known`,
        stale > 0 ? "warn-foot" : "",
      ),
    );
    const chartHolder = h("div", { class: "panel-body" });
    const page = h(
      "div",
      {},
      h(
        "div",
        { class: "page-head" },
        h(
          "div",
          {},
          h("h1", {}, "Overview"),
          h(
            "div",
            { class: "sub" },
            `Instance ${overview.instance?.id.slice(0, 8) ?? "—"} · ${overview.services.length} services`,
          ),
        ),
        h("div", { class: "toolbar" }, windowSelect(ctx)),
      ),
      cards,
      panel("Traffic", chartHolder, `${timeline.buckets.length} × ${timeline.interval}`),
      panel("Services", servicesTable(overview.services)),
      panel("Servers", serversTable(overview.servers)),
    );
    // The chart is sized to its container, which only has a width once it is in the page.
    requestAnimationFrame(() =>
      chartHolder.appendChild(timelineChart(timeline, chartHolder.clientWidth - 28)),
    );
    return page;
  },
};
