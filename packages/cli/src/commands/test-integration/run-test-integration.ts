import { createDynamicClient } from "@grpc-cfg/client";
import type { DynamicClient } from "@grpc-cfg/client";
import { createJsonLogger } from "@grpc-cfg/runtime";
import { startStack } from "../../serve/start-stack.js";
import { runGenerate } from "../generate/run-generate.js";
import { verifyKeyUsage, verifyRequestLogs } from "./log-verification.js";
import type { ExpectedAttribution } from "./log-verification.js";
import {
  INVALID_KEY,
  ProbeCaller,
  expectAdmitted,
  expectRefused,
  needsCredential,
} from "./probe-calls.js";
import { chooseProbe } from "./probe-selection.js";
import { readProjectConfig, secretKeyOf, show } from "./project-settings.js";
import type { ProbeRequest } from "./probe-selection.js";
import { StepFailed, StepReport } from "./step-report.js";
import { cleanUp, createTempAccount } from "./temp-resources.js";
import type { CreatedResources } from "./temp-resources.js";

/** Options of {@link runTestIntegration} (the command's flags, checked). */
export interface TestIntegrationOptions {
  /** Project root (where grpc-cfg.config.* and buf.gen.yaml are). */
  readonly cwd: string;
  /** Only services of this app folder (a name or path from the config's `apps`). */
  readonly app?: string;
  readonly quiet?: boolean;
  /** Method to call instead of choosing one, `pkg.Service/Method`. */
  readonly probe?: string;
  readonly request?: ProbeRequest;
}

/** The steps, in order; every run reports each as passed, skipped, failed or not run. */
export const STEPS = [
  "config",
  "generate",
  "start server",
  "choose method",
  "temporary key",
  "call with key",
  "call without key",
  "call with secret key",
  "call with invalid key",
  "request logs",
  "key usage",
  "cleanup",
] as const;

/** User the dev secret key acts as: the store's default (startStack sets no other). */
const SECRET_KEY_USER = "grpc-cfg-dev";
const LOG_WAIT_MS = 15_000;
const USAGE_WAIT_MS = 10_000;

/**
 * `grpc-cfg test-integration`: generate → start the project's server on a free port →
 * temporary user and key → call one method with the key, without one, with the dev secret
 * key (when enabled) and with an invalid key → check each call's log row and the key's usage
 * count → remove everything it created. Prints a step-by-step report; resolves to the exit
 * code (0 all passed, 1 a step failed — the summary names it).
 */
export async function runTestIntegration(options: TestIntegrationOptions): Promise<number> {
  const report = new StepReport({ plan: STEPS, quiet: options.quiet === true });
  report.header(`grpc-cfg test-integration · ${options.cwd}`);
  const created: CreatedResources = { stack: null, account: null, devUserId: null };
  let client: DynamicClient | null = null;
  // Ctrl+C mid-run must not leave the temporary user and key behind: clean up, then exit.
  let cleaning: Promise<string> | null = null;
  const cleanUpOnce = () => (cleaning ??= cleanUp(created));
  const interrupted = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: cleaning up before exiting…\n`);
    client?.close();
    void cleanUpOnce()
      .then((detail) => process.stdout.write(`cleanup: ${detail}\n`))
      .catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`))
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const { config, appDir } = await report.step("config", () =>
      readProjectConfig(options.cwd, options.app),
    );
    await report.step("generate", async () => {
      await runGenerate({ cwd: config.root, quiet: true });
      return { value: null, detail: `${show(config, config.generated)} matches the protos` };
    });
    const stack = await report.step("start server", async () => {
      const started = await startStack({
        cwd: config.root,
        logger: createJsonLogger({ level: "warn" }),
        overrides: {
          server: { host: "127.0.0.1", port: 0 },
          monitor: { enabled: false },
          logging: { flushIntervalMs: 100 },
        },
      });
      created.stack = started;
      const services = started.server.describe().services;
      const methods = services.reduce((sum, service) => sum + service.methods.length, 0);
      return {
        value: started,
        detail: `${started.address.host}:${started.address.port} · ${services.length} services, ${methods} methods · ${started.store.kind} ${started.store.target}`,
      };
    });
    const probe = await report.step("choose method", async () => {
      const chosen = chooseProbe(stack.server.describe().services, {
        ...(appDir === undefined ? {} : { appDir }),
        ...(options.probe === undefined ? {} : { probe: options.probe }),
        ...(options.request === undefined ? {} : { request: options.request }),
      });
      return { value: chosen, detail: `${chosen.name} (${chosen.reason})` };
    });
    const account = await report.step("temporary key", async () => {
      const made = await createTempAccount(stack);
      created.account = made;
      return {
        value: made,
        detail: `user "${made.username}" (id ${made.userId}), key ${made.displayPrefix}… (id ${made.keyId}, expires in 1 h)`,
      };
    });

    client = createDynamicClient(`${stack.address.host}:${stack.address.port}`, {
      deadline: 10_000,
    });
    const caller = new ProbeCaller(client, probe, stack.config.auth.apiKeyHeader);
    const expected: ExpectedAttribution[] = [];
    await report.step("call with key", async () => {
      const call = await caller.call("key", account.key);
      expected.push({
        call,
        userId: account.userId,
        apiKeyId: account.keyId,
        authMethod: "api-key",
      });
      return { value: null, detail: expectAdmitted(probe, call) };
    });
    await report.step("call without key", async () => {
      const call = await caller.call("none", null);
      expected.push({ call, userId: null, apiKeyId: null, authMethod: null });
      const detail = needsCredential(probe)
        ? expectRefused(probe, call)
        : `auth ${probe.auth}, anonymous allowed: ${expectAdmitted(probe, call)}`;
      return { value: null, detail };
    });
    const secret = secretKeyOf(stack.config);
    if (typeof secret !== "string") {
      report.skip("call with secret key", secret.skipped);
    } else {
      await report.step("call with secret key", async () => {
        const before = await stack.store.users.find(SECRET_KEY_USER);
        const call = await caller.call("secret", secret);
        const devUser = await stack.store.users.find(SECRET_KEY_USER);
        if (!before && devUser) created.devUserId = devUser.id;
        expected.push({
          call,
          userId: devUser?.id ?? null,
          apiKeyId: null,
          authMethod: "secret-key",
        });
        return { value: null, detail: expectAdmitted(probe, call) };
      });
    }
    await report.step("call with invalid key", async () => {
      const call = await caller.call("invalid", INVALID_KEY);
      expected.push({ call, userId: null, apiKeyId: null, authMethod: null });
      const detail =
        probe.auth === "public"
          ? `public method, a bad key is ignored by design: ${expectAdmitted(probe, call)}`
          : expectRefused(probe, call);
      return { value: null, detail };
    });
    if (!stack.config.logging.enabled) {
      report.skip("request logs", "logging.enabled is false in the config");
    } else {
      await report.step("request logs", async () => ({
        value: null,
        detail: await verifyRequestLogs(stack.store.db, stack.instance.id, expected, LOG_WAIT_MS),
      }));
    }
    await report.step("key usage", async () => {
      const withKey = caller.calls.filter((call) => call.kind === "key").length;
      return {
        value: null,
        detail: await verifyKeyUsage(stack.store, account.keyId, withKey, USAGE_WAIT_MS),
      };
    });
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  } finally {
    client?.close();
    await report
      .step("cleanup", async () => ({ value: null, detail: await cleanUpOnce() }))
      .catch((error: unknown) => {
        if (!(error instanceof StepFailed)) throw error;
      });
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
  return report.finish();
}
