import type { FieldViolation } from "../shared/field-violation.js";

/** Most units of one product a single order line may ask for; keeps totals far from overflow. */
export const MAX_QUANTITY_PER_LINE = 10_000;

/** Most lines one order may have. */
export const MAX_LINES_PER_ORDER = 100;

/** The parts of a CreateOrder line this check needs. */
export interface OrderLineInput {
  readonly productId: number;
  readonly quantity: number;
}

/**
 * Checks the lines of a CreateOrder request before touching the database. Returns every
 * violation at once (not just the first) so a client can fix its request in one go.
 */
export function validateOrderLines(items: readonly OrderLineInput[]): FieldViolation[] {
  if (items.length === 0) {
    return [{ field: "items", description: "an order needs at least one item" }];
  }
  if (items.length > MAX_LINES_PER_ORDER) {
    return [
      { field: "items", description: `an order can have at most ${MAX_LINES_PER_ORDER} items` },
    ];
  }
  const violations: FieldViolation[] = [];
  items.forEach((item, index) => {
    if (!Number.isSafeInteger(item.productId) || item.productId <= 0) {
      violations.push({
        field: `items[${index}].product_id`,
        description: "product_id must be a positive id",
      });
    }
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      violations.push({
        field: `items[${index}].quantity`,
        description: "quantity must be greater than 0",
      });
    } else if (item.quantity > MAX_QUANTITY_PER_LINE) {
      violations.push({
        field: `items[${index}].quantity`,
        description: `quantity must be at most ${MAX_QUANTITY_PER_LINE}`,
      });
    }
  });
  return violations;
}
