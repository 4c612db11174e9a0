import { CliError } from "../util/cli-error.js";

/**
 * Naming rules shared by `grpc-cfg init` and `grpc-cfg new service`. They follow buf's
 * STANDARD lint rules (PascalCase services ending in `Service`, lower_snake_case files and
 * packages with a version suffix), so what the scaffold writes passes `grpc-cfg lint`.
 */

/** npm's rules for a package name (lowercase, URL-safe, optionally scoped, ≤ 214 chars). */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Dot-separated lower_snake_case segments, such as `acme.v1` or `acme.billing.v1beta1`. */
const PROTO_PACKAGE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;

/** buf's PACKAGE_VERSION_SUFFIX: v1, v2, v1alpha1, v1beta2, v1test, v1p1beta1… */
const VERSION_SEGMENT = /^v\d+(?:(?:alpha|beta)\d*|p\d+(?:alpha|beta)\d*|test\w*)?$/;

/** PascalCase: a capital letter, then letters and digits. */
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

/** Proto packages grpc-cfg or protobuf own; a user's service must not live in them. */
const RESERVED_PACKAGE_ROOTS = ["google", "grpc", "grpc_cfg"];

/** Whether `name` is a valid npm package name. */
export function isValidNpmName(name: string): boolean {
  return name.length > 0 && name.length <= 214 && NPM_NAME.test(name);
}

/**
 * An npm package name made from a folder name: lowercased, runs of characters npm does not
 * allow turned into `-`. Returns `undefined` when nothing usable is left.
 */
export function npmNameFromFolder(folder: string): string | undefined {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  return isValidNpmName(name) ? name : undefined;
}

/**
 * The default proto package of a project: its npm name without scope, in lower_snake_case,
 * plus `.v1` (`@acme/order-api` → `order_api.v1`).
 */
export function protoPackageFromNpmName(npmName: string): string {
  const bare = npmName.replace(/^@[^/]+\//, "");
  let root = bare
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(root)) root = `app${root === "" ? "" : `_${root}`}`;
  if (RESERVED_PACKAGE_ROOTS.includes(root)) root = `${root}_app`;
  return `${root}.v1`;
}

/**
 * Checks a proto package given with `--package`; throws a {@link CliError} saying which rule
 * it breaks.
 */
export function checkProtoPackage(value: string, flag = "--package"): string {
  const hint =
    "Use lower_snake_case segments joined by dots, ending in a version: acme.v1, acme.billing.v1beta1.";
  if (!PROTO_PACKAGE.test(value)) {
    throw new CliError(`${flag} ${JSON.stringify(value)} is not a proto package name`, { hint });
  }
  const segments = value.split(".");
  if (segments.length < 2 || !VERSION_SEGMENT.test(segments[segments.length - 1] ?? "")) {
    throw new CliError(`${flag} ${value}: the last segment must be a version such as v1`, {
      hint: `buf's STANDARD lint rules want a versioned package, e.g. ${value}.v1.`,
    });
  }
  if (RESERVED_PACKAGE_ROOTS.includes(segments[0] ?? "")) {
    throw new CliError(`${flag} ${value}: ${segments[0]}.* belongs to protobuf/gRPC/grpc-cfg`, {
      hint: "Choose a package named after your project or team, e.g. acme.v1.",
    });
  }
  return value;
}

/** The folder of a proto package below the module root (`acme.billing.v1` → `acme/billing/v1`). */
export function protoPackageDir(protoPackage: string): string {
  return protoPackage.split(".").join("/");
}

/** A checked service name: `Inventory` and `InventoryService` both give `InventoryService`. */
export interface ServiceNames {
  /** `InventoryService` (buf's SERVICE_SUFFIX rule wants the suffix). */
  readonly service: string;
  /** `Inventory`: the name without `Service`, used for the sample rpc and messages. */
  readonly entity: string;
  /** `stock_level`: the .proto file name without extension (lower_snake_case). */
  readonly fileStem: string;
  /** `stock-level`: the app folder below src/ (kebab-case, like the rest of the project). */
  readonly appFolder: string;
  /** `stock level`: the entity in words, for comments. */
  readonly words: string;
}

/** Validates a service name and derives the file and folder names from it. */
export function serviceNames(name: string): ServiceNames {
  if (!PASCAL_CASE.test(name)) {
    const suggestion = pascalCase(name);
    throw new CliError(`"${name}" is not a PascalCase service name`, {
      hint: `Start with a capital letter and use only letters and digits${suggestion ? `, e.g. ${suggestion}` : ", e.g. InventoryService"}.`,
    });
  }
  const entity = name.endsWith("Service") ? name.slice(0, -"Service".length) : name;
  if (entity === "") {
    throw new CliError(`"${name}" says nothing about the service`, {
      hint: "Name it after what it serves, e.g. InventoryService.",
    });
  }
  const parts = splitWords(entity);
  return {
    service: `${entity}Service`,
    entity,
    fileStem: parts.join("_"),
    appFolder: parts.join("-"),
    words: parts.join(" "),
  };
}

/** `StockLevel2HTTP` → `["stock", "level2", "http"]`. */
function splitWords(pascal: string): string[] {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(" ")
    .filter((word) => word !== "");
}

/** A PascalCase guess from what the user typed (`stock-level` → `StockLevel`), if any. */
function pascalCase(text: string): string | undefined {
  const guess = text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return PASCAL_CASE.test(guess) ? guess : undefined;
}
