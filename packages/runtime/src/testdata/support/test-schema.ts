import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";

/** Rows the test services write. `name` is unique (for 23505). */
export const items = pgTable("items", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
});

/** References items (for 23503). */
export const itemTags = pgTable("item_tags", {
  id: serial("id").primaryKey(),
  itemId: integer("item_id")
    .notNull()
    .references(() => items.id),
  tag: text("tag").notNull(),
});

/** DDL for the tables above. */
export const CREATE_TABLES = `
  CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
  CREATE TABLE item_tags (id serial PRIMARY KEY, item_id integer NOT NULL REFERENCES items(id), tag text NOT NULL);
`;
