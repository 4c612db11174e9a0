// Must NOT compile (each line carries @ts-expect-error): proves the checks in
// type-checks.ts can fail.
import type { ServiceContext, User } from "../index.js";

// @ts-expect-error user may be null in a plain ServiceContext
export const userOfPlain = (ctx: ServiceContext): User => ctx.user;

import type { ServiceImplementation } from "nice-grpc";
import type { ServiceContextExt } from "../index.js";
import type { TestServiceDefinition } from "./gen/testsvc/v1/test_service.js";

type EchoImpl = ServiceImplementation<typeof TestServiceDefinition, ServiceContextExt>["echo"];
// @ts-expect-error a handler returning a field the response does not have is rejected
export const wrongResponse: EchoImpl = async () => ({ notAField: 1 });
