// Public API of @grpc-cfg/runtime. Names generated code uses: see generated-code-api.ts.
export type * from "./contracts/index.js";
export { CALL_KINDS } from "./contracts/method-table.js";
export { LOGGED_CALL_KINDS, REQUEST_STATUSES } from "./contracts/request-log.js";

// ---- used by generated code -------------------------------------------------------------
export type { DeepPartial } from "./generated-code-api.js";
export { RESERVED_MEMBER_NAMES } from "./generated-code-api.js";
export type {
  ServiceContext,
  ServiceContextExt,
  AuthenticatedContext,
  AuthenticatedContextExt,
} from "./context/service-context.js";
export { BaseService } from "./service/base-service.js";
export { ReadOnlyService } from "./service/read-only-service.js";
export { AuthRequiredService } from "./service/auth-required-service.js";

// ---- errors and helpers for handlers ----------------------------------------------------
export type {
  AbortOptions,
  ErrorInfoInput,
  FieldViolationInput,
  FieldViolations,
} from "./errors/abort.js";
export {
  abort,
  notFound,
  permissionDenied,
  invalidArgument,
  unauthenticated,
  alreadyExists,
  failedPrecondition,
  resourceExhausted,
  unimplemented,
  internal,
  aborted,
  unavailable,
  deadlineExceeded,
  badRequestDetail,
} from "./errors/abort.js";
export { NotFoundError, ValidationError } from "./errors/app-errors.js";
export { DatabaseNotConfiguredError } from "./context/missing-database.js";
export type { DatabaseEndpoint } from "./errors/database-endpoints.js";
export type { ErrorMappingContext } from "./errors/map-error.js";
export { toServerError } from "./errors/map-error.js";
export {
  SQLSTATE,
  findErrorCode,
  isConnectionErrorCode,
  isUnavailableCode,
} from "./errors/sqlstate.js";
export type { ClientAddressSource } from "./context/metadata.js";
export {
  getMetadataValue,
  setResponseHeader,
  setResponseTrailer,
  parsePeerAddress,
  resolveClientAddress,
} from "./context/metadata.js";

// ---- logging ----------------------------------------------------------------------------
export type { Logger, LogLevel, LogFields, JsonLoggerOptions } from "./logging/logger.js";
export { createJsonLogger, createSilentLogger, serializeError } from "./logging/logger.js";

// ---- middleware (the server wires these; exported for custom servers and tests) ---------
export type { CallState, RouteInfo, RouteResolver } from "./middleware/call-state.js";
export { REQUEST_ID_HEADER, pickRequestId } from "./middleware/request-id.js";
export { readCredential } from "./middleware/authentication.js";

// ---- config -----------------------------------------------------------------------------
export type {
  GrpcCfgConfig,
  ResolvedConfig,
  ServerConfig,
  TlsConfig,
  ConnectionsConfig,
  KeepaliveConfig,
  DatabaseConfig,
  MigrationFolderConfig,
  ResolvedMigrationFolder,
  AuthConfig,
  AuthFailureLimitConfig,
  SecretKeyConfig,
  JwtConfig,
  LoggingConfig,
  MonitorConfig,
  InstanceConfig,
  MiddlewareConfig,
  GenerateConfig,
} from "./config/config-types.js";
export { defineConfig } from "./config/config-types.js";
export type { ResolveConfigOptions } from "./config/resolve-config.js";
export { resolveConfig } from "./config/resolve-config.js";
export type { LoadConfigOptions } from "./config/load-config.js";
export { loadConfig, findConfigFile, CONFIG_FILE_NAMES } from "./config/load-config.js";
export { ConfigError, SECRET_CONFIG_PATHS } from "./config/config-error.js";
export type { EnvOverride } from "./config/env-overrides.js";
export { ENV_OVERRIDES } from "./config/env-overrides.js";

// ---- discovery --------------------------------------------------------------------------
export type {
  DiscoveredService,
  DiscoveryOptions,
  DiscoveryResult,
} from "./discovery/discover-services.js";
export { discoverServices, DiscoveryError } from "./discovery/discover-services.js";
export { findServiceModules, SERVICE_MODULE_NAMES } from "./discovery/find-service-modules.js";
export type { LoadedManifest } from "./discovery/load-manifest.js";
export { loadManifest, MANIFEST_FILE_NAMES } from "./discovery/load-manifest.js";
export { importModule } from "./discovery/module-loader.js";

// ---- server -----------------------------------------------------------------------------
export type {
  CreateServerOptions,
  GrpcCfgServer,
  ListenAddress,
  ServerDescription,
} from "./server/create-server.js";
export { createServer } from "./server/create-server.js";
export type { MethodDescription, ServiceDescription } from "./server/register-services.js";
export type { ServerHealth } from "./server/health.js";
export type { BannerInfo } from "./server/banner.js";
export { startBanner } from "./server/banner.js";
export { ListenError, probeListen, toListenError } from "./server/listen-error.js";
export type { ProcessFaultHandlers, ProcessFaultOptions } from "./server/process-faults.js";
export { handleProcessFaults } from "./server/process-faults.js";
export type {
  StartedServer,
  WorkerRun,
  RunWorkersOptions,
  WorkerStart,
  WorkerDeath,
} from "./server/workers.js";
export { runWorkers } from "./server/workers.js";
export type { ClusterAnswer, ClusterAnswers } from "./server/cluster-gather.js";
export { gatherFromCluster, provideToCluster } from "./server/cluster-gather.js";
export type { WorkerSlot } from "./server/worker-slot.js";
export { currentWorkerSlot } from "./server/worker-slot.js";

// ---- test and example helpers -----------------------------------------------------------
export type { InMemoryKey, UserInput } from "./testing/in-memory-authenticator.js";
export { InMemoryAuthenticator, createUser } from "./testing/in-memory-authenticator.js";
export { MemoryLogSink } from "./testing/memory-log-sink.js";
