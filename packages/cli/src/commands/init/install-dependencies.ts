import { spawn } from "node:child_process";
import { CliError } from "../../util/cli-error.js";

/**
 * Runs `npm install` in the new project with the terminal attached, so the user sees npm's
 * own progress and errors. A failure keeps the written files and says how to carry on.
 */
export async function installDependencies(root: string): Promise<void> {
  process.stdout.write("\nnpm install\n");
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn("npm", ["install", "--no-audit", "--no-fund"], {
      cwd: root,
      stdio: "inherit",
      // npm is npm.cmd on Windows, which only a shell can start.
      shell: process.platform === "win32",
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  }).catch((error: unknown) => {
    throw new CliError(
      `could not start npm: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: "Install Node.js with npm, then run npm install and npm run generate in the project.",
      },
    );
  });
  if (code !== 0) {
    throw new CliError(`npm install failed (exit ${code}); the project files are written`, {
      hint: "Fix the problem npm reported above, then run npm install and npm run generate in the project.",
    });
  }
}
