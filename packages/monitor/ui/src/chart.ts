import type { Timeline } from "./api-types.js";
import { h, svg } from "./dom.js";
import { bucketLabel, count, ms } from "./format.js";

const HEIGHT = 220;
const PAD = { top: 12, right: 56, bottom: 26, left: 48 };

/**
 * Requests per bucket as stacked bars (successes, errors on top) with the p95 latency as a
 * line on the right axis. Hand-drawn SVG: a few dozen bars do not justify a chart library.
 */
export function timelineChart(timeline: Timeline, width: number): HTMLElement {
  const buckets = timeline.buckets;
  const w = Math.max(360, Math.round(width));
  const plotW = w - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const maxReq = niceMax(Math.max(1, ...buckets.map((b) => b.requests)));
  const maxLat = niceMax(Math.max(1, ...buckets.map((b) => b.p95Ms ?? 0)));
  const step = plotW / Math.max(1, buckets.length);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / maxReq) * plotH;
  const yLat = (v: number) => PAD.top + plotH - (v / maxLat) * plotH;

  const root = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${w} ${HEIGHT}`,
    role: "img",
    "aria-label": "Requests, errors and p95 latency over time",
  });
  const grid = svg("g", { class: "grid" });
  const axis = svg("g", { class: "axis" });
  for (let i = 0; i <= 4; i++) {
    const v = (maxReq / 4) * i;
    const yy = y(v);
    grid.appendChild(svg("line", { x1: PAD.left, x2: w - PAD.right, y1: yy, y2: yy }));
    axis.appendChild(svg("text", { x: PAD.left - 6, y: yy + 4, "text-anchor": "end" }, compact(v)));
    axis.appendChild(
      svg("text", { x: w - PAD.right + 6, y: yy + 4 }, i === 0 ? "0" : ms((maxLat / 4) * i)),
    );
  }
  root.append(grid, axis);

  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotW / 56))));
  const points: string[] = [];
  const dots: SVGElement[] = [];
  buckets.forEach((b, i) => {
    const cx = PAD.left + step * i + step / 2;
    const errors = Math.min(b.errors, b.requests);
    const okTop = y(b.requests - errors);
    const column = svg("rect", {
      class: "hover-col",
      x: cx - step / 2,
      y: PAD.top,
      width: step,
      height: plotH,
    });
    column.appendChild(
      svg(
        "title",
        {},
        `${bucketLabel(b.start, timeline.interval)} · ${count(b.requests)} requests · ${count(b.errors)} errors · p95 ${ms(b.p95Ms)}`,
      ),
    );
    root.appendChild(column);
    if (b.requests > 0) {
      root.appendChild(
        svg("rect", {
          class: "bar-ok",
          x: cx - barW / 2,
          y: okTop,
          width: barW,
          height: y(0) - okTop,
          rx: 1.5,
        }),
      );
      if (errors > 0) {
        const errTop = y(b.requests);
        root.appendChild(
          svg("rect", {
            class: "bar-err",
            x: cx - barW / 2,
            y: errTop,
            width: barW,
            height: okTop - errTop,
            rx: 1.5,
          }),
        );
      }
    }
    if (b.p95Ms !== null) {
      points.push(`${cx.toFixed(1)},${yLat(b.p95Ms).toFixed(1)}`);
      dots.push(
        svg("circle", { class: "dot", cx: cx.toFixed(1), cy: yLat(b.p95Ms).toFixed(1), r: 2.5 }),
      );
    }
    if (i % labelEvery === 0) {
      axis.appendChild(
        svg(
          "text",
          { x: cx, y: HEIGHT - 8, "text-anchor": "middle" },
          bucketLabel(b.start, timeline.interval),
        ),
      );
    }
  });
  if (points.length > 1)
    root.appendChild(svg("polyline", { class: "line", points: points.join(" ") }));
  root.append(...dots);
  // Titles are on the hover columns; keep them above the bars so hovering anywhere works.
  for (const col of Array.from(root.querySelectorAll(".hover-col"))) root.appendChild(col);

  const legend = h(
    "div",
    { class: "legend" },
    h("span", {}, h("i", { style: "background: var(--chart-ok)" }), "requests"),
    h("span", {}, h("i", { style: "background: var(--chart-err)" }), "errors"),
    h(
      "span",
      {},
      h("i", { style: "background: var(--chart-line); height: 3px; vertical-align: 3px" }),
      "p95 latency",
    ),
  );
  return h("div", {}, root, legend);
}

/** Rounds an axis maximum up to 1, 2 or 5 × 10^n. */
function niceMax(value: number): number {
  const exp = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) if (value <= m * exp) return m * exp;
  return 10 * exp;
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n % 1e6 === 0 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n % 1e3 === 0 ? 0 : 1)}k`;
  return String(Math.round(n * 10) / 10);
}
