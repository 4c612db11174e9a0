// Discovery fixture: first of two CatalogService implementations.
import { CatalogServiceBase } from "../../../gen/testsvc/v1/test_service.grpc-cfg.js";

export class CatalogServiceA extends CatalogServiceBase {
  async writeRow() {
    return { id: 1 };
  }
  async countRows() {
    return { count: 1 };
  }
}
