/** gRPC status code names by number, as go-grpc-prometheus and grpc-ecosystem dashboards label them. */
const GRPC_CODE_NAMES: readonly string[] = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
];

/** Name of a numeric gRPC status code (`5` → `NotFound`); unknown numbers render as `Code(n)`. */
export function grpcCodeName(code: number): string {
  return GRPC_CODE_NAMES[code] ?? `Code(${code})`;
}

/**
 * The `grpc_type` label value go-grpc-prometheus uses for each call kind; `unknown` (a call to
 * a method the server does not serve) has no counterpart there and keeps its name.
 */
export function grpcTypeLabel(callKind: string): string {
  switch (callKind) {
    case "unknown":
      return "unknown";
    case "server-stream":
      return "server_stream";
    case "client-stream":
      return "client_stream";
    case "bidi":
      return "bidi_stream";
    default:
      return "unary";
  }
}
