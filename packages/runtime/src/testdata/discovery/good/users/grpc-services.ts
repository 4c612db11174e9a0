// Discovery fixture: a TypeScript implementation module (re-exports the full test service).
export { TestService } from "../../../support/test-implementations.js";
