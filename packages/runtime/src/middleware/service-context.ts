import type { CallContext, Metadata } from "nice-grpc-common";
import type { Database, DatabaseProvider } from "../contracts/database.js";
import type { ApiKeyInfo, Identity, User } from "../contracts/identity.js";
import type { MethodPolicy } from "../contracts/method-table.js";
import type { ServiceContextExt } from "../context/service-context.js";
import { LazyChildLogger } from "../context/lazy-logger.js";
import { createMissingDatabase } from "../context/missing-database.js";
import type { Logger } from "../logging/logger.js";
import type { CallState, CallStateExt } from "./call-state.js";
import { isReadOnlyMethod } from "./call-state.js";

const NO_DATABASE =
  "No database is configured: ctx.db is unavailable. Set database.url (or DATABASE_URL) or " +
  "pass a DatabaseProvider to createServer().";

/** The context keys nice-grpc creates; anything else on a call's context came from middleware. */
const CALL_CONTEXT_KEYS = new Set([
  "metadata",
  "peer",
  "header",
  "sendHeader",
  "trailer",
  "signal",
]);

/**
 * The context a handler receives: nice-grpc's {@link CallContext} plus the runtime's
 * {@link ServiceContextExt}. Built once per call as one object of a fixed shape: spreading
 * the call context and an extension object into a literal cost more CPU than the rest of
 * the pipeline together. Every member is an own data property, so `{ ...ctx }` in user
 * middleware copies all of it.
 */
export class HandlerContext implements CallContext, ServiceContextExt, CallStateExt {
  readonly metadata: Metadata;
  readonly peer: string;
  readonly header: Metadata;
  readonly sendHeader: () => void;
  readonly trailer: Metadata;
  readonly signal: AbortSignal;
  readonly callState: CallState;
  readonly user: User | null;
  readonly apiKey: ApiKeyInfo | null;
  readonly identity: Identity | null;
  readonly requestId: string;
  readonly db: Database;
  readonly log: Logger;
  readonly methodPolicy: MethodPolicy | null;
  readonly clientAddress: string | null;

  constructor(base: CallContext, state: CallState, requestId: string, db: Database, log: Logger) {
    this.metadata = base.metadata;
    this.peer = base.peer;
    this.header = base.header;
    this.sendHeader = base.sendHeader;
    this.trailer = base.trailer;
    this.signal = base.signal;
    this.callState = state;
    const identity = state.identity;
    this.user = identity?.user ?? null;
    this.apiKey = identity?.apiKey ?? null;
    this.identity = identity;
    this.requestId = requestId;
    this.db = db;
    this.log = log;
    this.methodPolicy = state.route?.policy ?? null;
    this.clientAddress = state.clientAddress;
  }
}

/** Builds the handler's context for one call; see {@link createHandlerContextFactory}. */
export type HandlerContextFactory = (
  base: CallContext,
  state: CallState,
  path: string,
  requestId: string,
) => HandlerContext;

/** Options of {@link createHandlerContextFactory}. */
export interface HandlerContextOptions {
  /** Null when the server runs without a database: `ctx.db` then throws a clear error. */
  readonly database: DatabaseProvider | null;
  readonly logger: Logger;
  /**
   * True when user `before` middleware runs ahead of the pipeline: members it added to the
   * context are then carried over to the handler's context.
   */
  readonly keepExtraMembers: boolean;
}

/**
 * The factory of handler contexts. The database handle is the read-only one for
 * ReadOnlyService and for read-only methods.
 */
export function createHandlerContextFactory(options: HandlerContextOptions): HandlerContextFactory {
  const missing = createMissingDatabase(NO_DATABASE);
  const { database, logger, keepExtraMembers } = options;
  return (base, state, path, requestId) => {
    const route = state.route;
    const readOnly = route !== null && isReadOnlyMethod(route.baseKind, route.policy);
    const db = database === null ? missing : readOnly ? database.readOnly : database.db;
    const log = new LazyChildLogger(logger, { requestId, path });
    const context = new HandlerContext(base, state, requestId, db, log);
    if (keepExtraMembers) copyExtraMembers(base, context);
    return context;
  };
}

function copyExtraMembers(base: CallContext, context: HandlerContext): void {
  const target = context as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(base)) {
    if (!CALL_CONTEXT_KEYS.has(key) && !(key in target)) target[key] = value;
  }
}
