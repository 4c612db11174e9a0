/**
 * Throw-away copies of examples/shop for tests that run CLI commands which write into the
 * project (generate, the embedded database). The copy lives in the OS temp folder with a
 * `node_modules` symlink to the repository's, so its imports and tools resolve as in the
 * original. Its generate state and data folder are left behind: each copy starts fresh.
 */
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, SHOP_ROOT } from "./shop-stack.js";

/** A copy of the shop. */
export interface ShopCopy {
  /** Absolute path of the copy's root. */
  readonly root: string;
  /** Replaces `search` (which must occur) in a file of the copy. */
  edit(file: string, search: string, replacement: string): Promise<void>;
  /** Deletes the copy. */
  remove(): Promise<void>;
}

const SKIPPED = new Set([".grpc-cfg", "node_modules"]);

/** Copies examples/shop (without its state, data and node_modules) to a temp folder. */
export async function copyShop(): Promise<ShopCopy> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-e2e-copy-"));
  const root = path.join(parent, "shop");
  await cp(SHOP_ROOT, root, {
    recursive: true,
    filter: (source) => !SKIPPED.has(path.basename(source)),
  });
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  return {
    root,
    async edit(file, search, replacement) {
      const target = path.join(root, file);
      const text = await readFile(target, "utf8");
      if (!text.includes(search)) throw new Error(`${file} has no "${search}" to replace`);
      await writeFile(target, text.replace(search, replacement));
    },
    remove: () => rm(parent, { recursive: true, force: true }),
  };
}
