import type { DeepPartial, ServiceContext } from "@grpc-cfg/runtime";
import { ProductCatalogServiceBase } from "../gen/shop/v1/catalog.grpc-cfg.js";
import type {
  GetProductRequest,
  GetProductResponse,
  SearchProductsRequest,
  SearchProductsResponse,
} from "../gen/shop/v1/catalog.js";
import { findActiveProduct, searchActiveProducts } from "./product-queries.js";
import { parseSearchRequest } from "./search-filters.js";

/**
 * shop.v1.ProductCatalogService: a ReadOnlyService, so `ctx.db` here is the read-only handle
 * and any accidental write fails instead of changing data.
 */
export class ProductCatalogService extends ProductCatalogServiceBase {
  async getProduct(request: GetProductRequest, ctx: ServiceContext): Promise<GetProductResponse> {
    if (request.productId <= 0) {
      this.invalidArgument("Invalid product id", {
        product_id: "product_id must be a positive id",
      });
    }
    const product = await findActiveProduct(ctx.db, request.productId);
    if (!product) return this.notFound(`Product ${request.productId} not found`);
    return { product };
  }

  async *searchProducts(
    request: SearchProductsRequest,
    ctx: ServiceContext,
  ): AsyncGenerator<DeepPartial<SearchProductsResponse>> {
    const parsed = parseSearchRequest(request);
    if (!parsed.ok) return this.invalidArgument("Invalid search", parsed.violations);
    // At most 100 rows: fetched in one query, then streamed.
    for (const product of await searchActiveProducts(ctx.db, parsed.filters)) {
      if (ctx.signal.aborted) return;
      yield { product };
    }
  }
}
