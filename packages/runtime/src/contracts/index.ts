export type * from "./method-table.js";
export type * from "./identity.js";
export type * from "./request-log.js";
export type * from "./database.js";
