import { MAX_GRACE_SECONDS } from "../../../src/schemas/limits.js";
import type { ApiKey } from "../api-types.js";
import { h, replace } from "../dom.js";
import { dateTime } from "../format.js";

/** How long the old key may keep working: the API's `graceSeconds`, up to its maximum. */
const GRACE_CHOICES: readonly { seconds: number; label: string; span: string }[] = [
  { seconds: 0, label: "No: it stops now", span: "" },
  { seconds: 3_600, label: "For 1 hour", span: "1 hour" },
  { seconds: 86_400, label: "For 1 day", span: "1 day" },
  { seconds: MAX_GRACE_SECONDS, label: "For 7 days", span: "7 days" },
];

/** What rotating `key` with `graceSeconds` does to the old key, in words. */
export function rotationOutcome(key: ApiKey, graceSeconds: number, now = Date.now()): string {
  if (graceSeconds === 0) {
    return "The old key stops working now: calls with it are refused from the moment you rotate.";
  }
  const span = GRACE_CHOICES.find((c) => c.seconds === graceSeconds)?.span ?? `${graceSeconds} s`;
  const end = now + graceSeconds * 1000;
  const expires = key.expiresAt === null ? null : Date.parse(key.expiresAt);
  // A key never outlives its own expiry: the grace period cannot extend it.
  if (expires !== null && expires < end) {
    return (
      `The old key keeps working until its expiry, ${dateTime(key.expiresAt)}, which is ` +
      `sooner than ${span}; then it stops. Move clients to the new key before then.`
    );
  }
  return (
    `The old key keeps working for ${span}, until about ${dateTime(new Date(end).toISOString())}; ` +
    "then it stops. Move clients to the new key before then."
  );
}

/**
 * Asks whether to rotate `key` and for how long the old key should keep working. Resolves
 * with the grace period in seconds, or null when cancelled.
 */
export function confirmRotation(key: ApiKey): Promise<number | null> {
  const select = h(
    "select",
    { id: "rotate-grace", name: "grace" },
    ...GRACE_CHOICES.map((c) => h("option", { value: c.seconds }, c.label)),
  );
  const outcome = h("p", { id: "rotate-outcome" });
  const describe = () => replace(outcome, rotationOutcome(key, Number(select.value)));
  select.addEventListener("change", describe);
  describe();
  const dialog = h(
    "dialog",
    { id: "rotate-dialog", class: "dialog", "aria-labelledby": "rotate-title" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "rotate-title" }, `Rotate “${key.name}”?`),
      h("p", {}, `A new key for ${key.user.username} replaces it; its secret is shown once.`),
      h(
        "div",
        { class: "field" },
        h("label", { for: "rotate-grace" }, "Keep the old key working?"),
        select,
      ),
      outcome,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "submit", value: "cancel", id: "rotate-cancel" }, "Cancel"),
        h(
          "button",
          { type: "submit", value: "rotate", class: "primary", id: "rotate-confirm" },
          "Rotate",
        ),
      ),
    ),
  );
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "rotate" ? Number(select.value) : null);
    });
    dialog.showModal();
  });
}
