/**
 * Decodes google.rpc.Status (the `grpc-status-details-bin` trailer) and google.rpc.BadRequest
 * with protobufjs from a schema written here, so the clients that use it share no generated
 * code with the server.
 */
import protobuf from "protobufjs";

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { typeUrl: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: { type: "string", id: 2 },
                details: { rule: "repeated", type: "google.protobuf.Any", id: 3 },
              },
            },
            BadRequest: {
              fields: { fieldViolations: { rule: "repeated", type: "FieldViolation", id: 1 } },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: "string", id: 1 },
                    description: { type: "string", id: 2 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

const StatusType = root.lookupType("google.rpc.Status");
const BadRequestType = root.lookupType("google.rpc.BadRequest");

/** One detail of a status: its type name and encoded message. */
export interface StatusDetail {
  readonly type: string;
  readonly value: Uint8Array;
}

/** A decoded google.rpc.Status. */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details: StatusDetail[];
}

/** Decodes the bytes of a `grpc-status-details-bin` trailer. */
export function decodeStatus(bytes: Uint8Array): RpcStatus {
  const status = StatusType.toObject(StatusType.decode(bytes), { defaults: true }) as {
    code: number;
    message: string;
    details: { typeUrl: string; value: Uint8Array }[];
  };
  return {
    code: status.code,
    message: status.message,
    details: status.details.map((any) => ({
      type: any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1),
      value: any.value,
    })),
  };
}

/** The `field` of every violation in the google.rpc.BadRequest details, in order. */
export function badRequestFields(details: readonly StatusDetail[]): string[] {
  return details
    .filter((detail) => detail.type === "google.rpc.BadRequest")
    .flatMap((detail) => {
      const decoded = BadRequestType.toObject(BadRequestType.decode(detail.value), {
        defaults: true,
      }) as { fieldViolations: { field: string }[] };
      return decoded.fieldViolations.map((violation) => violation.field);
    });
}
