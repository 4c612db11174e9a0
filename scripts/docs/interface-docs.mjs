// Reads the JSDoc of TypeScript interfaces (packages/runtime/src/config/config-types.ts) with
// the TypeScript compiler's parser, keyed by the dot path of each property from a root
// interface: "server.keepalive.timeMs" → its comment. No type checking, only syntax.
import { readFile } from "node:fs/promises";
import ts from "typescript";

function jsDocText(node) {
  const docs = node.jsDoc ?? [];
  const last = docs[docs.length - 1];
  if (!last?.comment) return "";
  const text =
    typeof last.comment === "string" ? last.comment : ts.getTextOfJSDocComment(last.comment);
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** The interface name a property's type refers to (`ServerConfig`, `readonly X[]` → null). */
function referencedName(typeNode) {
  if (typeNode && ts.isTypeReferenceNode(typeNode) && ts.isIdentifier(typeNode.typeName)) {
    return typeNode.typeName.text;
  }
  return null;
}

/**
 * Map of dot path → `{ property, type }`: the property's own JSDoc, and the JSDoc of the
 * interface its type names (for object-valued properties), starting at `rootInterface`.
 */
export async function readInterfaceDocs(file, rootInterface) {
  const source = ts.createSourceFile(
    file,
    await readFile(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const interfaces = new Map();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const result = new Map();
  const visit = (name, prefix, seen) => {
    const declaration = interfaces.get(name);
    if (!declaration || seen.has(name)) return;
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || !member.name || !ts.isIdentifier(member.name))
        continue;
      const path = prefix ? `${prefix}.${member.name.text}` : member.name.text;
      const target = referencedName(member.type);
      const targetDeclaration = target ? interfaces.get(target) : undefined;
      result.set(path, {
        property: jsDocText(member),
        type: targetDeclaration ? jsDocText(targetDeclaration) : "",
      });
      if (target) visit(target, path, new Set([...seen, name]));
    }
  };
  visit(rootInterface, "", new Set());
  return result;
}
