import type { AuthResult, Identity } from "@grpc-cfg/runtime";

/** Test helper: the identity of an accepted credential; throws, showing the result, otherwise. */
export function expectOk(result: AuthResult | null): Identity {
  if (!result?.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.identity;
}
