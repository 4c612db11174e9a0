import { api, ApiFailure, session } from "../api.js";
import type { MonitorHealth } from "../api-types.js";
import { h, replace } from "../dom.js";

/**
 * Asks for an admin API key and checks it against the API before keeping it (in
 * sessionStorage only). `message` explains why the user is here again, e.g. a revoked key.
 */
export function loginScreen(message: string | undefined, onSignedIn: () => void): HTMLElement {
  const input = h("input", {
    type: "password",
    name: "api-key",
    id: "api-key",
    placeholder: "gcfg_…",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    autofocus: true,
  });
  const status = h("div", {});
  if (message) replace(status, h("div", { class: "notice error" }, message));
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        button.setAttribute("disabled", "");
        try {
          await api<MonitorHealth>("/api/monitor/health", { key });
          session.set(key);
          onSignedIn();
        } catch (error) {
          const text =
            error instanceof ApiFailure && error.status === 403
              ? "This key works, but its user is not staff or superuser."
              : error instanceof ApiFailure && error.status === 401
                ? `Key not accepted: ${error.message}`
                : `Could not reach the monitor: ${error instanceof Error ? error.message : String(error)}`;
          replace(status, h("div", { class: "notice error" }, text));
          button.removeAttribute("disabled");
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: "api-key" }, "Admin API key"), input),
    button,
  );
  return h(
    "div",
    { class: "login" },
    h(
      "div",
      { class: "login-box" },
      h("h1", {}, h("span", { class: "brand-mark" }), "grpc-cfg monitor"),
      h(
        "p",
        {},
        "Sign in with the API key of a staff or superuser account. The key stays in this tab only.",
      ),
      status,
      form,
    ),
  );
}
