import { tryFastPath } from "../fast-path.js";

if (!(await tryFastPath(process.argv.slice(2)))) {
  const { main } = await import("../main.js");
  await main();
}
