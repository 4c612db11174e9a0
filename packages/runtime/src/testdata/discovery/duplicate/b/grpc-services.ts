// Discovery fixture: second of two CatalogService implementations.
import { CatalogServiceBase } from "../../../gen/testsvc/v1/test_service.grpc-cfg.js";

export class CatalogServiceB extends CatalogServiceBase {
  async writeRow() {
    return { id: 2 };
  }
  async countRows() {
    return { count: 2 };
  }
}
