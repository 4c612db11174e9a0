// `grpc-cfg call` and the dynamic client against the shop example, over all four call kinds:
// the real binary, a real server started the way `grpc-cfg serve` starts it, reflection only.
import { spawn } from "node:child_process";
import path from "node:path";
import { createDynamicClient } from "@grpc-cfg/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, startShopStack } from "./support/shop-stack.js";
import type { ShopStack } from "./support/shop-stack.js";

const CLI = path.join(REPO_ROOT, "packages/cli/bin/grpc-cfg.js");

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], stdin = ""): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const ndjson = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let shop: ShopStack;
beforeAll(async () => {
  shop = await startShopStack({ kind: "pglite" });
});
afterAll(async () => {
  await shop?.stop();
});

describe("grpc-cfg call against the shop", () => {
  it("unary: GetUser returns the seeded user as JSON", async () => {
    const run = await cli([
      "call",
      shop.address,
      "shop.v1.UserService/GetUser",
      "-d",
      `{"userId":"${shop.bob.id}"}`,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).user).toMatchObject({ username: "bob" });
  });

  it("server stream: SearchProducts prints one NDJSON line per product", async () => {
    const run = await cli([
      "call",
      shop.address,
      "shop.v1.ProductCatalogService/SearchProducts",
      "-d",
      '{"query":"keyboard"}',
      "-H",
      `x-api-key: ${shop.alice.key}`,
    ]);
    expect(run.code).toBe(0);
    const lines = ndjson(run.stdout);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(JSON.stringify(line).toLowerCase()).toContain("keyboard");
    }
  });

  it("client stream: BatchCreateUsers reads NDJSON from stdin and returns the count", async () => {
    const suffix = Date.now().toString(36);
    const input = [1, 2, 3]
      .map((n) =>
        JSON.stringify({ username: `batch_${suffix}_${n}`, email: `b${n}_${suffix}@example.com` }),
      )
      .join("\n");
    const run = await cli(
      [
        "call",
        shop.address,
        "shop.v1.UserService/BatchCreateUsers",
        "-d",
        "@-",
        "-H",
        `x-api-key: ${shop.alice.key}`,
      ],
      `${input}\n`,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ createdCount: 3 });
  });

  it("bidi: Chat answers every stdin line, stamped with the caller", async () => {
    const run = await cli(
      [
        "call",
        shop.address,
        "shop.v1.ChatService/Chat",
        "-d",
        "@-",
        "-H",
        `x-api-key: ${shop.bob.key}`,
      ],
      '{"text":"hello"}\n{"text":"again"}\n',
    );
    expect(run.code).toBe(0);
    const lines = ndjson(run.stdout);
    expect(lines.map((l) => l["userName"])).toEqual(["bob", "bob"]);
    expect(lines.map((l) => String(l["text"]))).toEqual([
      expect.stringContaining("hello"),
      expect.stringContaining("again"),
    ]);
  });

  it("an error prints the code and message and exits 1", async () => {
    const run = await cli([
      "call",
      shop.address,
      "shop.v1.OrderService/GetOrder",
      "-d",
      '{"orderId":"1"}',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERROR: UNAUTHENTICATED \(16\): /m);
  });
});

describe("the dynamic client against the shop", () => {
  it("lists the shop's services through reflection and calls a method by name", async () => {
    const client = createDynamicClient(shop.address, { metadata: { "x-api-key": shop.alice.key } });
    try {
      const services = await client.listServices();
      expect(services.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          "shop.v1.UserService",
          "shop.v1.OrderService",
          "shop.v1.ChatService",
        ]),
      );
      const unary = await client.invoke("shop.v1.ProductCatalogService/GetProduct", {
        productId: "1",
      });
      expect(unary.kind).toBe("unary");
      if (unary.kind === "unary") expect(unary.response).toHaveProperty("product.category");
    } finally {
      client.close();
    }
  });
});
