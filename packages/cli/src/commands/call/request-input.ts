import { createReadStream, fstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { JsonValue } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import type { BigIntegers, ProtectedJson } from "./big-integers.js";
import { JsonValueSplitter, splitJsonValues, type JsonValueText } from "./json-values.js";

/** Where request JSON comes from: `-d '{...}'`, `-d @file` or `-d @-` (stdin). */
export type RequestSource =
  { kind: "inline"; text: string } | { kind: "file"; path: string } | { kind: "stdin" };

/**
 * Reads `-d`. Without it, unary and server-streaming calls send `{}` and streaming-input
 * calls read their requests from stdin.
 */
export function requestSource(data: string | undefined, streamingInput: boolean): RequestSource {
  if (data === undefined)
    return streamingInput ? { kind: "stdin" } : { kind: "inline", text: "{}" };
  if (data === "@-") return { kind: "stdin" };
  if (data.startsWith("@")) return { kind: "file", path: data.slice(1) };
  return { kind: "inline", text: data };
}

/**
 * How long to wait for piped stdin to show whether it holds anything. What a pipe was filled
 * with before the call (`echo … |`, `< file`) is there at once; only an open pipe nobody
 * writes to (a parent process that leaves stdin open) costs the full wait.
 */
const STDIN_PEEK_MS = 200;

/**
 * True when stdin is piped or redirected and holds more than white space. A terminal,
 * /dev/null or a closed stdin is never read. Consumes what it reads and closes stdin, so call
 * it only when the request does not come from stdin.
 */
export async function ignoredStdinHoldsData(): Promise<boolean> {
  const stdin = process.stdin;
  if (stdin.isTTY) return false;
  try {
    if (fstatSync(0).isCharacterDevice()) return false; // /dev/null (or a terminal).
  } catch {
    return false; // No stdin at all.
  }
  const holdsData = await new Promise<boolean>((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      stdin.off("data", onData).off("end", onEnd).off("error", onEnd);
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      if (/\S/.test(String(chunk))) finish(true);
    };
    const onEnd = () => finish(false);
    const timer = setTimeout(onEnd, STDIN_PEEK_MS);
    stdin.on("data", onData).once("end", onEnd).once("error", onEnd);
  });
  stdin.destroy(); // Not needed any more; an open stdin would keep the process alive.
  return holdsData;
}

function label(source: RequestSource): string {
  if (source.kind === "file") return source.path;
  return source.kind === "stdin" ? "stdin" : "-d";
}

/** How request JSON becomes values: numbers kept exact for the request's message type. */
export interface RequestParsing {
  readonly numbers: BigIntegers;
  /** The method's input type, e.g. `shop.v1.GetUserRequest`. */
  readonly inputType: string;
}

async function parseJson(text: string, where: string, parsing: RequestParsing): Promise<JsonValue> {
  let parsed: ProtectedJson;
  try {
    parsed = parsing.numbers.parse(text);
  } catch (error) {
    throw new CliError(`${where} is not valid JSON: ${(error as Error).message}`, {
      hint: "Give a JSON object, e.g. -d '{\"id\": 1}'; streams take one object after another (e.g. one per line).",
    });
  }
  return parsing.numbers.restore(parsed, parsing.inputType);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function readText(source: RequestSource): Promise<string> {
  if (source.kind === "inline") return source.text;
  if (source.kind === "stdin") return readAll(process.stdin);
  try {
    return await readFile(source.path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read request file ${source.path}: ${(error as Error).message}`);
  }
}

/** The one request of a unary or server-streaming call (empty input means `{}`). */
export async function readSingleRequest(
  source: RequestSource,
  parsing: RequestParsing,
): Promise<JsonValue> {
  const values = splitJsonValues(await readText(source));
  const [first, second] = values;
  if (first === undefined) return {};
  if (second !== undefined) {
    throw new CliError(
      `request data from ${label(source)} holds ${values.length} JSON values (the second starts on line ${second.line}); this method takes one request`,
      { hint: "Give one JSON object; only client-streaming and bidi methods take several." },
    );
  }
  return parseJson(first.text, `request data from ${label(source)}`, parsing);
}

/**
 * Requests of a client-streaming or bidi call: JSON values one after another (one per line,
 * several on a line, or pretty-printed), read lazily so a bidi call can answer each line as
 * it is typed.
 */
export async function* readRequestStream(
  source: RequestSource,
  parsing: RequestParsing,
): AsyncGenerator<JsonValue> {
  let lines: AsyncIterable<string>;
  if (source.kind === "inline") {
    lines = (async function* () {
      yield source.text;
    })();
  } else {
    const input = source.kind === "stdin" ? process.stdin : createReadStream(source.path);
    input.on("error", () => undefined); // Reported by the line reader below.
    lines = createInterface({ input, crlfDelay: Infinity });
  }
  const splitter = new JsonValueSplitter();
  const parse = (value: JsonValueText): Promise<JsonValue> =>
    parseJson(value.text, `line ${value.line} of ${label(source)}`, parsing);
  try {
    for await (const line of lines) {
      for (const value of splitter.push(`${line}\n`)) yield await parse(value);
    }
    for (const value of splitter.end()) yield await parse(value);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read requests from ${label(source)}: ${(error as Error).message}`);
  }
}
