import type { AuthenticatedContext, DeepPartial, ServiceContext } from "@grpc-cfg/runtime";
import { UserServiceBase } from "../gen/shop/v1/users.grpc-cfg.js";
import type {
  BatchCreateUsersRequest,
  BatchCreateUsersResponse,
  DeleteUserRequest,
  DeleteUserResponse,
  GetUserRequest,
  GetUserResponse,
  ListUsersRequest,
  ListUsersResponse,
  UpdateProfileRequest,
  UpdateProfileResponse,
} from "../gen/shop/v1/users.js";
import type { FieldViolation } from "../shared/field-violation.js";
import { sqlStateOf, UNIQUE_VIOLATION } from "../shared/sql-state.js";
import { createUsers, deleteUser, findUser, iterateUsers, saveProfile } from "./user-repository.js";
import { validateNewUser, validateProfile } from "./user-validation.js";
import type { NewUserInput } from "./user-validation.js";

/** Most users one BatchCreateUsers call may create (the whole batch is one transaction). */
export const MAX_BATCH_SIZE = 1000;

/**
 * shop.v1.UserService. Who may call what is declared in users.proto and enforced by the
 * runtime before a handler runs; handlers add the rules that depend on data.
 */
export class UserService extends UserServiceBase {
  async handleGetUser(request: GetUserRequest, ctx: ServiceContext): Promise<GetUserResponse> {
    const found = request.userId > 0 ? await findUser(ctx.db, request.userId) : null;
    if (!found) return this.notFound(`User ${request.userId} not found`);
    return { user: found.message };
  }

  async updateProfile(
    request: UpdateProfileRequest,
    ctx: AuthenticatedContext,
  ): Promise<UpdateProfileResponse> {
    const violations = validateProfile(request);
    if (violations.length > 0) this.invalidArgument("Invalid profile", violations);
    // Always the caller's own profile: the request carries no user id to tamper with.
    const saved = await saveProfile(ctx.db, ctx.user.id, {
      firstName: request.firstName,
      lastName: request.lastName,
      bio: request.bio,
    });
    if (!saved) return this.notFound(`User ${ctx.user.id} no longer exists`);
    return { user: saved.message };
  }

  async deleteUser(
    request: DeleteUserRequest,
    ctx: AuthenticatedContext,
  ): Promise<DeleteUserResponse> {
    if (request.userId === ctx.user.id) {
      this.failedPrecondition("You cannot delete your own account");
    }
    const target = request.userId > 0 ? await findUser(ctx.db, request.userId) : null;
    if (!target) return this.notFound(`User ${request.userId} not found`);
    if (target.isSuperuser && !ctx.user.isSuperuser) {
      this.permissionDenied("Only a superuser can delete a superuser");
    }
    const deleted = await deleteUser(ctx.db, request.userId);
    if (!deleted) return this.notFound(`User ${request.userId} not found`);
    return { success: true };
  }

  async *listUsers(
    request: ListUsersRequest,
    ctx: AuthenticatedContext,
  ): AsyncGenerator<DeepPartial<ListUsersResponse>> {
    // Deactivated accounts are staff business.
    if (request.includeInactive) this.requireStaff(ctx);
    for await (const user of iterateUsers(ctx.db, { includeInactive: request.includeInactive })) {
      if (ctx.signal.aborted) return;
      yield { user };
    }
  }

  async batchCreateUsers(
    requests: AsyncIterable<BatchCreateUsersRequest>,
    ctx: AuthenticatedContext,
  ): Promise<BatchCreateUsersResponse> {
    const inputs: NewUserInput[] = [];
    const violations: FieldViolation[] = [];
    const positionOf = new Map<string, number>();
    for await (const request of requests) {
      const index = inputs.length;
      if (index >= MAX_BATCH_SIZE) {
        this.resourceExhausted(`A batch can create at most ${MAX_BATCH_SIZE} users`);
      }
      violations.push(...validateNewUser(request, `requests[${index}].`));
      const earlier = positionOf.get(request.username);
      if (earlier !== undefined) {
        this.alreadyExists(
          `Username "${request.username}" appears twice in the batch (messages ${earlier} and ${index}); nothing was created`,
        );
      }
      positionOf.set(request.username, index);
      inputs.push({ ...request, bio: "" });
    }
    if (violations.length > 0) this.invalidArgument("Invalid users in batch", violations);
    try {
      const created = await createUsers(ctx.db, inputs, (taken) =>
        this.alreadyExists(
          `Username${taken.length > 1 ? "s" : ""} already taken: ${taken.join(", ")}; nothing was created`,
        ),
      );
      return { createdCount: created };
    } catch (error) {
      // Lost a race with a concurrent creation of the same name: still nothing was created.
      if (sqlStateOf(error) === UNIQUE_VIOLATION) {
        this.alreadyExists("A username in the batch was taken meanwhile; nothing was created");
      }
      throw error;
    }
  }
}
