import type { Authenticator, Logger, ResolvedConfig } from "@grpc-cfg/runtime";
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
 * Settings of `auth.jwt` that work but let in tokens the team probably did not mean to: with a
 * JWKS the tokens are another party's (an identity provider's), so a missing `audience`
 * accepts tokens it issued for any application, and `userLookup: "auto"` reads its user "1"
 * as local user 1 (often the first admin). Refusing them would break running configs.
 */
export function jwtConfigWarnings(jwt: ResolvedConfig["auth"]["jwt"]): string[] {
  if (jwt === null || (jwt.jwksUrl === undefined && jwt.jwksFile === undefined)) return [];
  const warnings: string[] = [];
  if (jwt.audience === undefined) {
    warnings.push(
      "auth.jwt: no audience set, so tokens the identity provider issued for any application are accepted; set auth.jwt.audience to this API's audience",
    );
  }
  if (jwt.userLookup === "auto") {
    warnings.push(
      `auth.jwt: userLookup "auto" reads an all-digit ${jwt.userClaim} as a local user id, so the provider's user "1" is local user 1; set auth.jwt.userLookup to "username" (or "id" if the claim holds local ids)`,
    );
  }
  return warnings;
}

/**
 * API keys (and the dev secret key) first, then JWTs when configured. A JWKS file that cannot
 * be read is reported as a config problem in the config file; {@link jwtConfigWarnings} go to
 * `logger`.
 */
export function createAuthenticators(
  store: Store,
  config: ResolvedConfig,
  logger?: Pick<Logger, "warn">,
): Authenticator[] {
  const list: Authenticator[] = [
    store.createApiKeyAuthenticator(apiKeyAuthenticatorOptions(config)),
  ];
  const { jwt } = config.auth;
  if (jwt) {
    const { secret, jwksUrl, jwksFile, issuer, audience, userClaim, userLookup } = jwt;
    try {
      list.push(
        store.createJwtAuthenticator({
          userClaim,
          userLookup,
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
    // After the checks that stop the server: a config error comes alone.
    for (const warning of jwtConfigWarnings(jwt)) logger?.warn(warning);
  }
  return list;
}
