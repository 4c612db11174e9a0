/**
 * Response types of the monitor API, inferred from the same zod schemas the server validates
 * and documents with, so the dashboard cannot drift from the API.
 */
import type { z } from "zod";
import type { ErrorBodySchema } from "../../src/http/errors.js";
import type {
  ApiKeySchema,
  ApiKeysSchema,
  ApiKeyStatsSchema,
  IssuedApiKeySchema,
  RotatedApiKeySchema,
} from "../../src/schemas/api-keys.js";
import type {
  MethodFiguresSchema,
  MethodsSchema,
  MonitorHealthSchema,
  OverviewSchema,
  RequestLogSchema,
  ServiceFiguresSchema,
  TimelineSchema,
} from "../../src/schemas/monitor.js";
import type { RequestsPageSchema } from "../../src/schemas/requests.js";
import type { ServerSchema, ServersSchema } from "../../src/schemas/servers.js";
import type { ServiceDetailSchema, ServicesSchema } from "../../src/schemas/services.js";

export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export type ApiKey = z.infer<typeof ApiKeySchema>;
export type ApiKeys = z.infer<typeof ApiKeysSchema>;
export type ApiKeyStats = z.infer<typeof ApiKeyStatsSchema>;
export type IssuedApiKey = z.infer<typeof IssuedApiKeySchema>;
export type RotatedApiKey = z.infer<typeof RotatedApiKeySchema>;
export type MethodFigures = z.infer<typeof MethodFiguresSchema>;
export type Methods = z.infer<typeof MethodsSchema>;
export type MonitorHealth = z.infer<typeof MonitorHealthSchema>;
export type Overview = z.infer<typeof OverviewSchema>;
export type RequestLog = z.infer<typeof RequestLogSchema>;
export type ServiceFigures = z.infer<typeof ServiceFiguresSchema>;
export type Timeline = z.infer<typeof TimelineSchema>;
export type RequestsPage = z.infer<typeof RequestsPageSchema>;
export type Server = z.infer<typeof ServerSchema>;
export type Servers = z.infer<typeof ServersSchema>;
export type ServiceDetail = z.infer<typeof ServiceDetailSchema>;
export type Services = z.infer<typeof ServicesSchema>;
