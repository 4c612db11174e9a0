// Discovery fixture: services/grpc.ts naming convention.
import { CatalogServiceBase } from "../../../../gen/testsvc/v1/test_service.grpc-cfg.js";

export class CatalogService extends CatalogServiceBase {
  async writeRow() {
    return { id: 0 };
  }
  async countRows() {
    return { count: 42 };
  }
}

/** Not a service: discovery must ignore it. */
export class Helper {}
export const notAClass = 1;
