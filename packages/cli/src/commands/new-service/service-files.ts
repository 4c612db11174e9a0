import path from "node:path";
import type { ServiceNames } from "../../scaffold/names.js";
import { protoPackageDir } from "../../scaffold/names.js";
import type { NewFile } from "../../scaffold/new-files.js";
import { renderScaffoldTemplate } from "../../scaffold/templates.js";
import { moduleDirFor, type ProjectLayout } from "./project-layout.js";
import { BASE_DETAILS, type ServiceBase } from "./service-bases.js";

/** What `grpc-cfg new service` is about to write. */
export interface ServiceFiles {
  /** The .proto, then the implementation stub; paths relative to the project root. */
  readonly files: readonly [NewFile, NewFile];
  /** The sample rpc, `Get<Entity>`. */
  readonly rpcName: string;
  /** Its method on the class (the generator's name for it). */
  readonly handlerName: string;
  /** Absolute path of the stub. */
  readonly stubFile: string;
}

/** Where the new service goes and what it is. */
export interface ServiceFilesInput {
  readonly layout: ProjectLayout;
  readonly names: ServiceNames;
  readonly protoPackage: string;
  readonly base: ServiceBase;
  /** Absolute folder of the implementation. */
  readonly appDir: string;
}

/** Renders the proto (with one sample rpc) and the stub whose handler answers UNIMPLEMENTED. */
export async function renderServiceFiles(input: ServiceFilesInput): Promise<ServiceFiles> {
  const { layout, names, protoPackage, appDir } = input;
  const rpcName = `Get${names.entity}`;
  const protoDir = protoPackageDir(protoPackage);
  const protoFile = path.join(
    moduleDirFor(layout, protoPackage),
    protoDir,
    `${names.fileStem}.proto`,
  );
  const stubFile = path.join(appDir, "grpc-services.ts");
  const { assignHandlerNames } = await import("@grpc-cfg/codegen");
  // The generator renames handlers that would shadow a base-class helper (GetUser → handleGetUser).
  const handlerName = assignHandlerNames([rpcName], names.service)[0]?.handler ?? rpcName;
  const base = BASE_DETAILS[input.base];
  const values = {
    protoPackage,
    protoDir,
    protoFile: projectPath(layout, protoFile),
    serviceName: names.service,
    entityWords: names.words,
    fileStem: names.fileStem,
    rpcName,
    handlerName,
    baseKind: base.option,
    baseSummary: base.summary,
    contextType: base.context,
    genImport: importPath(appDir, layout.generatedDir),
  };
  const proto: NewFile = {
    path: projectPath(layout, protoFile),
    content: await renderScaffoldTemplate("new-service/service.proto.tmpl", values),
  };
  const stub: NewFile = {
    path: projectPath(layout, stubFile),
    content: await renderScaffoldTemplate("new-service/grpc-services.ts.tmpl", values),
  };
  return { files: [proto, stub], rpcName, handlerName, stubFile };
}

/** Module specifier of `target` from files in `fromDir`: `../gen`, `./gen`. */
function importPath(fromDir: string, target: string): string {
  const relative = posix(path.relative(fromDir, target));
  if (relative === "") return ".";
  return relative.startsWith(".") ? relative : `./${relative}`;
}

function projectPath(layout: ProjectLayout, file: string): string {
  return posix(path.relative(layout.root, file));
}

/** A path with `/` separators, as written in imports and printed to users. */
export function posix(file: string): string {
  return file.split(path.sep).join("/");
}
