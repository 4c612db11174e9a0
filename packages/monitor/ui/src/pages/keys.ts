import { api, ApiFailure, query } from "../api.js";
import type { ApiKey, ApiKeys, ApiKeyStats, IssuedApiKey, RotatedApiKey } from "../api-types.js";
import { h, panel, pill, replace, table } from "../dom.js";
import { ago, count, dateTime, ms, percent } from "../format.js";
import { href, type Page, type PageContext } from "../router.js";
import { methodsTable } from "../tables.js";
import { confirmRotation } from "./rotate-dialog.js";
import { windowHours, windowSelect } from "./window-select.js";

/**
 * The key's count is of every authenticated use (what `request_count` holds): gRPC calls and
 * requests to this monitor and its /metrics. The request log, and so every windowed figure,
 * has gRPC calls only.
 */
const USES_TITLE = "Authenticated uses, all time: gRPC calls plus monitor and /metrics requests";

/** A secret waiting to be shown once on the next render; cleared as soon as it is shown. */
let issued: { title: string; secret: string } | null = null;

function secretNotice(title: string, secret: string): HTMLElement {
  const copy = h("button", { type: "button", class: "primary", id: "copy-secret" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copy.textContent = "Copied";
    } catch {
      // Clipboard needs a secure context; selecting the text still lets the user copy it.
      const range = document.createRange();
      range.selectNodeContents(value);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      copy.textContent = "Selected: press Ctrl+C";
    }
  });
  const value = h("code", { class: "secret-value", id: "issued-secret" }, secret);
  return h(
    "div",
    { class: "notice secret", role: "status" },
    h("strong", {}, title),
    h("div", {}, "Copy it now: it is shown only once and cannot be recovered."),
    h("div", { class: "secret-row" }, value, copy),
  );
}

function statusPill(key: ApiKey): HTMLElement {
  return pill(
    key.status,
    key.status === "active" ? "ok" : key.status === "expired" ? "warn" : "idle",
  );
}

async function act(ctx: PageContext, errors: HTMLElement, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    ctx.reload();
  } catch (error) {
    replace(
      errors,
      h(
        "div",
        { class: "notice error" },
        error instanceof ApiFailure ? error.message : String(error),
      ),
    );
  }
}

function createForm(ctx: PageContext, errors: HTMLElement): HTMLElement {
  const name = h("input", {
    id: "key-name",
    name: "name",
    placeholder: "ci-deployer",
    required: true,
    maxlength: 200,
  });
  const user = h("input", {
    id: "key-user",
    name: "user",
    placeholder: "me (default) or username / id",
  });
  const days = h("input", {
    id: "key-days",
    name: "days",
    type: "number",
    min: 1,
    max: 3650,
    placeholder: "never",
  });
  const field = (label: string, input: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  const form = h(
    "form",
    {
      class: "form-row",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const who = user.value.trim();
        const body = {
          name: name.value.trim(),
          ...(who ? { user: /^\d+$/.test(who) ? Number(who) : who } : {}),
          ...(days.value ? { expiresInDays: Number(days.value) } : {}),
        };
        void act(ctx, errors, async () => {
          const result = await api<IssuedApiKey>("/api/api-keys", { method: "POST", body });
          issued = {
            title: `Key “${result.key.name}” created for ${result.key.user.username}.`,
            secret: result.secret,
          };
        });
      },
    },
    field("Name", name),
    field("User", user),
    field("Expires in days", days),
    h("button", { type: "submit", class: "primary" }, "Create key"),
  );
  return form;
}

/** A row's action: disabled for a key that is not active or that the caller may not touch. */
function actionButton(
  label: string,
  className: string,
  active: boolean,
  allowed: boolean,
  onclick: () => void,
): HTMLElement {
  const title = allowed ? undefined : `Only a superuser may ${label.toLowerCase()} this key`;
  return h("button", { class: className, disabled: !active || !allowed, onclick, title }, label);
}

