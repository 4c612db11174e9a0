/**
 * A tiny DOM builder. Every piece of data goes in as text (never as HTML): service names,
 * error messages and key names are chosen by clients, so nothing here parses markup.
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element: `h("td", { class: "num" }, "42")`. `on*` attributes add listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children, skipping empty ones; strings become text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes. */
export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children)
    el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  return el;
}

/** A table with a header row and body rows; shows `empty` when there are no rows. */
export function table(
  headers: readonly (string | { label: string; num?: boolean })[],
  rows: readonly HTMLTableRowElement[],
  empty = "Nothing here yet.",
): HTMLElement {
  const head = h(
    "tr",
    {},
    ...headers.map((col) =>
      typeof col === "string"
        ? h("th", {}, col)
        : h("th", { class: col.num ? "num" : "" }, col.label),
    ),
  );
  const body = h("tbody", {}, ...rows);
  if (rows.length === 0)
    body.appendChild(h("tr", {}, h("td", { class: "empty", colspan: headers.length }, empty)));
  return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), body));
}

/** A panel with a title, optional right-hand hint/actions and a body. */
export function panel(title: string, body: Node, right?: Node | string): HTMLElement {
  return h(
    "section",
    { class: "panel" },
    h(
      "div",
      { class: "panel-head" },
      h("span", {}, title),
      right ? h("span", { class: "hint" }, right) : null,
    ),
    body,
  );
}

/** A status pill: tone picks the colour. */
export function pill(text: string, tone: "ok" | "err" | "warn" | "idle" | "info"): HTMLElement {
  return h("span", { class: `pill ${tone}` }, text);
}
