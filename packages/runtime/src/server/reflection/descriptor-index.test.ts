import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BUF, REPO_ROOT } from "../../../../codegen/src/test-support/proto-workspace.js";
import { DescriptorIndex, splitFileDescriptorSet } from "./descriptor-index.js";
import { RPC_STATUS_DESCRIPTOR_SET } from "./rpc-status-descriptor.js";
import { compileProtos } from "./testdata/reflection-client.js";

const run = promisify(execFile);

describe("DescriptorIndex", () => {
  it("keeps the app's own copy of a well-known file and adds the rest", async () => {
    const app = await compileProtos({
      "google/rpc/status.proto": `syntax = "proto3";
package google.rpc;
message Status {
  int32 code = 1;
  string app_copy = 99;
}
`,
    });
    const index = new DescriptorIndex();
    index.addSet(app);
    index.addMissing(RPC_STATUS_DESCRIPTOR_SET);
    const appStatus = splitFileDescriptorSet(app).find((f) => Buffer.from(f).includes("app_copy"));
    expect(index.file("google/rpc/status.proto")?.bytes).toEqual(appStatus);
    expect(index.fileOfSymbol("google.rpc.Status.app_copy")?.name).toBe("google/rpc/status.proto");
    expect(index.fileOfSymbol("google.rpc.BadRequest")?.name).toBe(
      "google/rpc/error_details.proto",
    );
  });

  it("skips a well-known file whose symbols the app declares under another path", async () => {
    const app = await compileProtos({
      "third_party/rpc/status.proto": `syntax = "proto3";
package google.rpc;
message Status {
  int32 code = 1;
}
`,
    });
    const index = new DescriptorIndex();
    index.addSet(app);
    index.addMissing(RPC_STATUS_DESCRIPTOR_SET);
    expect(index.file("google/rpc/status.proto")).toBeUndefined();
    expect(index.fileOfSymbol("google.rpc.Status")?.name).toBe("third_party/rpc/status.proto");
    expect(index.file("google/rpc/error_details.proto")).toBeDefined();
  });

  it("the embedded google.rpc set is what buf builds from google-proto-files", async () => {
    const { stdout } = await run(
      BUF,
      [
        "build",
        ".",
        "--exclude-source-info",
        "--path",
        "google/rpc/status.proto",
        "--path",
        "google/rpc/error_details.proto",
        "-o",
        "-#format=binpb",
      ],
      { cwd: join(REPO_ROOT, "node_modules/google-proto-files"), encoding: "buffer" },
    );
    expect(Buffer.from(RPC_STATUS_DESCRIPTOR_SET).equals(stdout)).toBe(true);
  });
});
