export type * from "./contracts/index.js";
