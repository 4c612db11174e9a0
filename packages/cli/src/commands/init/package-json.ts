/**
 * The package.json `grpc-cfg init` writes. Third-party ranges are the ones grpc-cfg itself is
 * built and tested with (`package-json.test.ts` fails when the workspace moves past them);
 * the @grpc-cfg packages follow the version of this CLI, since they are released together.
 */

/** Runtime dependencies of a scaffolded project, besides the @grpc-cfg packages. */
export const SCAFFOLD_DEPENDENCIES: Readonly<Record<string, string>> = {
  // ts-proto's generated messages import its wire format.
  "@bufbuild/protobuf": "^2.17.0",
  "drizzle-orm": "^0.45.4",
  "nice-grpc": "^2.1.18",
  // ts-proto's generated service definitions import CallContext/CallOptions from here.
  "nice-grpc-common": "^2.0.4",
};

/** Development dependencies of a scaffolded project. */
export const SCAFFOLD_DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  "@bufbuild/buf": "^1.75.0",
  "@types/node": "^20.19.43",
  "ts-proto": "^2.18.0",
  typescript: "^5.9.3",
  vitest: "^4.1.12",
};

/** The @grpc-cfg packages a scaffolded project depends on. */
export const GRPC_CFG_PACKAGES = ["@grpc-cfg/cli", "@grpc-cfg/runtime", "@grpc-cfg/store"] as const;

/** npm scripts of a scaffolded project; the GitHub workflow and README refer to them. */
export const SCAFFOLD_SCRIPTS: Readonly<Record<string, string>> = {
  generate: "grpc-cfg generate",
  lint: "grpc-cfg lint",
  check: "grpc-cfg generate --check",
  typecheck: "tsc --noEmit",
  start: "grpc-cfg serve",
  test: "vitest run",
};

/** Renders the package.json of a new project called `name`, for grpc-cfg `cliVersion`. */
export function scaffoldPackageJson(name: string, cliVersion: string): string {
  const ours = Object.fromEntries(GRPC_CFG_PACKAGES.map((pkg) => [pkg, `^${cliVersion}`]));
  const manifest = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20" },
    scripts: SCAFFOLD_SCRIPTS,
    dependencies: sortKeys({ ...ours, ...SCAFFOLD_DEPENDENCIES }),
    devDependencies: sortKeys(SCAFFOLD_DEV_DEPENDENCIES),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
