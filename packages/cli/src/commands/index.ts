import type { CommandModule } from "yargs";
import { callCommand } from "./call.js";
import { serveCommand } from "./serve.js";
import { monitorCommand } from "./monitor.js";
import { migrateCommand } from "./store/migrate.js";
import { usersCommand } from "./store/users.js";
import { keysCommand } from "./store/keys.js";
import { logsCommand } from "./store/logs.js";
import { statsCommand } from "./store/stats.js";
import { statusCommand } from "./store/status.js";
import { describeCommand } from "./describe.js";
import { servicesCommand } from "./services.js";
import { generateCommand } from "./generate.js";
import { lintCommand } from "./lint.js";
import { breakingCommand } from "./breaking.js";
import { templatesCommand } from "./templates.js";
import { initCommand } from "./init.js";
import { newCommand } from "./new-service.js";
import { testIntegrationCommand } from "./test-integration.js";

/**
 * Every `grpc-cfg` command, one module each. Add a command by adding its module here
 * (edit this list in place; several people add to it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' own CommandModule default
export const commands: CommandModule<any, any>[] = [
  initCommand,
  newCommand,
  generateCommand,
  serveCommand,
  lintCommand,
  breakingCommand,
  templatesCommand,
  servicesCommand,
  describeCommand,
  callCommand,
  monitorCommand,
  migrateCommand,
  usersCommand,
  keysCommand,
  logsCommand,
  statsCommand,
  statusCommand,
  testIntegrationCommand,
];
