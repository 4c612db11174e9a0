/** One top-level JSON value's text, and the line it starts on (1-based). */
export interface JsonValueText {
  readonly text: string;
  readonly line: number;
}

/**
 * Cuts text that arrives in pieces into its top-level JSON values, however they are laid out:
 * one per line (NDJSON), one after another on a line (as grpcurl and buf curl take them), or
 * pretty-printed over many lines. It only finds where each value ends (brackets outside
 * strings); `JSON.parse` judges the value, so a malformed one is reported with the line it
 * starts on. A value is returned as soon as its last character arrives, so a bidi call can
 * answer each request as it is typed.
 */
export class JsonValueSplitter {
  /** The part of the current value that came in earlier pieces. */
  #text = "";
  #reading = false;
  #line = 1;
  #startLine = 1;
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Inside a top-level number, literal or stray word; it ends at whitespace or a bracket. */
  #bare = false;

  /** Feeds the next piece of input; returns the values it completed. */
  push(piece: string): JsonValueText[] {
    const done: JsonValueText[] = [];
    // Where the value being read starts in `piece` (0 when it began in an earlier piece, -1
    // when none is being read). Values are cut with slices, not built a character at a time:
    // a request file may be megabytes. Indexes are UTF-16 units, which is safe because every
    // character the scan acts on is ASCII.
    let from = this.#reading ? 0 : -1;
    const finish = (end: number) => {
      done.push(this.#take(this.#text + piece.slice(from, end)));
      from = -1;
    };
    for (let i = 0; i < piece.length; i++) {
      const char = piece[i] as string;
      if (this.#bare && (isSpace(char) || char === "{" || char === "[" || char === '"')) {
        finish(i);
      }
      if (!this.#reading) {
        if (char === "\n") this.#line++;
        if (isSpace(char)) continue;
        this.#reading = true;
        this.#startLine = this.#line;
        from = i;
        if (char === "{" || char === "[") this.#depth = 1;
        else if (char === '"') this.#inString = true;
        else if (char === "}" || char === "]") finish(i + 1);
        else this.#bare = true;
        continue;
      }
      if (char === "\n") this.#line++;
      if (this.#bare) continue;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === "\\") this.#escaped = true;
        else if (char === '"') {
          this.#inString = false;
          if (this.#depth === 0) finish(i + 1);
        }
      } else if (char === '"') this.#inString = true;
      else if (char === "{" || char === "[") this.#depth++;
      else if (char === "}" || char === "]") {
        this.#depth--;
        if (this.#depth === 0) finish(i + 1);
      }
    }
    if (this.#reading) this.#text += piece.slice(from);
    return done;
  }

  /** Ends the input; returns what is left (an unfinished value, for `JSON.parse` to refuse). */
  end(): JsonValueText[] {
    return this.#reading ? [this.#take(this.#text)] : [];
  }

  #take(text: string): JsonValueText {
    const value = { text, line: this.#startLine };
    this.#text = "";
    this.#reading = false;
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    this.#bare = false;
    return value;
  }
}

/** All top-level JSON values of a complete text. */
export function splitJsonValues(text: string): JsonValueText[] {
  const splitter = new JsonValueSplitter();
  return [...splitter.push(text), ...splitter.end()];
}

// JSON's whitespace, plus the other spaces a pasted text may hold; JSON.parse refuses those
// inside a value, where they are kept.
function isSpace(char: string): boolean {
  return char === " " || char === "\n" || char === "\r" || char === "\t" || /\s/u.test(char);
}
