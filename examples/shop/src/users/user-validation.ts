import type { FieldViolation } from "../shared/field-violation.js";

/** Same rule as the store's users table: 1–150 letters, digits or `_ . @ + -`. */
const USERNAME = /^[A-Za-z0-9_.@+-]{1,150}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Longest first or last name accepted. */
export const MAX_NAME_LENGTH = 150;
/** Longest bio accepted. */
export const MAX_BIO_LENGTH = 2000;

/** Profile fields as UpdateProfile and BatchCreateUsers carry them. */
export interface ProfileInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly bio?: string;
}

/** Checks profile fields; `prefix` is prepended to field paths (e.g. `requests[2].`). */
export function validateProfile(input: ProfileInput, prefix = ""): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (input.firstName.length > MAX_NAME_LENGTH) {
    violations.push({
      field: `${prefix}first_name`,
      description: `first_name must be at most ${MAX_NAME_LENGTH} characters`,
    });
  }
  if (input.lastName.length > MAX_NAME_LENGTH) {
    violations.push({
      field: `${prefix}last_name`,
      description: `last_name must be at most ${MAX_NAME_LENGTH} characters`,
    });
  }
  if (input.bio !== undefined && input.bio.length > MAX_BIO_LENGTH) {
    violations.push({
      field: `${prefix}bio`,
      description: `bio must be at most ${MAX_BIO_LENGTH} characters`,
    });
  }
  return violations;
}

/** A user to create, as BatchCreateUsers receives it. */
export interface NewUserInput extends ProfileInput {
  readonly username: string;
  readonly email: string;
}

/** Checks one new user; `prefix` names its position, e.g. `requests[2].`. */
export function validateNewUser(input: NewUserInput, prefix = ""): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!USERNAME.test(input.username)) {
    violations.push({
      field: `${prefix}username`,
      description: "username must be 1-150 letters, digits or _ . @ + -",
    });
  }
  if (input.email !== "" && (!EMAIL.test(input.email) || input.email.length > 254)) {
    violations.push({
      field: `${prefix}email`,
      description: "email must be an address like ana@example.com",
    });
  }
  return [...violations, ...validateProfile(input, prefix)];
}
