import type { RequestStatus } from "@grpc-cfg/runtime";
import type { StoredApiKeyView } from "../schemas/api-keys.js";
import type { Statistics } from "../schemas/common.js";
import type { MethodFigures, RequestLogView } from "../schemas/monitor.js";
import type { ServerView } from "../schemas/servers.js";

/** A time range `[from, to)` every figure is computed over. */
export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

/** Narrows figures to one service and/or one API key. */
export interface FiguresFilter {
  readonly service?: string;
  readonly apiKeyId?: number;
}

/** Per-service figures as read from the request log. */
export interface ServiceLogFigures {
  readonly service: string;
  readonly requests: number;
  readonly errors: number;
  readonly avgDurationMs: number | null;
  readonly p95Ms: number | null;
  readonly lastRequestAt: Date | null;
}

/** One timeline bucket as read from the request log. */
export interface TimelinePoint {
  readonly start: Date;
  readonly requests: number;
  readonly errors: number;
  readonly avgDurationMs: number | null;
  readonly p95Ms: number | null;
}

/** Filters and pagination of the request listing, already validated. */
export interface RequestListQuery {
  readonly service?: string;
  readonly method?: string;
  readonly status?: RequestStatus;
  /** User id or username. */
  readonly user?: string;
  /** API key id or name. */
  readonly apiKey?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly pageSize: number;
  /** Offset mode (1-based); ignored when `cursor` is set. */
  readonly page?: number;
  readonly cursor?: string;
}

/** A page of the request listing. `total` is null in cursor mode. */
export interface RequestListPage {
  readonly items: readonly RequestLogView[];
  readonly total: number | null;
  readonly nextCursor: string | null;
}

/** What a new key needs; `userId` is already resolved. */
export interface NewApiKey {
  readonly name: string;
  readonly userId: number;
  readonly expiresAt: Date | null;
}

/** A key plus its secret, returned once. */
export interface IssuedKey {
  readonly key: StoredApiKeyView;
  readonly secret: string;
}

/**
 * Everything the monitor reads and changes, in the API's own terms. The routes depend on this
 * port only; `createStoreData` implements it over @grpc-cfg/store. Methods that take an id
 * return null when there is no such row, so routes can answer 404.
 */
export interface MonitorData {
  /** Round-trips the database; rejects when it is unreachable. */
  ping(): Promise<void>;
  statistics(window: TimeWindow, filter?: FiguresFilter): Promise<Statistics>;
  serviceFigures(window: TimeWindow): Promise<ServiceLogFigures[]>;
  methodFigures(window: TimeWindow, filter?: FiguresFilter): Promise<MethodFigures[]>;
  /** Every bucket of the window in order, empty ones with zero counts. */
  timeline(
    window: TimeWindow,
    interval: "hour" | "day",
    filter?: FiguresFilter,
  ): Promise<TimelinePoint[]>;
  listRequests(query: RequestListQuery): Promise<RequestListPage>;
  /** Every known server instance, newest first, `current` set for `currentId`. */
  servers(currentId: string): Promise<ServerView[]>;
  /** Resolves a user id or username to an id; null when no such user. */
  findUserId(ref: number | string): Promise<number | null>;
  listKeys(filter: { userId?: number; includeRevoked: boolean }): Promise<StoredApiKeyView[]>;
  getKey(id: number): Promise<StoredApiKeyView | null>;
  createKey(input: NewApiKey): Promise<IssuedKey>;
  revokeKey(id: number): Promise<StoredApiKeyView | null>;
  /**
   * Issues a replacement; the old key keeps working for `graceSeconds` (0 = stops now). Null
   * when there is no such key.
   */
  rotateKey(
    id: number,
    graceSeconds: number,
  ): Promise<{ issued: IssuedKey; replaced: StoredApiKeyView } | null>;
}
