/**
 * ts-proto's naming rules, reproduced so the generated classes refer to ts-proto's output by
 * the exact names it emits (checked against real ts-proto output by the golden and
 * type-check tests). Valid for the pipeline's ts-proto options: default `snakeToCamel`,
 * `useSnakeTypeName`, no type prefixes/suffixes, no `fileSuffix`, no `M` mappings.
 */
import type { DescEnum, DescFile, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";

// ts-proto renames top-level types that would shadow these globals.
const BUILT_IN_NAMES = new Set(["Date", "Function"]);

/** ts-proto `snakeToCamel`: `foo_bar` → `fooBar`, `FOO_BAR` → `fooBar`, `Foo_bar` → `FooBar`. */
function snakeToCamel(s: string): string {
  const hasLowerCase = /[a-z]/.test(s);
  return s
    .split("_")
    .map((word, i) => {
      const w = hasLowerCase ? word : word.toLowerCase();
      return i === 0 ? w : w.substring(0, 1).toUpperCase() + w.substring(1);
    })
    .join("");
}

// ts-proto applies snakeToCamel to type names only when the name contains "_".
function segment(name: string): string {
  return name.includes("_") ? snakeToCamel(name) : name;
}

/** The TypeScript name ts-proto gives a message or enum, e.g. `Outer_Inner` for `Outer.Inner`. */
export function tsProtoTypeName(desc: DescMessage | DescEnum): string {
  let name = segment(desc.name);
  for (let parent = desc.parent; parent !== undefined; parent = parent.parent) {
    name = `${segment(parent.name)}_${name}`;
  }
  return BUILT_IN_NAMES.has(name) ? `${name}Message` : name;
}

/** ts-proto's output module of a proto file, without extension: `a/v1/svc.proto` → `a/v1/svc`. */
export function tsProtoModulePath(file: DescFile | string): string {
  const name = typeof file === "string" ? file : file.proto.name;
  // Same as ts-proto: only the first ".proto" is removed.
  return name.replace(".proto", "");
}

/** Name of ts-proto's generic service definition constant, e.g. `UserServiceDefinition`. */
export function tsProtoDefinitionName(service: DescService): string {
  return `${service.name}Definition`;
}

/** Key of an rpc in ts-proto's generic definition (and nice-grpc's implementation): `GetUser` → `getUser`. */
export function tsProtoDefinitionKey(method: DescMethod | string): string {
  const name = typeof method === "string" ? method : method.name;
  return name.substring(0, 1).toLowerCase() + name.substring(1);
}
