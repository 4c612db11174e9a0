import { StoreError } from "../errors.js";

const USERNAME = /^[A-Za-z0-9_.@+-]{1,150}$/;
const CODENAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Throws unless `username` is 1–150 of letters, digits and `_ . @ + -`, not all digits: an
 * all-digit name would read as a user id (the CLI takes either, a JWT `sub` claim too), and a
 * user named "2" would be confused with user 2.
 */
export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new StoreError(
      "invalid-argument",
      `invalid username "${username}": use 1-150 letters, digits or _ . @ + -`,
    );
  }
  if (/^\d+$/.test(username)) {
    throw new StoreError(
      "invalid-argument",
      `invalid username "${username}": it must not be all digits, which reads as a user id`,
    );
  }
}

/** Throws unless `email` looks like an address (one @, no spaces). */
export function checkEmail(email: string): void {
  if (!EMAIL.test(email) || email.length > 254) {
    throw new StoreError("invalid-argument", `invalid email "${email}"`);
  }
}

/** Throws unless every codename is like `orders.create_order` (no spaces, ≤200 chars). */
export function checkCodenames(codenames: readonly string[]): void {
  if (codenames.length === 0) {
    throw new StoreError(
      "invalid-argument",
      "name at least one permission, e.g. orders.create_order",
    );
  }
  for (const codename of codenames) {
    if (!CODENAME.test(codename)) {
      throw new StoreError(
        "invalid-argument",
        `invalid permission "${codename}": use letters, digits and _ . : - (e.g. orders.create_order)`,
      );
    }
  }
}
