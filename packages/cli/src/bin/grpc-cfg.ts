import { tryFastPath } from "../fast-path.js";
import { handleClosedOutput } from "../util/closed-output.js";

const args = process.argv.slice(2);
handleClosedOutput(args[0] === "serve" || args[0] === "monitor");
if (!(await tryFastPath(args))) {
  const { main } = await import("../main.js");
  await main();
}
