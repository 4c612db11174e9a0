import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { createSecureContext } from "node:tls";
import type { experimental } from "@grpc/grpc-js";
import type { Logger } from "../logging/logger.js";
import { checkTlsFiles, describeCertificate } from "./tls-files.js";
import type { TlsFiles } from "./tls-files.js";

type CertificateProvider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/** Options of {@link TlsFileProvider}. */
export interface TlsFileProviderOptions {
  /** The files as read and checked at start: served until a newer good set is found. */
  readonly initial: TlsFiles;
  /** How often to look at the files, in ms (> 0). */
  readonly intervalMs: number;
  /** Gets one info line per installed set and one warning per set that is not installed. */
  readonly logger?: Pick<Logger, "info" | "warn"> | undefined;
}

/** A set of files that was refused, waiting to be warned about if it is still there. */
interface Refused {
  readonly key: string;
  readonly problems: readonly string[];
  warned: boolean;
}

/**
 * grpc-js certificate provider for `server.tls` that re-reads the files every `intervalMs`
 * (only when a file's inode, size or mtime changed) and hands a new set to grpc-js, which
 * serves it to new connections; open connections keep the certificate they started with.
 *
 * Unlike grpc-js's FileWatcherCertificateProvider, which hands on whatever it read (a
 * missing file turns the server's credentials off), a new set is installed only when it
 * passes the start-time checks ({@link checkTlsFiles}): otherwise the last good set stays.
 * A rotation writes the cert and key one after the other, so a refused set is only warned
 * about once it is still there at the next check. The timer is unref'd, and runs only while
 * grpc-js listens (it removes its listeners when the server closes).
 */
export class TlsFileProvider implements CertificateProvider {
  readonly #paths: TlsFilePaths;
  readonly #intervalMs: number;
  readonly #logger: Pick<Logger, "info" | "warn"> | undefined;
  readonly #identityListeners = new Set<IdentityListener>();
  readonly #caListeners = new Set<CaListener>();
  #current: TlsFiles;
  #currentKey: string;
  #signature = "";
  #refused: Refused | null = null;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;

  constructor(options: TlsFileProviderOptions) {
    const { cert, key, ca } = options.initial;
    this.#paths = { cert: cert.path, key: key.path, ca: ca?.path ?? null };
    this.#current = options.initial;
    this.#currentKey = contentKey(options.initial);
    this.#intervalMs = options.intervalMs;
    this.#logger = options.logger;
  }

  /** Looks at the files now (the timer calls this); resolves when done. */
  check(): Promise<void> {
    this.#checking ??= this.#check()
      .catch((error: unknown) => this.#logger?.warn("checking the TLS files failed", { error }))
      .finally(() => {
        this.#checking = null;
      });
    return this.#checking;
  }

  /** @inheritdoc */
  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.add(listener);
    this.#start();
    // Later, not now: grpc-js registers its own watcher only after this returns.
    process.nextTick(() => {
      if (this.#identityListeners.has(listener)) listener(this.#identityUpdate());
    });
  }

  /** @inheritdoc */
  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.delete(listener);
    this.#stopWhenUnused();
  }

  /** @inheritdoc */
  addCaCertificateListener(listener: CaListener): void {
    this.#caListeners.add(listener);
    this.#start();
    process.nextTick(() => {
      if (this.#caListeners.has(listener)) listener(this.#caUpdate());
    });
  }

  /** @inheritdoc */
  removeCaCertificateListener(listener: CaListener): void {
    this.#caListeners.delete(listener);
    this.#stopWhenUnused();
  }

  #identityUpdate(): experimental.IdentityCertificateUpdate {
    return { certificate: this.#current.cert.pem, privateKey: this.#current.key.pem };
  }

  #caUpdate(): experimental.CaCertificateUpdate | null {
    const ca = this.#current.ca;
    return ca === null ? null : { caCertificate: ca.pem };
  }

