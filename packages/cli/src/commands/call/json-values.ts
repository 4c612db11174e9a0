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
  #text = "";
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
    for (const char of piece) {
      if (this.#bare && (isSpace(char) || char === "{" || char === "[" || char === '"')) {
        done.push(this.#take());
      }
      if (this.#text === "") {
        if (char === "\n") this.#line++;
        if (isSpace(char)) continue;
        this.#startLine = this.#line;
        this.#text = char;
        if (char === "{" || char === "[") this.#depth = 1;
        else if (char === '"') this.#inString = true;
        else if (char === "}" || char === "]") done.push(this.#take());
        else this.#bare = true;
        continue;
      }
      this.#text += char;
      if (char === "\n") this.#line++;
      if (this.#bare) continue;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === "\\") this.#escaped = true;
        else if (char === '"') {
          this.#inString = false;
          if (this.#depth === 0) done.push(this.#take());
        }
      } else if (char === '"') this.#inString = true;
      else if (char === "{" || char === "[") this.#depth++;
      else if (char === "}" || char === "]") {
        this.#depth--;
        if (this.#depth === 0) done.push(this.#take());
      }
    }
    return done;
  }

  /** Ends the input; returns what is left (an unfinished value, for `JSON.parse` to refuse). */
  end(): JsonValueText[] {
    return this.#text === "" ? [] : [this.#take()];
  }

  #take(): JsonValueText {
    const value = { text: this.#text, line: this.#startLine };
    this.#text = "";
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
