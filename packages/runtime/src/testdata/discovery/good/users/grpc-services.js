// Discovery fixture: a stale build beside grpc-services.ts; must be ignored (the .ts wins).
throw new Error("grpc-services.js must not be loaded when grpc-services.ts exists");
