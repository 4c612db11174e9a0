/**
 * google.protobuf.FileDescriptorSet of grpc/health/v1/health.proto (the standard gRPC health
 * service, built with `buf build --exclude-source-info`). Reflection serves it beside the
 * app's files (unless the app compiles health.proto itself) and lists grpc.health.v1.Health
 * like any other service, so `buf curl` / `grpc-cfg call` can call it by name.
 */
export const HEALTH_DESCRIPTOR_SET: Uint8Array = Buffer.from(
  "CoIEChtncnBjL2hlYWx0aC92MS9oZWFsdGgucHJvdG8SDmdycGMuaGVhbHRoLnYxIi4KEkhlYWx0aENoZWNrUmVxdWVzdBIYCgdzZXJ2aWNlGAEgASgJUgdzZXJ2aWNlIrEBChNIZWFsdGhDaGVja1Jlc3BvbnNlEkkKBnN0YXR1cxgBIAEoDjIxLmdycGMuaGVhbHRoLnYxLkhlYWx0aENoZWNrUmVzcG9uc2UuU2VydmluZ1N0YXR1c1IGc3RhdHVzIk8KDVNlcnZpbmdTdGF0dXMSCwoHVU5LTk9XThAAEgsKB1NFUlZJTkcQARIPCgtOT1RfU0VSVklORxACEhMKD1NFUlZJQ0VfVU5LTk9XThADMq4BCgZIZWFsdGgSUAoFQ2hlY2sSIi5ncnBjLmhlYWx0aC52MS5IZWFsdGhDaGVja1JlcXVlc3QaIy5ncnBjLmhlYWx0aC52MS5IZWFsdGhDaGVja1Jlc3BvbnNlElIKBVdhdGNoEiIuZ3JwYy5oZWFsdGgudjEuSGVhbHRoQ2hlY2tSZXF1ZXN0GiMuZ3JwYy5oZWFsdGgudjEuSGVhbHRoQ2hlY2tSZXNwb25zZTABQi5aLGdvb2dsZS5nb2xhbmcub3JnL2dycGMvaGVhbHRoL2dycGNfaGVhbHRoX3YxYgZwcm90bzPS9gMECAAYAA==",
  "base64",
);

/** Full name of the health service, as reflection lists it. */
export const HEALTH_SERVICE_NAME = "grpc.health.v1.Health";
