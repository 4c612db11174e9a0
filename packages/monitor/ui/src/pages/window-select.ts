import { h } from "../dom.js";
import { href, type PageContext } from "../router.js";

const WINDOWS: readonly [string, string][] = [
  ["1", "Last hour"],
  ["6", "Last 6 hours"],
  ["24", "Last 24 hours"],
  ["168", "Last 7 days"],
  ["720", "Last 30 days"],
];

/** The page's look-back window in hours, from `?hours=` (default 24). */
export function windowHours(ctx: PageContext): number {
  const hours = Number(ctx.route.params.get("hours") ?? "24");
  return Number.isFinite(hours) && hours > 0 ? hours : 24;
}

/** A select that changes `?hours=` of the current route. */
export function windowSelect(ctx: PageContext): HTMLElement {
  const current = String(windowHours(ctx));
  const select = h(
    "select",
    {
      "aria-label": "Time window",
      onchange: () => {
        const params = Object.fromEntries(ctx.route.params);
        ctx.navigate(href(ctx.route.path, { ...params, hours: select.value }));
      },
    },
    ...WINDOWS.map(([value, label]) => h("option", { value, selected: value === current }, label)),
  );
  return select;
}
