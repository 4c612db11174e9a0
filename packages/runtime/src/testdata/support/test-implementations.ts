import { count } from "drizzle-orm";
import { Status } from "nice-grpc-common";
import { z } from "zod";
import { NotFoundError, ValidationError } from "../../index.js";
import type { AuthenticatedContext, DeepPartial, ServiceContext } from "../../index.js";
import {
  AccountServiceBase,
  CatalogServiceBase,
  TestServiceBase,
} from "../gen/testsvc/v1/test_service.grpc-cfg.js";
import type {
  CountRowsResponse,
  EchoRequest,
  EchoResponse,
  FailRequest,
  RepeatRequest,
  SlowRequest,
  WhoAmIResponse,
  WriteRowRequest,
  WriteRowResponse,
} from "../gen/testsvc/v1/test_service.js";
import { items, itemTags } from "./test-schema.js";

function whoAmI(ctx: ServiceContext): DeepPartial<WhoAmIResponse> {
  return {
    authenticated: ctx.user !== null,
    userId: ctx.user?.id ?? 0,
    username: ctx.user?.username ?? "",
    apiKeyId: ctx.apiKey?.id ?? 0,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      const error = new Error("The operation was aborted");
      error.name = "AbortError";
      reject(error);
    });
  });
}

function codedError(code: string, wrapped: boolean): Error {
  const driverError = Object.assign(new Error(`driver said ${code} at secret_table`), { code });
  if (!wrapped) return driverError;
  return new Error("Failed query: select * from secret_table", { cause: driverError });
}

async function writeRow(request: WriteRowRequest, ctx: ServiceContext) {
  if (request.name.startsWith("fk:")) {
    const [row] = await ctx.db
      .insert(itemTags)
      .values({ itemId: Number(request.name.slice(3)), tag: "t" })
      .returning({ id: itemTags.id });
    return { id: row?.id ?? 0 };
  }
  const [row] = await ctx.db
    .insert(items)
    .values({ name: request.name })
    .returning({ id: items.id });
  return { id: row?.id ?? 0 };
}

async function countRows(ctx: ServiceContext): Promise<DeepPartial<CountRowsResponse>> {
  const [row] = await ctx.db.select({ n: count() }).from(items);
  return { count: row?.n ?? 0 };
}

/** Implements every rpc of the test proto, exercising the helpers. */
export class TestService extends TestServiceBase {
  async echo(request: EchoRequest, ctx: ServiceContext): Promise<DeepPartial<EchoResponse>> {
    this.setTrailer(ctx, "x-echo-trailer", "yes");
    return { message: request.message, requestId: ctx.requestId };
  }
  async whoAmI(_: unknown, ctx: ServiceContext) {
    return whoAmI(ctx);
  }
  async requiredCall(_: unknown, ctx: ServiceContext) {
    this.requireUser(ctx);
    return whoAmI(ctx);
  }
  async staffCall(_: unknown, ctx: ServiceContext) {
    this.requireStaff(ctx);
    return whoAmI(ctx);
  }
  async superuserCall(_: unknown, ctx: ServiceContext) {
    this.requireSuperuser(ctx);
    return whoAmI(ctx);
  }
  async permissionCall(_: unknown, ctx: ServiceContext) {
    this.requirePermission(ctx, "testsvc.special");
    return whoAmI(ctx);
  }
  async fail(request: FailRequest, ctx: ServiceContext): Promise<DeepPartial<EchoResponse>> {
    const message = request.message || undefined;
    const [kind, arg = ""] = request.kind.split(":");
    switch (kind) {
      case "notFound":
        return this.notFound(message);
      case "permissionDenied":
        return this.permissionDenied(message);
      case "invalidArgument":
        return this.invalidArgument(message, {
          email: "must contain @",
          "address.zip": "5 digits",
        });
      case "unauthenticated":
        return this.unauthenticated(message);
      case "alreadyExists":
        return this.alreadyExists(message);
      case "failedPrecondition":
        return this.failedPrecondition(message);
      case "resourceExhausted":
        return this.resourceExhausted(message);
      case "unimplemented":
        return this.unimplemented(message);
      case "internal":
        return this.internal(message);
      case "aborted":
        return this.aborted(message);
      case "unavailable":
        return this.unavailable(message);
      case "deadlineExceeded":
        return this.deadlineExceeded(message);
      case "errorInfo":
        return this.abort(Status.RESOURCE_EXHAUSTED, "quota", {
          errorInfo: { reason: "QUOTA_EXCEEDED", domain: "testsvc", metadata: { limit: "10" } },
        });
      case "notFoundError":
        throw new NotFoundError("Order 42 not found");
      case "validation":
        throw new ValidationError("Bad order", { quantity: "must be positive" });
      case "zod":
        z.object({ age: z.number().int().min(0) }).parse({ age: -1 });
        break;
      case "sqlstate":
        throw codedError(arg, false);
      case "wrapped":
        throw codedError(arg, true);
      case "unexpected":
        throw new Error("secret internal detail: password=hunter2");
      case "abortError":
        // What a handler's own AbortController (its own timeout on a fetch) throws.
        throw Object.assign(new Error("secret: own timeout aborted"), { name: "AbortError" });
      case "namedError": {
        // A library's error that shares a name with one of the runtime's error classes.
        const error = new Error("secret: library text");
        error.name = arg;
        throw error;
      }
      case "coded":
        // A connection failure with the fields node:net and postgres.js give (JSON in message).
        throw Object.assign(new Error("connect failed: secret"), JSON.parse(message ?? "{}"));
      case "noDb":
        await ctx.db.select().from(items);
        break;
    }
    return { message: "no failure" };
  }
  async slow(request: SlowRequest, ctx: ServiceContext) {
    await sleep(request.delayMs, ctx.signal);
    return { message: `slept ${request.delayMs}` };
  }
  async *repeat(request: RepeatRequest, ctx: ServiceContext) {
    for (let i = 0; i < request.count; i++) {
      if (request.failAfter > 0 && i === request.failAfter) this.failedPrecondition("stream broke");
      yield { message: `${request.message} ${i}`, requestId: ctx.requestId };
    }
  }
  async collect(requests: AsyncIterable<EchoRequest>, _ctx?: ServiceContext) {
    const parts: string[] = [];
    for await (const request of requests) parts.push(request.message);
    return { message: parts.join(",") };
  }
  async *chat(requests: AsyncIterable<EchoRequest>, ctx: ServiceContext) {
    for await (const request of requests) {
      yield { message: `${ctx.user?.username ?? "anon"}: ${request.message}` };
    }
  }
  writeRow(request: WriteRowRequest, ctx: ServiceContext): Promise<DeepPartial<WriteRowResponse>> {
    return writeRow(request, ctx);
  }
  countRows(_: unknown, ctx: ServiceContext) {
    return countRows(ctx);
  }
}

/** Read-only: its writes must fail. */
export class CatalogService extends CatalogServiceBase {
  writeRow(request: WriteRowRequest, ctx: ServiceContext) {
    return writeRow(request, ctx);
  }
  countRows(_: unknown, ctx: ServiceContext) {
    return countRows(ctx);
  }
}

/** Auth required: ctx.user is typed non-null. */
export class AccountService extends AccountServiceBase {
  async me(_: unknown, ctx: AuthenticatedContext) {
    return { authenticated: true, userId: ctx.user.id, username: ctx.user.username };
  }
}
