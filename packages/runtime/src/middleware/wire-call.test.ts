import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { setTrusted } from "./wire-prototype.js";

// setTrusted writes into grpc-js's private map; these fail if grpc-js stops reading it.
describe("setTrusted", () => {
  it("leaves metadata as Metadata.set would, in what grpc-js reads and sends", () => {
    const trusted = new Metadata();
    const checked = new Metadata();
    for (const metadata of [trusted, checked]) metadata.add("x-other", "1");
    trusted.add("x-request-id", "from-client");
    checked.add("x-request-id", "from-client");

    setTrusted(trusted, "x-request-id", "req-42");
    checked.set("x-request-id", "req-42");

    expect(trusted.get("x-request-id")).toEqual(["req-42"]);
    expect(trusted.getMap()).toEqual(checked.getMap());
    expect(trusted.toHttp2Headers()).toEqual(checked.toHttp2Headers());
    expect(trusted.clone().toJSON()).toEqual(checked.clone().toJSON());
  });
});