  #start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.check(), this.#intervalMs);
    // Certificate checks must never be what keeps the process alive.
    this.#timer.unref();
  }

  #inUse(): boolean {
    return this.#identityListeners.size > 0 || this.#caListeners.size > 0;
  }

  #stopWhenUnused(): void {
    if (this.#inUse()) return;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #check(): Promise<void> {
    const entries = fileEntries(this.#paths);
    const stats = await Promise.all(
      entries.map(([, path]) =>
        stat(path).then(
          (s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`,
          (error: unknown) => `!${errorCode(error)}`,
        ),
      ),
    );
    const signature = stats.join("|");
    if (signature === this.#signature) {
      this.#warnRefused();
      return;
    }
    this.#signature = signature;

    const read = await Promise.all(
      entries.map(([what, path]) =>
        readFile(path).then(
          (pem) => ({ what, path, pem, problem: null }),
          (error: unknown) => ({
            what,
            path,
            pem: null,
            problem: `server.tls.${what}: cannot read ${path}: ${errorMessage(error)}`,
          }),
        ),
      ),
    );
    // The server closed while the files were read: nobody to install them for or warn.
    if (!this.#inUse()) {
      this.#signature = "";
      return;
    }
    const unreadable = read.flatMap((r) => (r.problem === null ? [] : [r.problem]));
    if (unreadable.length > 0) return this.#refuse(unreadable.join("\n"), unreadable);
    const pem = (what: FileName) => read.find((r) => r.what === what)?.pem ?? Buffer.alloc(0);
    const files: TlsFiles = {
      cert: { path: this.#paths.cert, pem: pem("cert") },
      key: { path: this.#paths.key, pem: pem("key") },
      ca: this.#paths.ca === null ? null : { path: this.#paths.ca, pem: pem("ca") },
    };
    const key = contentKey(files);
    if (key === this.#currentKey) {
      this.#refused = null;
      return;
    }
    const findings = checkTlsFiles(files);
    const problems = findings.problems.length > 0 ? findings.problems : usableTogether(files);
    if (problems.length > 0) return this.#refuse(key, problems);
    this.#install(files, key, findings.warnings);
  }

  #refuse(key: string, problems: readonly string[]): void {
    if (this.#refused?.key === key) return;
    // Bad at the last check too: not a rotation caught halfway, so say it now.
    const persisting = this.#refused !== null;
    this.#refused = { key, problems, warned: false };
    if (persisting) this.#warnRefused();
  }

  #warnRefused(): void {
    const refused = this.#refused;
    if (refused === null || refused.warned) return;
    refused.warned = true;
    this.#logger?.warn(
      "the TLS files changed but cannot be used: still serving the previous certificate",
      { problems: refused.problems, serving: serving(this.#current.cert.pem) },
    );
  }

  #install(files: TlsFiles, key: string, warnings: ReturnType<typeof checkTlsFiles>["warnings"]) {
    const before = this.#current;
    const certChanged = !files.cert.pem.equals(before.cert.pem);
    const keyChanged = !files.key.pem.equals(before.key.pem);
    const identityChanged = certChanged || keyChanged;
    const caChanged =
      files.ca !== null && before.ca !== null && !files.ca.pem.equals(before.ca.pem);
    this.#current = files;
    this.#currentKey = key;
    this.#refused = null;
    for (const warning of warnings) this.#logger?.warn(warning.message, warning.fields);
    this.#logger?.info("installed new TLS files: new connections use them", {
      cert: files.cert.path,
      ...describeCertificate(files.cert.pem),
      ...(caChanged && files.ca ? { ca: files.ca.path } : {}),
      changed: [
        ...(certChanged ? ["cert"] : []),
        ...(keyChanged ? ["key"] : []),
        ...(caChanged ? ["ca"] : []),
      ],
    });
    if (identityChanged)
      for (const listener of this.#identityListeners) listener(this.#identityUpdate());
    if (caChanged) for (const listener of this.#caListeners) listener(this.#caUpdate());
  }
}

type FileName = "cert" | "key" | "ca";
type TlsFilePaths = { readonly cert: string; readonly key: string; readonly ca: string | null };

function fileEntries(paths: TlsFilePaths): [FileName, string][] {
  const entries: [FileName, string][] = [
    ["cert", paths.cert],
    ["key", paths.key],
  ];
  if (paths.ca !== null) entries.push(["ca", paths.ca]);
  return entries;
}

/** Identifies a set of contents without keeping them (the key is secret). */
function contentKey(files: TlsFiles): string {
  const hash = createHash("sha256");
  for (const pem of [files.cert.pem, files.key.pem, files.ca?.pem ?? Buffer.alloc(0)]) {
    hash.update(`${pem.length}:`).update(pem);
  }
  return hash.digest("hex");
}

// grpc-js builds one context from all three files; if that failed there, it would stop
// accepting connections altogether, so the same build is tried here first.
function usableTogether(files: TlsFiles): string[] {
  try {
    createSecureContext({ cert: files.cert.pem, key: files.key.pem, ca: files.ca?.pem });
    return [];
  } catch (error) {
    const where = files.ca ? `${files.ca.path} with ${files.cert.path}` : files.cert.path;
    return [`server.tls: ${where} cannot be used together (${errorMessage(error)})`];
  }
}

/** The certificate still served, for the warning: which one the clients keep getting. */
function serving(pem: Buffer): { subject?: string; validTo?: string } {
  const described = describeCertificate(pem);
  return described === null ? {} : { subject: described.subject, validTo: described.validTo };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : errorMessage(error);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
