/** Small helpers the shop's tests share for calling and inspecting gRPC. */
import { ClientError } from "nice-grpc";
import { RichClientError } from "nice-grpc-error-details";

/** Runs `call` and returns the gRPC error it fails with; throws if it succeeds. */
export async function grpcError(call: () => Promise<unknown>): Promise<ClientError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ClientError) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The `field` of every google.rpc.BadRequest violation the error carries, in order. */
export function violatedFields(error: ClientError): string[] {
  if (!(error instanceof RichClientError)) return [];
  return error.extra.flatMap((detail) =>
    detail.$type === "google.rpc.BadRequest" ? detail.fieldViolations.map((v) => v.field) : [],
  );
}

/** An async iterable over `items`, for client-streaming calls. */
export async function* streamOf<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Reads a server stream to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
