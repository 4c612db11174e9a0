import { createServer as createNetServer } from "node:net";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../testdata/support/harness.js";
import { ListenError, probeListen, toListenError } from "./listen-error.js";

describe("listen errors", () => {
  it("a server whose port is taken rejects listen() with a ListenError", async () => {
    const first = await startTestServer();
    try {
      const second = startTestServer({ config: { server: { port: first.port } } });
      const error = await second.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ListenError);
      expect(error).toMatchObject({
        message: `cannot listen on 127.0.0.1:${first.port}: address already in use`,
        code: "EADDRINUSE",
        port: first.port,
      });
    } finally {
      await first.close();
    }
  });

  it("reads the reason out of grpc-js's summary and out of Node's own error", () => {
    const grpcJs = new Error(
      "No address added out of total 1 resolved errors: [listen EACCES: permission denied 0.0.0.0:80]",
    );
    expect(toListenError(grpcJs, "0.0.0.0", 80)).toMatchObject({
      code: "EACCES",
      reason: "permission denied",
      message: "cannot listen on 0.0.0.0:80: permission denied",
    });
    const node = Object.assign(new Error("listen EADDRINUSE: address already in use ::1:5000"), {
      code: "EADDRINUSE",
    });
    expect(toListenError(node, "::1", 5000).message).toBe(
      "cannot listen on [::1]:5000: address already in use",
    );
  });

  it("probeListen finds a taken port and leaves a free one free", async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    await expect(probeListen("127.0.0.1", port)).rejects.toMatchObject({ code: "EADDRINUSE" });
    taken.close();
    await new Promise((resolve) => taken.once("close", resolve));
    await probeListen("127.0.0.1", port);
    // Still free for the real server afterwards.
    const again = createNetServer();
    await new Promise<void>((resolve) => again.listen(port, "127.0.0.1", resolve));
    again.close();
  });
});
