import { inArray } from "drizzle-orm";
import type { Database } from "@grpc-cfg/runtime";
import { users } from "@grpc-cfg/store";
import { categories, products, userProfiles } from "./schema.js";
import { SEED_CATEGORIES, SEED_PRODUCTS, SEED_USERS } from "./seed-data.js";

/** What {@link seedShop} inserted this time (0s on a second run). */
export interface SeedReport {
  readonly categories: number;
  readonly products: number;
  readonly users: number;
}

/**
 * Inserts the demo categories, products and users (with profiles) in one transaction.
 * Idempotent: rows are matched by their natural keys (slug, product name, username) and
 * existing ones are left as they are, so running it again changes nothing. Needs the store's
 * and the shop's migrations applied.
 */
export async function seedShop(db: Database): Promise<SeedReport> {
  return db.transaction(async (tx) => {
    const newCategories = await tx
      .insert(categories)
      .values([...SEED_CATEGORIES])
      .onConflictDoNothing({ target: categories.slug })
      .returning({ id: categories.id });

    const categoryRows = await tx
      .select({ id: categories.id, slug: categories.slug })
      .from(categories)
      .where(
        inArray(
          categories.slug,
          SEED_CATEGORIES.map((c) => c.slug),
        ),
      );
    const categoryId = new Map(categoryRows.map((row) => [row.slug, row.id]));
    const newProducts = await tx
      .insert(products)
      .values(
        SEED_PRODUCTS.map(({ category, ...product }) => {
          const id = categoryId.get(category);
          if (id === undefined)
            throw new Error(`seed product "${product.name}": no category "${category}"`);
          return { ...product, categoryId: id };
        }),
      )
      .onConflictDoNothing({ target: products.name })
      .returning({ id: products.id });

    const newUsers = await tx
      .insert(users)
      .values(SEED_USERS.map(({ username, email, isStaff }) => ({ username, email, isStaff })))
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id, username: users.username });
    const byName = new Map(SEED_USERS.map((user) => [user.username, user]));
    if (newUsers.length > 0) {
      await tx
        .insert(userProfiles)
        .values(
          newUsers.flatMap((row) => {
            const seed = byName.get(row.username);
            if (!seed) return [];
            return [
              { userId: row.id, firstName: seed.firstName, lastName: seed.lastName, bio: seed.bio },
            ];
          }),
        )
        .onConflictDoNothing({ target: userProfiles.userId });
    }
    return {
      categories: newCategories.length,
      products: newProducts.length,
      users: newUsers.length,
    };
  });
}
