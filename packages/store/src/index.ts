/**
 * @grpc-cfg/store — the data layer: Drizzle schema and migrations over PGlite or PostgreSQL,
 * users, API keys (authenticator), JWT authenticator, request logs (sink + queries) and
 * server instances. Start with {@link openStore}.
 */
export { openStore, DEFAULT_DATA_DIR, IN_MEMORY } from "./store.js";
export { StoreError, sqlState } from "./errors.js";
export { stderrLogger, silentLogger } from "./logger.js";
export { parseDuration, formatDuration } from "./duration.js";
export {
  migrationPlan,
  storeMigrationsFolder,
  MIGRATIONS_SCHEMA,
  STORE_MIGRATIONS_TABLE,
} from "./migrate.js";
export { users, userPermissions, apiKeys, requestLogs, serverInstances } from "./schema/index.js";
export { UsersRepository, toRuntimeUser } from "./users/users-repository.js";
export { ApiKeysRepository } from "./api-keys/api-keys-repository.js";
export { ApiKeyAuthenticator } from "./api-keys/api-key-authenticator.js";
export { KEY_PREFIX, isWellFormedKey, hashKey } from "./api-keys/key-format.js";
export { SECRET_KEY_ENV } from "./api-keys/secret-key.js";
export { JwtAuthenticator } from "./jwt/jwt-authenticator.js";
export { RequestLogsRepository } from "./request-logs/request-logs-repository.js";
export { DatabaseRequestLogSink, MAX_LOG_BATCH_SIZE } from "./request-logs/request-log-sink.js";
export { REQUEST_STATUSES } from "@grpc-cfg/runtime";
export { logEntryColumns } from "./request-logs/log-listing.js";
export { InstancesRepository } from "./instances/instances-repository.js";
export { InstanceHandle } from "./instances/instance-handle.js";
export { CHANGE_CHANNEL } from "./change-feed.js";

export type { Store, StoreOptions, RegisterInstanceOptions } from "./store.js";
export type { StoreErrorCode } from "./errors.js";
export type { StoreLogger } from "./logger.js";
export type { QueryListener } from "./connection/connection.js";
export type { PostgresPoolOptions } from "./connection/open-postgres.js";
export type { AppMigrationFolder, MigrationFolderReport } from "./migrate.js";
export type { PlannedMigrationFolder } from "./migration-tables.js";
export type {
  UserRecord,
  CreateUserInput,
  UpdateUserInput,
  UserRef,
} from "./users/users-repository.js";
export type { ApiKeyRecord, ApiKeyStatus } from "./api-keys/api-key-records.js";
export type {
  CreateApiKeyInput,
  CreatedApiKey,
  ListApiKeysOptions,
  KeyUsage,
} from "./api-keys/api-keys-repository.js";
export type {
  ApiKeyAuthenticatorOptions,
  ApiKeyAuthenticatorStats,
} from "./api-keys/api-key-authenticator.js";
export type { SecretKeyOptions } from "./api-keys/secret-key.js";
export type { JwtAuthenticatorOptions } from "./jwt/jwt-authenticator.js";
export type { RequestLogSinkOptions } from "./request-logs/request-log-sink.js";
export type { LogFilter, TimeRange } from "./request-logs/log-filters.js";
export type { ListLogsOptions, LogPage, RequestLogEntry } from "./request-logs/log-listing.js";
export type { LogCount } from "./request-logs/log-count.js";
export type {
  CallFigures,
  RequestStatistics,
  ServiceStatistics,
  MethodStatistics,
  TimelinePoint,
  TimelineBucket,
} from "./request-logs/log-statistics.js";
export type {
  RegisterInstanceInput,
  ServerInstanceRecord,
  InstanceStatus,
  ListInstancesOptions,
} from "./instances/instances-repository.js";
export type { ChangeEvent } from "./change-feed.js";
