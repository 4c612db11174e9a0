/** The runtime base classes a new service can extend, as `--base` names them. */
export const SERVICE_BASES = ["base", "read-only", "auth-required"] as const;

/** One of {@link SERVICE_BASES}. */
export type ServiceBase = (typeof SERVICE_BASES)[number];

/** How a base shows in the proto option, the handler's context type and the comment. */
export interface ServiceBaseDetails {
  /** Value of `(grpc_cfg.v1.service).base`. */
  readonly option: string;
  /** Context type of the handlers (from @grpc-cfg/runtime). */
  readonly context: string;
  /** One sentence for the service's proto comment. */
  readonly summary: string;
}

/** Details of every {@link ServiceBase}. */
export const BASE_DETAILS: Readonly<Record<ServiceBase, ServiceBaseDetails>> = {
  base: {
    option: "BASE_KIND_BASE",
    context: "ServiceContext",
    summary: "A BaseService: each rpc may set its own auth policy.",
  },
  "read-only": {
    option: "BASE_KIND_READ_ONLY",
    context: "ServiceContext",
    summary: "A ReadOnlyService: its handlers' database handle refuses writes.",
  },
  "auth-required": {
    option: "BASE_KIND_AUTH_REQUIRED",
    context: "AuthenticatedContext",
    summary: "An AuthRequiredService: every rpc needs an authenticated caller.",
  },
};