function keyRow(ctx: PageContext, errors: HTMLElement, key: ApiKey): HTMLTableRowElement {
  const active = key.status === "active";
  const revoke = () => {
    if (!confirm(`Revoke “${key.name}”? Calls with it will be refused at once.`)) return;
    void act(ctx, errors, () =>
      api(`/api/api-keys/${key.id}/revoke`, { method: "POST" }).then(() => undefined),
    );
  };
  const rotate = async () => {
    const graceSeconds = await confirmRotation(key);
    if (graceSeconds === null) return;
    await act(ctx, errors, async () => {
      const result = await api<RotatedApiKey>(`/api/api-keys/${key.id}/rotate`, {
        method: "POST",
        body: { graceSeconds },
      });
      const until = result.replaced.status === "active" ? result.replaced.expiresAt : null;
      issued = {
        title: until
          ? `Key “${result.key.name}” rotated: the old key keeps working until ${dateTime(until)}.`
          : `Key “${result.key.name}” rotated: the old key no longer works.`,
        secret: result.secret,
      };
    });
  };
  return h(
    "tr",
    { "data-key-id": key.id },
    h("td", {}, h("a", { href: href(["keys", String(key.id)]) }, key.name)),
    h("td", { class: "mono" }, key.masked),
    h("td", {}, key.user.username),
    h("td", {}, statusPill(key)),
    h("td", { class: "num", "data-col": "requests", title: USES_TITLE }, count(key.requestCount)),
    h("td", { class: "muted" }, ago(key.lastUsedAt)),
    h("td", {}, dateTime(key.createdAt)),
    h("td", {}, key.expiresAt ? dateTime(key.expiresAt) : h("span", { class: "muted" }, "never")),
    h(
      "td",
      {},
      h(
        "span",
        { class: "toolbar" },
        actionButton("Rotate", "small", active, key.permissions.rotate, () => void rotate()),
        actionButton("Revoke", "small danger", active, key.permissions.revoke, revoke),
      ),
    ),
  );
}

async function listView(ctx: PageContext): Promise<HTMLElement> {
  const keys = await api<ApiKeys>("/api/api-keys");
  const errors = h("div", {});
  const shown = issued;
  issued = null;
  const active = keys.items.filter((k) => k.status === "active").length;
  return h(
    "div",
    {},
    h(
      "div",
      { class: "page-head" },
      h(
        "div",
        {},
        h("h1", {}, "API keys"),
        h(
          "div",
          { class: "sub" },
          `${active} active of ${keys.items.length}. Only a hash of each key is stored.`,
        ),
      ),
    ),
    shown ? secretNotice(shown.title, shown.secret) : null,
    errors,
    panel("New key", h("div", { class: "panel-body" }, createForm(ctx, errors))),
    panel(
      "Keys",
      table(
        [
          "Name",
          "Key",
          "User",
          "Status",
          { label: "Uses", num: true },
          "Last used",
          "Created",
          "Expires",
          "",
        ],
        keys.items.map((k) => keyRow(ctx, errors, k)),
        "No keys yet.",
      ),
    ),
  );
}

async function statsView(ctx: PageContext, id: string): Promise<HTMLElement> {
  const hours = windowHours(ctx);
  const stats = await api<ApiKeyStats>(
    `/api/api-keys/${encodeURIComponent(id)}/stats${query({ hours })}`,
  );
  const { key, statistics: s } = stats;
  const item = (label: string, value: Node | string) => [h("dt", {}, label), h("dd", {}, value)];
  return h(
    "div",
    {},
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", {}, key.name), h("div", { class: "sub mono" }, key.masked)),
      h(
        "div",
        { class: "toolbar" },
        h("a", { class: "btn", href: "#/keys" }, "← All keys"),
        windowSelect(ctx),
      ),
    ),
    h(
      "div",
      { class: "grid-2" },
      panel(
        "Key",
        h(
          "dl",
          { class: "kv panel-body" },
          ...item("User", key.user.username),
          ...item("Status", statusPill(key)),
          ...item("Uses, all time (gRPC and monitor)", count(key.requestCount)),
          ...item("Last used", ago(key.lastUsedAt)),
          ...item("Created", dateTime(key.createdAt)),
          ...item("Expires", key.expiresAt ? dateTime(key.expiresAt) : "never"),
          ...item("Revoked", key.revokedAt ? dateTime(key.revokedAt) : "—"),
        ),
      ),
      panel(
        "In this window",
        h(
          "dl",
          { class: "kv panel-body" },
          ...item("gRPC calls", count(s.total)),
          ...item("Success rate", percent(s.successRate, s.total)),
          ...item("Errors", count(s.errors)),
          ...item("Avg latency", ms(s.avgDurationMs)),
          ...item("p95", ms(s.p95Ms)),
          ...item(
            "Calls",
            h("a", { href: href(["requests"], { api_key: String(key.id) }) }, "see request log →"),
          ),
        ),
      ),
    ),
    panel("Methods called", methodsTable(stats.methods)),
  );
}

/** API keys: list, create (secret shown once), rotate, revoke; `#/keys/<id>` shows usage. */
export const keysPage: Page = {
  title: "API keys",
  live: false,
  render(ctx) {
    const id = ctx.route.path[1];
    return id ? statsView(ctx, id) : listView(ctx);
  },
};
