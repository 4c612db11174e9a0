/**
 * Effective auth / read-only policy of services and rpcs, from the grpc_cfg.v1 options.
 * The rules are documented in options.proto; this is their only implementation.
 */
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { CodegenError } from "./errors.js";
import {
  AuthPolicy,
  BaseKind,
  method as methodOption,
  service as serviceOption,
} from "./gen/grpc_cfg/v1/options_pb.js";
import { describeLocation } from "./source-location.js";

/** Who may call a method (the runtime's `AuthPolicy`). */
export type AuthPolicyName = "public" | "optional" | "required";

/** The runtime base class a service extends (the runtime's `ServiceBaseKind`). */
export type ServiceBaseKind = "base" | "read-only" | "auth-required";

/** The policy part of a method table entry. */
export interface EffectivePolicy {
  readonly auth: AuthPolicyName;
  readonly staffOnly: boolean;
  readonly superuserOnly: boolean;
  readonly permission: string | null;
  readonly readOnly: boolean;
}

/** A service's base kind plus its defaults for methods, as written in its options. */
export interface ServicePolicy {
  readonly baseKind: ServiceBaseKind;
  readonly auth: AuthPolicyName | null;
  readonly staffOnly: boolean;
  readonly superuserOnly: boolean;
  readonly permission: string | null;
  readonly readOnly: boolean;
}

/**
 * Error-message prefix, computed only when an error is thrown (finding the source line
 * costs an index build per file, which a clean run should not pay).
 */
class Where {
  constructor(private readonly describe: () => string) {}
  toString(): string {
    return this.describe();
  }
}

const PERMISSION_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

function baseKindName(value: BaseKind, where: Where): ServiceBaseKind {
  switch (value) {
    case BaseKind.UNSPECIFIED:
    case BaseKind.BASE:
      return "base";
    case BaseKind.READ_ONLY:
      return "read-only";
    case BaseKind.AUTH_REQUIRED:
      return "auth-required";
    default:
      throw new CodegenError(`${where}: unknown grpc_cfg.v1.BaseKind value ${String(value)}`);
  }
}

function authName(value: AuthPolicy, where: Where): AuthPolicyName | null {
  switch (value) {
    case AuthPolicy.UNSPECIFIED:
      return null;
    case AuthPolicy.PUBLIC:
      return "public";
    case AuthPolicy.OPTIONAL:
      return "optional";
    case AuthPolicy.REQUIRED:
      return "required";
    default:
      throw new CodegenError(`${where}: unknown grpc_cfg.v1.AuthPolicy value ${String(value)}`);
  }
}

function checkPermission(value: string, where: Where): string | null {
  if (value === "") return null;
  if (!PERMISSION_PATTERN.test(value)) {
    throw new CodegenError(
      `${where}: permission ${JSON.stringify(value)} is not a codename like "orders.create_order" (letters, digits, _ . : -)`,
    );
  }
  return value;
}

/** Reads `option (grpc_cfg.v1.service)`; a service without it is a plain BaseService. */
export function servicePolicy(service: DescService): ServicePolicy {
  const where = new Where(() => `${describeLocation(service)}: service ${service.typeName}`);
  const opts = getOption(service, serviceOption);
  const policy: ServicePolicy = {
    baseKind: baseKindName(opts.base, where),
    auth: authName(opts.auth, where),
    staffOnly: opts.staffOnly,
    superuserOnly: opts.superuserOnly,
    permission: checkPermission(opts.permission, where),
    readOnly: opts.readOnly,
  };
  if (policy.auth === "public" || policy.auth === "optional") {
    if (policy.baseKind === "auth-required") {
      throw new CodegenError(
        `${where}: auth ${policy.auth} contradicts base AUTH_REQUIRED; drop the auth default or use BASE_KIND_BASE`,
      );
    }
    const needs = requirementOf(policy.staffOnly, policy.superuserOnly, policy.permission);
    if (needs !== null) {
      throw new CodegenError(
        `${where}: auth ${policy.auth} contradicts ${needs} (which needs a user)`,
      );
    }
  }
  return policy;
}

function requirementOf(
  staff: boolean,
  superuser: boolean,
  permission: string | null,
): string | null {
  if (superuser) return "superuser_only";
  if (staff) return "staff_only";
  if (permission !== null) return `permission "${permission}"`;
  return null;
}

/**
 * The effective policy of one rpc: its own `option (grpc_cfg.v1.method)` over the service's
 * defaults, then the service base kind's forced values. Contradictions are errors naming
 * the file (with line when known) and the rpc.
 */
export function methodPolicy(method: DescMethod, svc: ServicePolicy): EffectivePolicy {
  const where = new Where(
    () => `${describeLocation(method)}: rpc ${method.parent.typeName}.${method.name}`,
  );
  const own = hasOption(method, methodOption) ? getOption(method, methodOption) : undefined;
  const ownAuth = own === undefined ? null : authName(own.auth, where);
  const staffOnly = own?.staffOnly ?? svc.staffOnly;
  const superuserOnly = own?.superuserOnly ?? svc.superuserOnly;
  const permission =
    own?.permission === undefined ? svc.permission : checkPermission(own.permission, where);
  let readOnly = own?.readOnly ?? svc.readOnly;

  if (svc.baseKind === "read-only") {
    if (own?.readOnly === false) {
      throw new CodegenError(
        `${where}: read_only: false in a READ_ONLY service; every method of it only reads`,
      );
    }
    readOnly = true;
  }
  const weakAuth = ownAuth === "public" || ownAuth === "optional";
  if (weakAuth && svc.baseKind === "auth-required") {
    throw new CodegenError(
      `${where}: auth ${ownAuth} in an AUTH_REQUIRED service; every method of it requires a user (move the rpc to another service or change the service's base)`,
    );
  }
  const needs = requirementOf(staffOnly, superuserOnly, permission);
  if (weakAuth && needs !== null) {
    throw new CodegenError(`${where}: auth ${ownAuth} contradicts ${needs} (which needs a user)`);
  }
  const auth: AuthPolicyName =
    svc.baseKind === "auth-required" || needs !== null
      ? "required"
      : (ownAuth ?? svc.auth ?? "optional");
  return { auth, staffOnly, superuserOnly, permission, readOnly };
}
