// Compile-time checks (run by generated-code-api.test.ts through `tsc --noEmit`): the
// generated-class shape is assignable to nice-grpc's ServiceImplementation, and
// AuthenticatedContext really has a non-null user.
import type { ServiceImplementation } from "nice-grpc";
import type {
  AuthenticatedContext,
  AuthenticatedContextExt,
  DeepPartial,
  ServiceContextExt,
  User,
} from "../index.js";
import type {
  DeepPartial as TsProtoDeepPartial,
  EchoResponse,
} from "./gen/testsvc/v1/test_service.js";
import { AccountServiceDefinition, TestServiceDefinition } from "./gen/testsvc/v1/test_service.js";
import type {
  AccountServiceBase,
  TestServiceBase,
} from "./gen/testsvc/v1/test_service.grpc-cfg.js";

type Impl<T> = { [K in keyof T]: T[K] };

// The generator types methods that require a caller with AuthenticatedContext (the runtime
// guarantees it for them), and the rest with ServiceContext.
export const testImpl = (base: Impl<TestServiceBase>) => {
  const asNiceGrpc: ServiceImplementation<typeof TestServiceDefinition, AuthenticatedContextExt> =
    base;
  return asNiceGrpc;
};

type PublicMethods = "echo" | "whoAmI" | "repeat" | "collect" | "chat";
export const publicMethods = (base: Pick<Impl<TestServiceBase>, PublicMethods>) => {
  const asNiceGrpc: Pick<
    ServiceImplementation<typeof TestServiceDefinition, ServiceContextExt>,
    PublicMethods
  > = base;
  return asNiceGrpc;
};

export const accountImpl = (base: Impl<AccountServiceBase>) => {
  const asNiceGrpc: ServiceImplementation<
    typeof AccountServiceDefinition,
    AuthenticatedContextExt
  > = base;
  return asNiceGrpc;
};

// Ours and ts-proto's DeepPartial are mutually assignable.
export const ours = (value: TsProtoDeepPartial<EchoResponse>): DeepPartial<EchoResponse> => value;
export const theirs = (value: DeepPartial<EchoResponse>): TsProtoDeepPartial<EchoResponse> => value;

// user is non-null in an AuthenticatedContext.
export const userOf = (ctx: AuthenticatedContext): User => ctx.user;
