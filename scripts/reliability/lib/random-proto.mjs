// Random but valid .proto files for the plugin fuzz run: seeded (mulberry32), so a failing
// seed can be replayed. Covers nested messages and enums, maps, oneofs, optional and
// repeated fields, well-known types, cross-file imports, all four call kinds, and the
// grpc_cfg.v1 service/method options — with names chosen to collide with JavaScript and
// with the runtime's own helper names.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p };
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "qu", "sa", "do"];
// Names a generator can trip over: JS/TS keywords and globals, runtime helper names.
// Not "Promise", "Symbol", "Math" and the like: where ts-proto's own output uses those globals
// it does not compile with a top-level type of that name, and the plugin refuses the file
// (see unusable-type-names.ts and its test); one refused file would end the whole run.
const RISKY = [
  "Delete",
  "New",
  "Return",
  "Constructor",
  "ToString",
  "Then",
  "Default",
  "Class",
  "Object",
  "Error",
  "Date",
  "Function",
  "Abort",
  "GetUser",
  "RequireUser",
  "NotFound",
  "Internal",
  "Context",
  "Signal",
  "Service",
  "Definition",
  "Base",
  "Methods",
  "Manifest",
  "Type",
  "Value",
  "Async",
  "Await",
  "Yield",
  "Static",
];
const SCALARS = [
  "string",
  "int32",
  "int64",
  "uint32",
  "uint64",
  "sint32",
  "fixed64",
  "double",
  "float",
  "bool",
  "bytes",
];
const WELL_KNOWN = [
  ["google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
  ["google.protobuf.Duration", "google/protobuf/duration.proto"],
  ["google.protobuf.Struct", "google/protobuf/struct.proto"],
  ["google.protobuf.StringValue", "google/protobuf/wrappers.proto"],
];

function pascal(r, used) {
  for (;;) {
    const name = r.chance(0.25)
      ? r.pick(RISKY)
      : Array.from({ length: 2 + r.int(2) }, () => r.pick(SYLLABLES)).join("");
    const result = name[0].toUpperCase() + name.slice(1);
    if (!used.has(result)) {
      used.add(result);
      return result;
    }
    if (used.size > 400) throw new Error("name space exhausted");
  }
}
const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
const upperSnake = (name) => snake(name).toUpperCase();

/** One file: `{ path, text, messages }` (messages = full names others may import). */
export function randomProtoFile(r, index, earlier) {
  const pkg = `fuzz.f${index}.v1`;
  const path = `fuzz/f${index}/v1/file${index}.proto`;
  const imports = new Set();
  const used = new Set();
  const messages = [];
  const lines = [];
  const typeRefs = () => {
    const choice = r.int(10);
    if (choice < 5) return r.pick(SCALARS);
    if (choice < 7 && messages.length > 0) return r.pick(messages);
    if (choice < 8) {
      const [type, file] = r.pick(WELL_KNOWN);
      imports.add(file);
      return type;
    }
    if (choice < 9 && earlier.length > 0) {
      const other = r.pick(earlier);
      if (other.messages.length > 0) {
        imports.add(other.path);
        return `${other.pkg}.${r.pick(other.messages)}`;
      }
    }
    return r.pick(SCALARS);
  };
  const enumBlock = (name, indent) => {
    const prefix = upperSnake(name);
    const values = [`${indent}  ${prefix}_UNSPECIFIED = 0;`];
    for (let i = 1; i <= 1 + r.int(4); i++) values.push(`${indent}  ${prefix}_V${i} = ${i};`);
    return [`${indent}enum ${name} {`, ...values, `${indent}}`];
  };
  const messageBlock = (name, indent, depth) => {
    const out = [
      `${indent}// ${name} is message ${messages.length} of ${pkg}.`,
      `${indent}message ${name} {`,
    ];
    const fields = new Set();
    let number = 1;
    const fieldName = () => {
      for (;;) {
        const f = snake(pascal(r, new Set())) + (fields.size ? `_${fields.size}` : "");
        if (!fields.has(f)) return (fields.add(f), f);
      }
    };
    if (depth < 2 && r.chance(0.4)) {
      const inner = pascal(r, used);
      out.push(...messageBlock(inner, `${indent}  `, depth + 1));
      out.push(`${indent}  ${inner} ${fieldName()} = ${number++};`);
    }
    if (r.chance(0.4)) {
      const kind = pascal(r, used);
      out.push(...enumBlock(kind, `${indent}  `));
      out.push(`${indent}  ${kind} ${fieldName()} = ${number++};`);
    }
    for (let i = 0; i < 1 + r.int(5); i++) {
      const label = r.pick(["", "", "repeated ", "optional "]);
      out.push(`${indent}  ${label}${typeRefs()} ${fieldName()} = ${number++};`);
    }
    if (r.chance(0.3))
      out.push(`${indent}  map<string, ${typeRefs()}> ${fieldName()} = ${number++};`);
    if (r.chance(0.3)) {
      out.push(`${indent}  oneof ${fieldName()} {`);
      out.push(`${indent}    string ${fieldName()} = ${number++};`);
      out.push(`${indent}    ${typeRefs()} ${fieldName()} = ${number++};`);
      out.push(`${indent}  }`);
    }
    out.push(`${indent}}`);
    return out;
  };

  for (let m = 0; m < 2 + r.int(4); m++) {
    const name = pascal(r, used);
    lines.push(...messageBlock(name, "", 0), "");
    messages.push(name);
  }
  if (r.chance(0.5)) lines.push(...enumBlock(pascal(r, used), ""), "");
  let usesOptions = false;
  for (let s = 0; s < 1 + r.int(2); s++) {
    const service = `${pascal(r, used)}Service`;
    lines.push(`// ${service} is fuzz service ${s}.`, `service ${service} {`);
    let policies = ["AUTH_POLICY_PUBLIC", "AUTH_POLICY_OPTIONAL", "AUTH_POLICY_REQUIRED"];
    if (r.chance(0.6)) {
      usesOptions = true;
      const base = r.pick(["BASE_KIND_BASE", "BASE_KIND_READ_ONLY", "BASE_KIND_AUTH_REQUIRED"]);
      // AUTH_REQUIRED services admit only required auth (the plugin rejects anything else).
      if (base === "BASE_KIND_AUTH_REQUIRED") policies = ["AUTH_POLICY_REQUIRED"];
      lines.push(`  option (grpc_cfg.v1.service) = {base: ${base}, auth: ${r.pick(policies)}};`);
    }
    for (let i = 0; i < 1 + r.int(5); i++) {
      // Unique across the file: an rpc named like a message would shadow it in type lookups.
      const rpc = pascal(r, used);
      const [inStream, outStream] = [
        r.chance(0.35) ? "stream " : "",
        r.chance(0.35) ? "stream " : "",
      ];
      const input = r.chance(0.15)
        ? (imports.add("google/protobuf/empty.proto"), "google.protobuf.Empty")
        : r.pick(messages);
      const output = r.pick(messages);
      lines.push(`  // ${rpc} is an rpc with a "quoted" */ comment.`);
      if (r.chance(0.5)) {
        usesOptions = true;
        // staff_only and permission need a user, so they come with auth REQUIRED only (the
        // plugin rightly rejects the contradiction).
        const auth = r.pick(policies);
        const opts = [`auth: ${auth}`];
        if (auth === "AUTH_POLICY_REQUIRED" && r.chance(0.4)) opts.push("staff_only: true");
        if (auth === "AUTH_POLICY_REQUIRED" && r.chance(0.4))
          opts.push(`permission: "fuzz.${snake(rpc)}"`);
        if (r.chance(0.3)) opts.push("read_only: true");
        lines.push(
          `  rpc ${rpc}(${inStream}${input}) returns (${outStream}${output}) {`,
          `    option (grpc_cfg.v1.method) = {${opts.join(", ")}};`,
          "  }",
        );
      } else {
        lines.push(`  rpc ${rpc}(${inStream}${input}) returns (${outStream}${output});`);
      }
    }
    lines.push("}", "");
  }
  if (usesOptions) imports.add("grpc_cfg/v1/options.proto");
  const head = [
    'syntax = "proto3";',
    "",
    `package ${pkg};`,
    "",
    ...[...imports].sort().map((i) => `import "${i}";`),
    "",
  ];
  return { path, pkg, messages, text: [...head, ...lines].join("\n") };
}
