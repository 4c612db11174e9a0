/** The store's Drizzle schema. Apps reference these tables (e.g. FKs to `users.id`). */
export { users, userPermissions } from "./users.js";
export { apiKeys } from "./api-keys.js";
export { requestLogs } from "./request-logs.js";
export { serverInstances } from "./server-instances.js";
