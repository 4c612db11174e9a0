/**
 * Local names and import declarations of one generated file. Every name the file declares
 * or imports goes through one {@link ImportSet}, so two types called `User` from different
 * modules (or a message named like a runtime export) get distinct local names
 * (`User`, `User$1`); ts-proto never emits `$`, so aliases cannot collide with its names.
 */

/** One import declaration, as the templates print it. */
export interface ImportModel {
  readonly module: string;
  /** True when every specifier is a type: printed as `import type { … }`. */
  readonly typeOnly: boolean;
  /** Specifiers such as `Foo`, `Foo as Foo$1`, `type Bar` (the latter only when !typeOnly). */
  readonly specifiers: readonly string[];
  /** True when the declaration would pass 100 columns on one line. */
  readonly multiline: boolean;
}

interface Binding {
  readonly module: string;
  readonly name: string;
  readonly local: string;
  isType: boolean;
}

/**
 * Globals the templates use or users' templates are likely to: a message named `Object` or
 * `Promise` must not shadow them, so an import of that name gets an alias instead.
 */
export const RESERVED_GLOBALS: readonly string[] = [
  "Array",
  "AsyncIterable",
  "AsyncIterator",
  "Boolean",
  "Buffer",
  "Date",
  "Error",
  "Iterable",
  "JSON",
  "Map",
  "Number",
  "Object",
  "Promise",
  "Readonly",
  "Record",
  "Set",
  "String",
  "Symbol",
  "Uint8Array",
  "globalThis",
];

/** Allocates collision-free local names and collects the imports that bind them. */
export class ImportSet {
  private readonly locals = new Set<string>(RESERVED_GLOBALS);
  private readonly bindings = new Map<string, Binding>();

  /** Claims a name the file declares itself (e.g. a class); returns the name, made unique. */
  declare(name: string): string {
    const local = this.unique(name);
    this.locals.add(local);
    return local;
  }

  /** Local name of value export `name` of `module` (imported once however often asked). */
  value(module: string, name: string): string {
    const binding = this.bind(module, name);
    binding.isType = false;
    return binding.local;
  }

  /** Local name of type export `name` of `module`. */
  type(module: string, name: string): string {
    return this.bind(module, name).local;
  }

  /**
   * The import declarations: non-relative modules first, then relative ones, each group
   * sorted; specifiers sorted by exported name.
   */
  imports(): ImportModel[] {
    const byModule = new Map<string, Binding[]>();
    for (const binding of this.bindings.values()) {
      const list = byModule.get(binding.module) ?? [];
      list.push(binding);
      byModule.set(binding.module, list);
    }
    const relative = (m: string): number => (m.startsWith(".") ? 1 : 0);
    return [...byModule.keys()]
      .sort((a, b) => relative(a) - relative(b) || compare(a, b))
      .map((module) => {
        const list = (byModule.get(module) ?? []).sort((a, b) => compare(a.name, b.name));
        const typeOnly = list.every((b) => b.isType);
        const specifiers = list.map((b) => {
          const spec = b.local === b.name ? b.name : `${b.name} as ${b.local}`;
          return b.isType && !typeOnly ? `type ${spec}` : spec;
        });
        const oneLine = `import ${typeOnly ? "type " : ""}{ ${specifiers.join(", ")} } from "${module}";`;
        return { module, typeOnly, specifiers, multiline: oneLine.length > 100 };
      });
  }

  private bind(module: string, name: string): Binding {
    const key = `${module}\0${name}`;
    let binding = this.bindings.get(key);
    if (binding === undefined) {
      const local = this.unique(name);
      this.locals.add(local);
      binding = { module, name, local, isType: true };
      this.bindings.set(key, binding);
    }
    return binding;
  }

  private unique(name: string): string {
    if (!this.locals.has(name)) return name;
    for (let n = 1; ; n++) {
      const candidate = `${name}$${n}`;
      if (!this.locals.has(candidate)) return candidate;
    }
  }
}

// Locale-independent, so output does not depend on the machine generating it.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Relative import specifier from the directory of `fromFile` to `toModule` (both root-relative, no extension on `toModule`). */
export function relativeModule(fromFile: string, toModule: string, suffix: string): string {
  const from = fromFile.split("/").slice(0, -1);
  const to = toModule.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return `${up === 0 ? "./" : "../".repeat(up)}${rest}${suffix}`;
}
