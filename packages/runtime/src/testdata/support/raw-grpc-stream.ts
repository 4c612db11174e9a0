import { connect } from "node:net";
import type { Socket } from "node:net";

// A gRPC client written at the HTTP/2 frame level, for what no Node client can do: cancel a
// call with RST_STREAM alone, as grpc-go, grpc-java and the C-core clients do. (grpc-js, and
// so nice-grpc, ends its side of the stream with END_STREAM before the reset, because
// Node's http2 `close()` ends the writable side first.)

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const ACK = 0x1;
/** HTTP/2 error code CANCEL. */
export const CANCEL = 0x8;
const STREAM_ID = 1;

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header.writeUInt8(type, 3);
  header.writeUInt8(flags, 4);
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/** HPACK string: short enough for a 7-bit length, no Huffman coding. */
function hpackString(text: string): Buffer {
  const bytes = Buffer.from(text, "latin1");
  if (bytes.length > 126) throw new Error("header too long for this client");
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

/** A header block of "literal header field without indexing — new name" entries. */
function headerBlock(headers: Record<string, string>): Buffer {
  return Buffer.concat(
    Object.entries(headers).flatMap(([name, value]) => [
      Buffer.from([0x00]),
      hpackString(name),
      hpackString(value),
    ]),
  );
}

/** One streamed call: send messages, then half-close or reset. */
export interface RawGrpcStream {
  /** Sends one length-prefixed gRPC message (already encoded). */
  send(message: Uint8Array): void;
  /** Ends the request stream normally (END_STREAM). */
  halfClose(): void;
  /** Resets the stream (RST_STREAM with `code`, CANCEL by default) without ending it first. */
  reset(code?: number): void;
  /** The bytes the server sent on the connection so far. */
  received(): Buffer;
  close(): void;
}

/** Opens a connection to `127.0.0.1:port` and starts a call to `path` on stream 1. */
export async function openRawGrpcStream(
  port: number,
  path: string,
  extraHeaders: Record<string, string> = {},
): Promise<RawGrpcStream> {
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let input = Buffer.alloc(0);
  let settingsAcked = false;
  socket.on("data", (chunk: Buffer) => {
    input = Buffer.concat([input, chunk]);
    // Acknowledge the server's first SETTINGS frame (type at byte 3, flags at byte 4).
    if (!settingsAcked && input.length >= 9 && input[3] === SETTINGS && input[4] === 0) {
      settingsAcked = true;
      socket.write(frame(SETTINGS, ACK, 0, Buffer.alloc(0)));
    }
  });
  socket.on("error", () => undefined);
  socket.write(Buffer.concat([PREFACE, frame(SETTINGS, 0, 0, Buffer.alloc(0))]));
  const headers = headerBlock({
    ":method": "POST",
    ":scheme": "http",
    ":path": path,
    ":authority": `127.0.0.1:${port}`,
    "content-type": "application/grpc",
    te: "trailers",
    ...extraHeaders,
  });
  socket.write(frame(HEADERS, END_HEADERS, STREAM_ID, headers));
  return {
    send(message) {
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(message.length, 1);
      socket.write(frame(DATA, 0, STREAM_ID, Buffer.concat([prefix, message])));
    },
    halfClose() {
      socket.write(frame(DATA, END_STREAM, STREAM_ID, Buffer.alloc(0)));
    },
    reset(code = CANCEL) {
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(code, 0);
      socket.write(frame(RST_STREAM, 0, STREAM_ID, payload));
    },
    received: () => input,
    close: () => socket.destroy(),
  };
}
