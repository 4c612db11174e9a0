// Checks the hand-written pages in docs/ against the code, so they fail loudly instead of
// drifting: links and anchors resolve, every `grpc-cfg …` command line uses commands and flags
// that exist, every REST route of the monitor's OpenAPI document and every Prometheus metric
// is listed in monitoring.md, and YAML examples parse. Needs the packages built.
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadCommandTree } from "../scripts/docs/cli-reference.mjs";
import { anchor } from "../scripts/docs/markdown.mjs";
import { repoRoot } from "./cli-support/cli-project.js";

const DOCS = path.join(repoRoot, "docs");
const MONITOR_DIST = path.join(repoRoot, "packages/monitor/dist/index.js");

interface Command {
  path: string[];
  positionals: unknown[];
  options: { name: string; aliases: string[] }[];
  subcommands: Command[];
}

const pages = new Map<string, string>();
let commands: Command[];

beforeAll(async () => {
  for (const name of await readdir(DOCS)) {
    if (name.endsWith(".md")) pages.set(name, await readFile(path.join(DOCS, name), "utf8"));
  }
  commands = (await loadCommandTree()) as Command[];
});

/** The page without its fenced code blocks (links and headings in code do not count). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

/** Fenced blocks as { lang, body }. */
function codeBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({
    lang: m[1] ?? "",
    body: m[2] ?? "",
  }));
}

function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...prose(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      anchor((m[1] ?? "").replace(/`/g, "")),
    ),
  );
}

/** `grpc-cfg …` command lines the pages show: sh blocks, `$ ` lines of text blocks, code spans. */
function commandLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of codeBlocks(markdown)) {
    for (const raw of block.body.split("\n")) {
      const line = block.lang === "sh" ? raw : raw.startsWith("$ ") ? raw : "";
      lines.push(line.replace(/^\$ /, "").replace(/#.*$/, "").trim());
    }
  }
  for (const match of prose(markdown).matchAll(/`([^`]+)`/g)) lines.push(match[1] ?? "");
  return lines
    .map((line) => /(?:^|\s|;|&&)(?:npx )?grpc-cfg (.*)$/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined && rest.trim() !== "")
    .map((rest) => rest.split(/\s*(?:&&|\||;)\s*/)[0] as string);
}

describe("docs pages", () => {
  it("link only to pages, images and headings that exist", () => {
    expect(pages.size).toBeGreaterThanOrEqual(8);
    let checked = 0;
    for (const [name, markdown] of pages) {
      for (const match of prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = match[1] as string;
        if (/^(https?:|mailto:)/.test(target)) continue;
        const [file, hash] = target.split("#") as [string, string | undefined];
        const targetName = file === "" ? name : file;
        expect(existsSync(path.join(DOCS, targetName)), `${name} → ${target}`).toBe(true);
        if (hash !== undefined) {
          const targetPage = pages.get(targetName) ?? "";
          expect(headingAnchors(targetPage).has(hash), `${name} → ${target}: no such heading`).toBe(
            true,
          );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("show only grpc-cfg commands and flags that exist", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [name, markdown] of pages) {
      if (name === "cli.md") continue; // generated from the definitions themselves
      for (const line of commandLines(markdown)) {
        const words = line.split(/\s+/);
        let level = commands;
        const chain: Command[] = [];
        for (const word of words) {
          const next = level.find((command) => command.path.at(-1) === word);
          if (!next) break;
          chain.push(next);
          level = next.subcommands;
        }
        const command = chain.at(-1);
        if (!command) {
          problems.push(`${name}: unknown command in "grpc-cfg ${line}"`);
          continue;
        }
        const known = new Set(["help", "h", "version"]);
        for (const step of chain) {
          for (const option of step.options)
            [option.name, ...option.aliases].forEach((n) => known.add(n));
        }
        for (const word of words.slice(chain.length)) {
          const flag = /^--?(?:no-)?([A-Za-z][\w-]*)/.exec(word)?.[1];
          if (flag !== undefined && !known.has(flag)) {
            problems.push(
              `${name}: "grpc-cfg ${command.path.join(" ")}" has no --${flag} ("${line}")`,
            );
          }
        }
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("have YAML examples that parse", () => {
    let checked = 0;
    for (const [name, markdown] of pages) {
      for (const block of codeBlocks(markdown).filter((b) => b.lang === "yaml")) {
        expect(() => parseYaml(block.body), name).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe("monitoring.md", () => {
  it("lists every route of the monitor's OpenAPI document and every metric", async () => {
    if (!existsSync(MONITOR_DIST)) throw new Error("packages/monitor is not built");
    const { createMetrics, createMonitorAppFromData } = (await import(
      pathToFileURL(MONITOR_DIST).href
    )) as typeof import("@grpc-cfg/monitor");
    const staff = {
      id: 1,
      username: "docs",
      email: null,
      isActive: true,
      isStaff: true,
      isSuperuser: false,
      permissions: new Set<string>(),
    };
    const app = createMonitorAppFromData({
      // The OpenAPI route reads no data.
      data: {} as Parameters<typeof createMonitorAppFromData>[0]["data"],
      registry: { services: [] },
      instanceId: "docs",
      uiDir: null,
      authenticator: {
        authenticate: async () => ({
          ok: true,
          identity: { user: staff, apiKey: null, method: "api-key" },
        }),
      },
    });
    const response = await app.request("/api/openapi.json", { headers: { "x-api-key": "any" } });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const page = pages.get("monitoring.md") ?? "";
    const routes = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) expect(page, route).toContain(`\`${route}\``);

    const metrics = createMetrics();
    metrics.attach({
      logSink: () => ({ queued: 0, dropped: 0, written: 0 }),
      keyCache: () => ({ hits: 0, misses: 0 }),
    });
    const names = [...metrics.render().matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(page, name).toContain(`\`${name}\``);
  });
});
