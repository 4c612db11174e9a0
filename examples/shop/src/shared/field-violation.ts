/**
 * One problem with one request field, shaped like google.rpc.BadRequest.FieldViolation so it
 * can be passed straight to the runtime's `invalidArgument(message, violations)`.
 */
export interface FieldViolation {
  /** Path of the field as named in the proto, e.g. `items[2].quantity`. */
  readonly field: string;
  readonly description: string;
}
