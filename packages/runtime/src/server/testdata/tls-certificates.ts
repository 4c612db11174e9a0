import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/**
 * Test certificates made with the openssl binary in a fresh temporary folder: `name.pem`
 * (certificate) and `name.key` (its key) for each CA and leaf.
 */
export class TestCertificates {
  /** The temporary folder holding the files. */
  readonly dir: string;

  constructor(prefix = "grpc-cfg-tls-") {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Absolute path of `name` in the folder. */
  file(name: string): string {
    return join(this.dir, name);
  }

  /** A self-signed CA `name.pem`/`name.key` with subject `/CN=cn`. */
  ca(name: string, cn = name): this {
    this.#openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "1",
      "-subj",
      `/CN=${cn}`,
    );
    return this;
  }

  /** `name.pem`/`name.key` signed by `ca`, valid for localhost and 127.0.0.1. */
  issue(name: string, cn: string, ca = "ca"): this {
    this.#request(name, cn);
    writeFileSync(this.file(`${name}.ext`), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    this.#openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.pem`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
    );
    return this;
  }

  /** `name.pem`/`name.key` signed by `ca` and valid in January 2020 only (expired). */
  expired(name: string, ca = "ca"): this {
    writeFileSync(this.file("index.txt"), "");
    writeFileSync(this.file("serial"), "01\n");
    writeFileSync(
      this.file("expired-ca.cnf"),
      [
        "[ca]",
        "default_ca = own",
        "[own]",
        `dir = ${this.dir}`,
        "database = $dir/index.txt",
        "new_certs_dir = $dir",
        "serial = $dir/serial",
        "default_md = sha256",
        "policy = any",
        "[any]",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
    this.#request(name, name);
    this.#openssl(
      "ca",
      "-batch",
      "-notext",
      "-config",
      "expired-ca.cnf",
      "-cert",
      `${ca}.pem`,
      "-keyfile",
      `${ca}.key`,
      "-in",
      `${name}.csr`,
      "-out",
      `${name}.pem`,
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20200201000000Z",
    );
    return this;
  }

  /** Deletes the folder. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A new key `name.key` and its signing request `name.csr` for subject `/CN=cn`. */
  #request(name: string, cn: string): void {
    this.#openssl(
      "req",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${cn}`,
    );
  }

  #openssl(...args: string[]): void {
    execFileSync("openssl", args, { cwd: this.dir, stdio: "pipe" });
  }
}
