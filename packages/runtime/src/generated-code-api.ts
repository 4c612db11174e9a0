/**
 * # What generated code may use from `@grpc-cfg/runtime`
 *
 * The generator (protoc-gen-grpc-cfg) emits code against exactly these exports; keep them
 * stable. Values: `BaseService`, `ReadOnlyService`, `AuthRequiredService`,
 * `RESERVED_MEMBER_NAMES`. Types: `ServiceContext`, `AuthenticatedContext` (and their `…Ext`
 * parts, for nice-grpc's `ServiceImplementation<Def, Ext>`), `DeepPartial`,
 * `MethodTable`, `MethodPolicy`, `CallKind`, `AuthPolicy`, `ServiceBaseKind`,
 * `ServiceManifestEntry`, `GeneratedManifest`, `GenericServiceDefinition`.
 *
 * Expected shape of a generated class (Ctx = `AuthenticatedContext` for methods whose
 * policy requires a caller — every method of an `AuthRequiredService` — else `ServiceContext`):
 *
 * ```ts
 * export abstract class UserServiceBase extends BaseService {
 *   static readonly serviceName = "shop.v1.UserService";
 *   static readonly definition = UserServiceDefinition;
 *   static readonly baseKind = "base";
 *   static readonly methods = Object.freeze({ ... }) satisfies MethodTable;
 *   abstract fetchUser(request: GetUserRequest, context: Ctx): Promise<DeepPartial<User>>; // unary
 *   abstract listUsers(request: ListUsersRequest, context: Ctx): AsyncIterable<DeepPartial<User>>; // server stream
 *   abstract batchCreate(request: AsyncIterable<CreateUserRequest>, context: Ctx): Promise<DeepPartial<BatchResult>>; // client stream
 *   abstract chat(request: AsyncIterable<ChatMessage>, context: Ctx): AsyncIterable<DeepPartial<ChatMessage>>; // bidi
 * }
 * ```
 *
 * These signatures are assignable to nice-grpc's `ServiceImplementation` for the ts-proto
 * generic definition (checked by `generated-code-api.test.ts`). The server calls each
 * method by `MethodPolicy.handler`, so an rpc whose natural name is reserved is renamed by
 * the generator and the table records the new name.
 */

/** Types ts-proto leaves as they are in {@link DeepPartial}. */
type Builtin = Date | Function | Uint8Array | string | number | boolean | bigint | undefined;

/**
 * Deep partial of a message, identical to the `DeepPartial` ts-proto emits with the options of
 * the pipeline `grpc-cfg init` writes (`forceLong=bigint`: a 64-bit field takes a bigint, a
 * number or a decimal string; no `forceLong=long`, no `oneof=unions`), and equivalent to the
 * one of its default options (no bigint fields there), so handler results match
 * `fromPartial`'s input and nice-grpc's response type.
 */
export type DeepPartial<T> = T extends bigint
  ? string | number | bigint
  : T extends Builtin
    ? T
    : T extends globalThis.Array<infer U>
      ? globalThis.Array<DeepPartial<U>>
      : T extends ReadonlyArray<infer U>
        ? ReadonlyArray<DeepPartial<U>>
        : T extends {}
          ? { [K in keyof T]?: DeepPartial<T[K]> }
          : Partial<T>;

/**
 * Every member name an implementation inherits from the runtime base classes (and from
 * `Object.prototype`), plus `then`. An rpc whose handler name is in this list would shadow a
 * helper (or make the instance a thenable), so the generator renames it (and records the new
 * name as `MethodPolicy.handler`).
 */
export const RESERVED_MEMBER_NAMES: readonly string[] = Object.freeze([
  // BaseService helpers
  "getUser",
  "requireUser",
  "checkPermission",
  "requirePermission",
  "requireStaff",
  "requireSuperuser",
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
