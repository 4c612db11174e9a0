/** Test helper: a registry shaped like the generated manifest of the shop example. */
import type { CallKind, MethodPolicy, MethodTable } from "@grpc-cfg/runtime";
import type { ServiceRegistry } from "../routes/route-context.js";

function method(
  service: string,
  name: string,
  callKind: CallKind,
  extra: Partial<MethodPolicy> = {},
): MethodPolicy {
  const key = name.charAt(0).toLowerCase() + name.slice(1);
  return {
    name,
    path: `/${service}/${name}`,
    definitionKey: key,
    handler: key,
    callKind,
    auth: "public",
    staffOnly: false,
    superuserOnly: false,
    permission: null,
    readOnly: false,
    ...extra,
  };
}

function table(service: string, methods: MethodPolicy[]): MethodTable {
  return Object.fromEntries(methods.map((m) => [m.name, m]));
}

const USER = "shop.v1.UserService";
const CHAT = "shop.v1.ChatService";

/** UserService (GetUser, ListUsers, DeleteUser) and ChatService (Chat). */
export const SHOP_REGISTRY: ServiceRegistry = {
  services: [
    {
      fullName: USER,
      protoFile: "shop/v1/user.proto",
      baseKind: "base",
      methods: table(USER, [
        method(USER, "GetUser", "unary"),
        method(USER, "ListUsers", "server-stream", { auth: "required" }),
        method(USER, "DeleteUser", "unary", {
          auth: "required",
          staffOnly: true,
          permission: "users.delete_user",
        }),
      ]),
    },
    {
      fullName: CHAT,
      protoFile: "shop/v1/chat.proto",
      baseKind: "auth-required",
      methods: table(CHAT, [method(CHAT, "Chat", "bidi", { auth: "required" })]),
    },
  ],
};
