import type { Authenticator, ResolvedConfig } from "@grpc-cfg/runtime";
import type { ApiKeyAuthenticatorOptions, Store } from "@grpc-cfg/store";
import { configProblem } from "../util/config-errors.js";
import { isStoreError } from "../util/store-errors.js";

/**
 * The API-key authenticator's options from the config: cache, lookup bounds, the dev secret
 * key. `serve` and the standalone `monitor` both check keys, and must check them alike.
 */
export function apiKeyAuthenticatorOptions(config: ResolvedConfig): ApiKeyAuthenticatorOptions {
  const { auth } = config;
  return {
    cacheTtlMs: auth.keyCacheTtlMs,
    maxConcurrentLookups: auth.keyLookupConcurrency,
    maxQueuedLookups: auth.keyLookupQueue,
    nodeEnv: config.environment,
    ...(auth.secretKey.enabled
      ? {
          secretKey: {
            enabled: true,
            ...(auth.secretKey.value ? { value: auth.secretKey.value } : {}),
          },
        }
      : {}),
  };
}

/**
 * API keys (and the dev secret key) first, then JWTs when configured. A JWKS file that cannot
 * be read is reported as a config problem in the config file.
 */
export function createAuthenticators(store: Store, config: ResolvedConfig): Authenticator[] {
  const list: Authenticator[] = [
    store.createApiKeyAuthenticator(apiKeyAuthenticatorOptions(config)),
  ];
  const { jwt } = config.auth;
  if (jwt) {
    const { secret, jwksUrl, jwksFile, issuer, audience, userClaim } = jwt;
    try {
      list.push(
        store.createJwtAuthenticator({
          userClaim,
          ...(secret ? { secret } : {}),
          ...(jwksUrl ? { jwksUrl } : {}),
          ...(jwksFile ? { jwksFile } : {}),
          ...(issuer ? { issuer } : {}),
          ...(audience ? { audience } : {}),
        }),
      );
    } catch (error) {
      if (!isStoreError(error) || error.code !== "misconfigured") throw error;
      // The config's validation has checked the settings; what is left is the JWKS file
      // (missing, unreadable, not a JWKS), which only exists once the server starts.
      const field = jwksFile ? "auth.jwt.jwksFile" : "auth.jwt";
      throw configProblem([`${field}: ${error.message}`], config.configFile);
    }
  }
  return list;
}
