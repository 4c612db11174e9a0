/**
 * The dashboard in headless Chromium over a real gRPC server, monitor and database: sign in,
 * create a key, call gRPC with it, see the calls and the key's usage, revoke it, see the next
 * call refused. Screenshots of the main pages go to test-artifacts/screenshots/.
 */
import { existsSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { mkdir } from "node:fs/promises";
import { Status } from "nice-grpc";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withKey } from "../packages/runtime/src/testdata/support/harness.js";
import { startMonitorStack, type MonitorStack } from "./monitor-support/monitor-stack.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = new URL("../test-artifacts/screenshots/", import.meta.url).pathname;
const KEY_STORAGE = "grpc-cfg.monitor.apiKey";

const skip = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (skip && process.env.CI) throw new Error(skip);
if (skip) process.stderr.write(`[tests] skipping browser tests: ${skip}\n`);

describe.skipIf(skip !== null)("monitor dashboard in Chromium", () => {
  let stack: MonitorStack;
  let browser: Browser;
  let page: Page;
  /** The key created through the dashboard. */
  let secret = "";

  let loads = 0;
  /** Loads the page afresh (a new URL each time, so it never reuses a stale render). */
  const open = async (hash: string) => {
    await page.goto(`${stack.monitor.url}/?load=${++loads}#/${hash}`);
    await page.locator(".page-head h1").waitFor();
  };
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    stack = await startMonitorStack();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: stack.monitor.url,
    });
    page = await context.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    // Some traffic of every kind so the pages have something to show.
    const { test } = stack.grpc;
    for (let i = 0; i < 6; i++) await test.echo({ message: `hello ${i}` });
    await test.fail({ kind: "notFound", message: "order 42 not found" }).catch(() => undefined);
    for await (const _ of test.repeat({ message: "m", count: 3 })) void _;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("refuses a key that is not an admin's and keeps nothing", async () => {
    await page.goto(stack.monitor.url);
    await shot("login");
    await page.fill("#api-key", "gcfg_not-a-real-key");
    await page.click("button[type=submit]");
    await expect
      .poll(() => page.locator(".notice.error").textContent())
      .toContain("Key not accepted");
    expect(await page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE)).toBeNull();
  });

  it("signs in with an admin key kept in sessionStorage only, and shows the overview", async () => {
    await page.fill("#api-key", stack.adminKey);
    await page.click("button[type=submit]");
    await page.locator(".cards").waitFor();
    expect(await page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE)).toBe(stack.adminKey);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    await expect.poll(() => page.locator(".card .value").first().textContent()).toBe("8");
    await page.locator("svg.chart").waitFor();
    await shot("overview");
  });

  it("creates a key, shows it once with a copy button, and the key works over gRPC", async () => {
    await open("keys");
    await page.fill("#key-name", "grpc-client");
    await page.fill("#key-user", "bob");
    await page.click("form.form-row button[type=submit]");
    const secretEl = page.locator("#issued-secret");
    await secretEl.waitFor();
    secret = (await secretEl.textContent()) ?? "";
    expect(secret).toMatch(/^gcfg_[0-9A-Za-z]{49}$/);
    await page.click("#copy-secret");
    await expect.poll(() => page.locator("#copy-secret").textContent()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shot("api-keys-created");

    // Shown once: a reload lists the key masked and never shows the secret again.
    await page.reload();
    await page.locator("tr", { hasText: "grpc-client" }).waitFor();
    expect(await page.content()).not.toContain(secret);

    for (let i = 0; i < 3; i++) {
      const me = await stack.grpc.test.requiredCall({}, withKey(secret));
      expect(me).toMatchObject({ authenticated: true, username: "bob" });
    }
  });

  it("shows the calls in the request log and the key's usage count", async () => {
    await expect
      .poll(
        async () => {
          await open("requests?api_key=grpc-client");
          return page.locator("#request-log tbody tr[data-request-id]").count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(3);
    const firstRow = page.locator("#request-log tbody tr[data-request-id]").first();
    expect(await firstRow.textContent()).toContain("RequiredCall");
    expect(await firstRow.textContent()).toContain("bob");
    expect(await firstRow.textContent()).toContain("grpc-client");
    await open("requests");
    await shot("requests");

    const usage = () =>
      page
        .locator("tr", { hasText: "grpc-client" })
        .locator('td[data-col="requests"]')
        .textContent();
    await expect
      .poll(
        async () => {
          await open("keys");
          return usage();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe("3");
  });

  it("revokes the key from the dashboard; the next gRPC call is refused and logged", async () => {
    await open("keys");
    const row = page.locator("tr", { hasText: "grpc-client" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.locator(".pill").textContent()).toBe("revoked");
    await shot("api-keys");

    const refused = await stack.grpc.test.requiredCall({}, withKey(secret)).then(
      () => null,
      (error: { code?: number }) => error.code,
    );
    expect(refused).toBe(Status.UNAUTHENTICATED);
    await expect
      .poll(
        async () => {
          await open("requests?status=error&method=RequiredCall");
          return page.locator("#request-log tbody tr[data-request-id]").count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(1);
    expect(
      await page.locator("#request-log tbody tr[data-request-id]").first().textContent(),
    ).toContain("Unauthenticated");
  });

  const health = (key: string) =>
    fetch(`${stack.monitor.url}/api/monitor/health`, { headers: { "x-api-key": key } }).then(
      (r) => r.status,
    );
  /** Creates a key named `name` through the dashboard; returns its secret. */
  const createKey = async (name: string) => {
    await open("keys");
    await page.fill("#key-name", name);
    await page.click("form.form-row button[type=submit]");
    await page.locator("#issued-secret").waitFor();
    return (await page.locator("#issued-secret").textContent()) ?? "";
  };
  /** Opens the rotate dialog of key `name` and picks how long the old key keeps working. */
  const startRotation = async (name: string, grace: string) => {
    await page.locator("tr", { hasText: name }).getByRole("button", { name: "Rotate" }).click();
    await page.locator("#rotate-dialog").waitFor();
    await page.selectOption("#rotate-grace", { label: grace });
    return (await page.locator("#rotate-outcome").textContent()) ?? "";
  };

  it("rotates a key from the dashboard: new secret shown once, old one refused", async () => {
    const first = await createKey("rotating");
    const outcome = await startRotation("rotating", "No: it stops now");
    expect(outcome).toContain("The old key stops working now");
    await shot("api-keys-rotate");
    await page.click("#rotate-confirm");
    await expect.poll(async () => page.locator("#issued-secret").textContent()).not.toBe(first);
    expect(await page.locator(".notice.secret strong").textContent()).toContain(
      "the old key no longer works",
    );
    const second = (await page.locator("#issued-secret").textContent()) ?? "";
    expect(second).toMatch(/^gcfg_/);
    expect(await health(second)).toBe(200);
    expect(await health(first)).toBe(401);
  });

  it("rotates with a grace period: both keys work until it ends; cancel does nothing", async () => {
    const first = await createKey("graceful");
    // Cancelling leaves the key alone.
    await startRotation("graceful", "For 7 days");
    await page.click("#rotate-cancel");
    await page.locator("#rotate-dialog").waitFor({ state: "detached" });
    expect(await page.locator("#issued-secret").textContent()).toBe(first);
    expect(await health(first)).toBe(200);

    const outcome = await startRotation("graceful", "For 1 hour");
    expect(outcome).toContain("The old key keeps working for 1 hour, until about");
    const started = Date.now();
    await page.click("#rotate-confirm");
    await expect.poll(async () => page.locator("#issued-secret").textContent()).not.toBe(first);
    expect(await page.locator(".notice.secret strong").textContent()).toContain(
      "the old key keeps working until",
    );
    const second = (await page.locator("#issued-secret").textContent()) ?? "";
    expect(await health(second)).toBe(200);
    expect(await health(first)).toBe(200);
    // The API agrees: the old key is active and expires an hour from the rotation.
    const { items } = (await (
      await fetch(`${stack.monitor.url}/api/api-keys`, {
        headers: { "x-api-key": stack.adminKey },
      })
    ).json()) as { items: { name: string; status: string; expiresAt: string | null }[] };
    const graceful = items.filter((k) => k.name === "graceful" && k.status === "active");
    expect(graceful).toHaveLength(2);
    const old = graceful.find((k) => k.expiresAt !== null)!;
    expect(Date.parse(old.expiresAt!)).toBeGreaterThanOrEqual(started + 3_600_000 - 5_000);
    expect(Date.parse(old.expiresAt!)).toBeLessThanOrEqual(Date.now() + 3_600_000 + 5_000);
  });

  it("labels a key's all-time count as every use, apart from the window's gRPC calls", async () => {
    await open("keys");
    const header = await page.locator("table th.num").first().textContent();
    expect(header).toBe("Uses");
    await page.getByRole("link", { name: "ops-console" }).click();
    await page.locator("h1", { hasText: "ops-console" }).waitFor();
    const panels = await page.locator(".grid-2").textContent();
    expect(panels).toContain("Uses, all time (gRPC and monitor)");
    expect(panels).toContain("gRPC calls");
  });

  it("offers a staff user only the key actions they may take", async () => {
    const staff = await browser.newPage();
    try {
      await staff.goto(stack.monitor.url);
      await staff.fill("#api-key", stack.staffKey);
      await staff.click("button[type=submit]");
      await staff.locator(".cards").waitFor();
      await staff.goto(`${stack.monitor.url}/#/keys`);
      const buttons = async (name: string) => {
        const row = staff.locator("tr", { hasText: name });
        await row.waitFor();
        const state = (label: string) => row.getByRole("button", { name: label }).isEnabled();
        return { rotate: await state("Rotate"), revoke: await state("Revoke") };
      };
      // The superuser's key: neither (the API would answer 403 to both).
      expect(await buttons("ops-console")).toEqual({ rotate: false, revoke: false });
      // Another user's key: revoking takes rights away; rotating would hand out their secret.
      expect(await buttons("bob-laptop")).toEqual({ rotate: false, revoke: true });
      expect(await buttons("sam-console")).toEqual({ rotate: true, revoke: true });
      expect(
        await staff
          .locator("tr", { hasText: "ops-console" })
          .getByRole("button", { name: "Revoke" })
          .getAttribute("title"),
      ).toBe("Only a superuser may revoke this key");
    } finally {
      await staff.close();
    }
  });

  it("counts the real gRPC calls in /metrics", async () => {
    const response = await fetch(`${stack.monitor.url}/metrics`, {
      headers: { "x-api-key": stack.adminKey },
    });
    const text = await response.text();
    const labels = (method: string) =>
      `grpc_type="unary",grpc_service="testsvc.v1.TestService",grpc_method="${method}"`;
    expect(text).toContain(`grpc_server_handled_total{${labels("Echo")},grpc_code="OK"} 6\n`);
    expect(text).toContain(
      `grpc_server_handled_total{${labels("RequiredCall")},grpc_code="OK"} 3\n`,
    );
    expect(text).toContain(
      `grpc_server_handled_total{${labels("RequiredCall")},grpc_code="Unauthenticated"} 1\n`,
    );
    expect(text).toContain(`grpc_server_handled_total{${labels("Fail")},grpc_code="NotFound"} 1\n`);
    expect(text).toMatch(/grpc_cfg_key_cache_hits_total [1-9]\d*\n/);
    expect(text).toContain("grpc_cfg_key_lookups_shed_total 0\n");
  });

  it("opens the page of a service logged from a malformed path", async () => {
    // Any client can call a path that is not /<service>/<method>; it is logged whole.
    const client = new grpc.Client(
      `127.0.0.1:${stack.grpc.port}`,
      grpc.credentials.createInsecure(),
    );
    try {
      const code = await new Promise<number | undefined>((resolve) =>
        client.makeUnaryRequest(
          "//",
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          (error) => resolve(error?.code),
        ),
      );
      expect(code).toBe(Status.UNIMPLEMENTED);
    } finally {
      client.close();
    }
    await expect
      .poll(
        async () => {
          await open("services");
          // The services table's link (the methods table below links it too).
          return page.locator("section.panel").first().getByRole("link", { name: "//" }).count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(1);
    await page.locator("section.panel").first().getByRole("link", { name: "//" }).click();
    await page.locator("h1", { hasText: "//" }).waitFor();
    expect(await page.locator(".notice.error").count()).toBe(0);
    expect(await page.locator(".card .value").first().textContent()).toBe("1");
    // The request log names it by the path it was sent to, not `${service}/${method}` ("///").
    await open("requests");
    const names = await page.locator("tr[data-request-id] td:nth-child(2)").allTextContents();
    expect(names).toContain("//");
    expect(names).not.toContain("///");
  });

  it("shows services, a service's methods, and server instances", async () => {
    await open("services");
    expect(await page.locator("table").first().textContent()).toContain("testsvc.v1.TestService");
    await shot("services");
    await page.getByRole("link", { name: "testsvc.v1.TestService" }).first().click();
    await page.locator("h1", { hasText: "testsvc.v1.TestService" }).waitFor();
    const methods = await page.locator("section.panel", { hasText: "Methods" }).textContent();
    expect(methods).toContain("Chat");
    expect(methods).toContain("bidi");
    await shot("service-detail");
    await open("servers");
    expect(await page.locator("tbody tr").first().textContent()).toContain("running");
    await shot("servers");
    // The dashboard follows the system's colour scheme.
    await page.emulateMedia({ colorScheme: "dark" });
    await open("overview");
    await page.locator("svg.chart").waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(14, 17, 22)");
    await shot("overview-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("goes back to the sign-in screen and forgets the key on sign out", async () => {
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.locator("#api-key").waitFor();
    expect(await page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE)).toBeNull();
  });
});
