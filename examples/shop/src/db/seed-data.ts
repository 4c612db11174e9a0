/** Demo data of the shop: a few categories, products and users. Prices in cents. */

/** A category to seed. */
export interface SeedCategory {
  readonly slug: string;
  readonly name: string;
}

/** A product to seed; `category` is a category slug. */
export interface SeedProduct {
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly priceCents: number;
  readonly stock: number;
}

/** A user to seed, with profile. */
export interface SeedUser {
  readonly username: string;
  readonly email: string;
  readonly isStaff: boolean;
  readonly firstName: string;
  readonly lastName: string;
  readonly bio: string;
}

export const SEED_CATEGORIES: readonly SeedCategory[] = [
  { slug: "electronics", name: "Electronics" },
  { slug: "books", name: "Books" },
  { slug: "kitchen", name: "Home & Kitchen" },
  { slug: "outdoor", name: "Outdoor" },
];

export const SEED_PRODUCTS: readonly SeedProduct[] = [
  {
    name: "Wireless Noise-Cancelling Headphones",
    category: "electronics",
    description: "Over-ear Bluetooth headphones with 30-hour battery life.",
    priceCents: 19_999,
    stock: 25,
  },
  {
    name: "USB-C Charging Cable (2 m)",
    category: "electronics",
    description: "Braided USB-C to USB-C cable, 60 W power delivery.",
    priceCents: 1_299,
    stock: 200,
  },
  {
    name: "Mechanical Keyboard",
    category: "electronics",
    description: "Tenkeyless keyboard with hot-swappable brown switches.",
    priceCents: 8_950,
    stock: 40,
  },
  {
    name: "Designing Data-Intensive Applications",
    category: "books",
    description: "Martin Kleppmann on the big ideas behind reliable, scalable systems.",
    priceCents: 4_499,
    stock: 60,
  },
  {
    name: "The Pragmatic Programmer",
    category: "books",
    description: "20th anniversary edition of the classic on software craftsmanship.",
    priceCents: 3_995,
    stock: 35,
  },
  {
    name: "Cast Iron Skillet (26 cm)",
    category: "kitchen",
    description: "Pre-seasoned cast iron pan for stovetop, oven and campfire.",
    priceCents: 3_450,
    stock: 50,
  },
  {
    name: "Pour-Over Coffee Kettle",
    category: "kitchen",
    description: "Gooseneck stainless steel kettle, 1 litre, with thermometer.",
    priceCents: 4_900,
    stock: 30,
  },
  {
    name: "Ultralight Camping Tent",
    category: "outdoor",
    description: "Two-person, three-season tent weighing 1.3 kg.",
    priceCents: 24_900,
    stock: 12,
  },
  {
    name: "Insulated Water Bottle (750 ml)",
    category: "outdoor",
    description: "Keeps drinks cold for 24 hours or hot for 12.",
    priceCents: 2_495,
    stock: 150,
  },
];

export const SEED_USERS: readonly SeedUser[] = [
  {
    username: "alice",
    email: "alice@example.com",
    isStaff: true,
    firstName: "Alice",
    lastName: "Moreau",
    bio: "Store manager. Ask me about returns.",
  },
  {
    username: "bob",
    email: "bob@example.com",
    isStaff: false,
    firstName: "Bob",
    lastName: "Okafor",
    bio: "Weekend hiker and coffee snob.",
  },
  {
    username: "carol",
    email: "carol@example.com",
    isStaff: false,
    firstName: "Carol",
    lastName: "Nguyen",
    bio: "",
  },
];
