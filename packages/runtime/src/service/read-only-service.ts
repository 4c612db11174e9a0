import { BaseService } from "./base-service.js";

/**
 * Base of services whose every method only reads. Enforced, not a label: `ctx.db` is the
 * provider's read-only handle, so a write fails with FAILED_PRECONDITION naming the service.
 */
export abstract class ReadOnlyService extends BaseService {}
