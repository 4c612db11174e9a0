// Request metadata from plain data: values grpc-js would refuse deep inside a call (or, for
// -bin values, silently turn into other bytes) are refused here, naming the key.
import { describe, expect, it } from "vitest";
import { toGrpcMetadata } from "./metadata.js";

describe("toGrpcMetadata", () => {
  it("keeps text values, repeated keys and base64 -bin values", () => {
    const metadata = toGrpcMetadata(
      { "X-Key": "a b~", "x-many": ["1", "2"] },
      { "x-b-bin": "AAEC", "x-u-bin": "_-8", "x-raw-bin": new Uint8Array([9]) },
    );
    expect(metadata.get("x-key")).toEqual(["a b~"]);
    expect(metadata.get("x-many")).toEqual(["1", "2"]);
    expect(metadata.get("x-b-bin")).toEqual([Buffer.from([0, 1, 2])]);
    expect(metadata.get("x-u-bin")).toEqual([Buffer.from([0xff, 0xef])]);
    expect(metadata.get("x-raw-bin")).toEqual([Buffer.from([9])]);
  });

  it("refuses a text value that is not printable ASCII, naming the key", () => {
    for (const value of ["é", "a\nb", "gcfg_\u0007"]) {
      expect(() => toGrpcMetadata({ "x-api-key": value }), value).toThrow(
        'metadata "x-api-key": text values must be printable ASCII; use a key ending in -bin for bytes',
      );
    }
  });

  it("refuses a -bin string that is not base64 instead of sending other bytes", () => {
    for (const value of ["!!!notbase64", "AAECA", "AA=A"]) {
      expect(() => toGrpcMetadata({ "x-b-bin": value }), value).toThrow(
        'metadata "x-b-bin": the value is not base64',
      );
    }
  });
});
