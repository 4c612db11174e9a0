// bench.v1.EchoRequest, hand-encoded: the load client and the reliability scenarios send
// pre-encoded bytes, so their cost per call does not depend on any generated code.

/** Encodes bench.v1.EchoRequest `{ text (1), count (2) }`. */
export function echoRequest(text = "hello", count = 0) {
  const body = Buffer.from(text, "utf8");
  const parts = [Buffer.from([0x0a, ...varint(body.length)]), body];
  if (count > 0) parts.push(Buffer.from([0x10, ...varint(count)]));
  return Buffer.concat(parts);
}

function varint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
