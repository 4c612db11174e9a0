import { CodegenError } from "./errors.js";
import { tsProtoDefinitionKey } from "./ts-proto-names.js";

/**
 * Member names an implementation inherits from the runtime base classes (BaseService,
 * ReadOnlyService, AuthRequiredService) and from `Object.prototype`, plus `then`. An rpc
 * whose natural handler name is one of these gets another name (see
 * {@link assignHandlerNames}), because declaring it would shadow a helper (or, for
 * `constructor`, is not possible at all; for `then`, would make instances thenables).
 * Kept in step with the runtime's own `RESERVED_MEMBER_NAMES` and its classes' prototypes by
 * `handler-names.test.ts`.
 */
export const RESERVED_MEMBER_NAMES: readonly string[] = Object.freeze([
  // BaseService: identity and permission helpers
  "getUser",
  "requireUser",
  "checkPermission",
  "requirePermission",
  "requireStaff",
  "requireSuperuser",
  // BaseService: aborts
  "abort",
  "notFound",
  "permissionDenied",
  "invalidArgument",
  "unauthenticated",
  "alreadyExists",
  "failedPrecondition",
  "resourceExhausted",
  "unimplemented",
  "internal",
  "aborted",
  "unavailable",
  "deadlineExceeded",
  // BaseService: metadata helpers
  "getMetadata",
  "setHeader",
  "setTrailer",
  "peerAddress",
  "clientAddress",
  // AuthRequiredService
  "currentUser",
  // Object.prototype
  "constructor",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  // Not inherited, but a method of this name makes every instance a thenable: returning one
  // from an async function or awaiting it would call it like Promise#then, and hang.
  "then",
]);

/** How one rpc is reached: its key in ts-proto's definition and its method on the class. */
export interface HandlerName {
  /** The rpc name as written in the proto. */
  readonly rpc: string;
  /** Key in ts-proto's generic definition (`GetUser` → `getUser`). */
  readonly definitionKey: string;
  /** Method name on the generated class; differs from `definitionKey` when that is reserved. */
  readonly handler: string;
}

/**
 * Names the handler of every rpc of one service. A definition key that is not reserved is
 * used as is; a reserved one becomes `handle<Rpc>` (`GetUser` → `handleGetUser`,
 * `Constructor` → `handleConstructor`), with a numeric suffix if that is taken too. The
 * result depends only on the rpc names, so regeneration is stable.
 *
 * @param where prefix for error messages, e.g. `a/v1/svc.proto:3:1: service a.v1.Svc` (or a
 *   function returning it, called only on error)
 * @param reserved names a handler must not take (defaults to {@link RESERVED_MEMBER_NAMES})
 */
export function assignHandlerNames(
  rpcNames: readonly string[],
  where: string | (() => string),
  reserved: readonly string[] = RESERVED_MEMBER_NAMES,
): HandlerName[] {
  const reservedSet = new Set(reserved);
  const byKey = new Map<string, string>();
  for (const rpc of rpcNames) {
    const key = tsProtoDefinitionKey(rpc);
    const other = byKey.get(key);
    if (other !== undefined) {
      throw new CodegenError(
        `${typeof where === "string" ? where : where()}: rpcs ${other} and ${rpc} both become "${key}" in TypeScript; rename one of them`,
      );
    }
    byKey.set(key, rpc);
  }

  // Natural names first, so a renamed handler can never take a name an rpc owns.
  const taken = new Set<string>();
  for (const key of byKey.keys()) if (!reservedSet.has(key)) taken.add(key);

  return rpcNames.map((rpc) => {
    const definitionKey = tsProtoDefinitionKey(rpc);
    if (!reservedSet.has(definitionKey)) return { rpc, definitionKey, handler: definitionKey };
    const base = `handle${rpc.substring(0, 1).toUpperCase()}${rpc.substring(1)}`;
    let handler = base;
    for (let n = 2; taken.has(handler) || reservedSet.has(handler); n++) handler = `${base}${n}`;
    taken.add(handler);
    return { rpc, definitionKey, handler };
  });
}
