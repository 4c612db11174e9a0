/**
 * The shapes the generator (protoc-gen-grpc-cfg) emits and the runtime consumes.
 * Generated `<Service>Base` classes carry these as static members; keep this file in
 * step with `templates/`.
 */

/** The four gRPC call kinds, named by which side streams. */
export const CALL_KINDS = ["unary", "server-stream", "client-stream", "bidi"] as const;

/** One of {@link CALL_KINDS}. */
export type CallKind = (typeof CALL_KINDS)[number];

/**
 * Who may call a method. `public`: anyone; a sent credential is checked for attribution and a
 * bad one ignored. `optional`: anyone, but a sent credential must be valid. `required`: a
 * valid credential.
 */
export type AuthPolicy = "public" | "optional" | "required";

/** The runtime base class a service option selects. */
export type ServiceBaseKind = "base" | "read-only" | "auth-required";

/** Effective policy of one rpc: the service's options with the method's own applied on top. */
export interface MethodPolicy {
  /** The rpc name as written in the proto, e.g. `GetUser`. */
  readonly name: string;
  /** The gRPC path, e.g. `/shop.v1.UserService/GetUser`. */
  readonly path: string;
  /** Key of the method in ts-proto's generic service definition, e.g. `getUser`. */
  readonly definitionKey: string;
  /**
   * Name of the method on the implementation class. Usually equal to `definitionKey`; differs
   * when that name would collide with a reserved word or a base-class member.
   */
  readonly handler: string;
  readonly callKind: CallKind;
  readonly auth: AuthPolicy;
  readonly staffOnly: boolean;
  readonly superuserOnly: boolean;
  /** Permission codename the caller must hold, e.g. `orders.create_order`, or null. */
  readonly permission: string | null;
  /** True when the handler's database handle must refuse writes. */
  readonly readOnly: boolean;
}

/** Frozen per-service table of method policies, keyed by rpc name. */
export type MethodTable = Readonly<Record<string, MethodPolicy>>;

/**
 * One entry of the generated manifest (`grpc-cfg.manifest.ts`), one per proto service.
 * `definition` is ts-proto's generic service definition (`outputServices=generic-definitions`).
 */
export interface ServiceManifestEntry {
  /** Fully qualified proto name, e.g. `shop.v1.UserService`. */
  readonly fullName: string;
  /** Proto file that declares the service, relative to the module root. */
  readonly protoFile: string;
  /** Name of the generated abstract class, e.g. `UserServiceBase`. */
  readonly className: string;
  readonly baseKind: ServiceBaseKind;
  /** The generated abstract class; implementations extend it. */
  readonly base: abstract new (...args: never[]) => object;
  readonly definition: GenericServiceDefinition;
  readonly methods: MethodTable;
}

/** Structural type of ts-proto's generic service definition, as nice-grpc accepts it. */
export interface GenericServiceDefinition {
  readonly name: string;
  readonly fullName: string;
  readonly methods: Readonly<Record<string, GenericMethodDefinition>>;
}

/** One method of {@link GenericServiceDefinition}. */
export interface GenericMethodDefinition {
  readonly name: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestType: unknown;
  readonly responseType: unknown;
  readonly options: unknown;
}

/** What the generated manifest module exports. */
export interface GeneratedManifest {
  readonly services: readonly ServiceManifestEntry[];
  /** Serialized google.protobuf.FileDescriptorSet of every file in the run, for reflection. */
  readonly descriptorSet: Uint8Array;
}
