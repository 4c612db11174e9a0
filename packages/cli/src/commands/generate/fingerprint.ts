import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { listFiles } from "../../util/file-walk.js";

/** Everything a generate run's output depends on. */
export interface FingerprintInputs {
  readonly projectRoot: string;
  /** buf.yaml, buf.gen.yaml, buf.lock… (absolute; missing ones count as absent). */
  readonly configFiles: readonly string[];
  /** Module folders, project-relative; every .proto below them is an input. */
  readonly moduleDirs: readonly string[];
  /** User template folder, if one is in use (its files are inputs). */
  readonly templatesDir: string | undefined;
  /** buf version, each plugin's identity, the CLI version. */
  readonly tools: readonly string[];
  /** Resolved options (templates path, out override…), JSON-serialisable. */
  readonly settings: unknown;
}

/** A .proto input read while fingerprinting (reused to count services). */
export interface ProtoSource {
  /** Project-relative path. */
  readonly path: string;
  readonly text: string;
}

/** The fingerprint and the proto sources it covered. */
export interface Fingerprint {
  readonly value: string;
  readonly protos: readonly ProtoSource[];
}

/**
 * Hashes every input of a generate run. Equal fingerprints mean buf would produce the same
 * files, so the run can be skipped. Reads file contents (not mtimes) for protos, configs and
 * templates: a `git checkout` that restores old content should not force regeneration.
 */
export function computeFingerprint(inputs: FingerprintInputs): Fingerprint {
  const hash = createHash("sha256");
  const section = (name: string): void => void hash.update(`\n#${name}\n`);

  section("tools");
  for (const tool of inputs.tools) hash.update(`${tool}\n`);
  section("settings");
  hash.update(JSON.stringify(inputs.settings));

  section("config");
  for (const file of inputs.configFiles) {
    hash.update(`${path.relative(inputs.projectRoot, file)}\0`);
    hash.update(readOptional(file) ?? "\0absent\0");
  }

  section("protos");
  const protos: ProtoSource[] = [];
  const seen = new Set<string>();
  for (const moduleDir of inputs.moduleDirs) {
    const absolute = path.resolve(inputs.projectRoot, moduleDir);
    for (const file of listFiles(absolute, (name) => name.endsWith(".proto"))) {
      const relative = path.relative(inputs.projectRoot, path.join(absolute, file));
      if (seen.has(relative)) continue;
      seen.add(relative);
      const text = readFileSync(path.join(absolute, file), "utf8");
      protos.push({ path: relative, text });
      hash.update(`${relative}\0${text.length}\0`);
      hash.update(text);
    }
  }

  section("templates");
  if (inputs.templatesDir) {
    for (const file of listFiles(inputs.templatesDir)) {
      hash.update(`${file}\0`);
      hash.update(readFileSync(path.join(inputs.templatesDir, file)));
    }
  }
  return { value: hash.digest("hex"), protos };
}

/** sha256 of a file's bytes; `undefined` when it cannot be read. */
export function hashFile(file: string): string | undefined {
  const content = readOptional(file);
  return content === undefined ? undefined : createHash("sha256").update(content).digest("hex");
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
