// Discovery fixture: implements only CatalogService of the three test services.
export { CatalogService } from "../good/catalog/services/grpc.js";
