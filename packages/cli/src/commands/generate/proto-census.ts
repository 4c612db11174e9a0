/** How many services and rpc methods a set of .proto sources declares. */
export interface ProtoCensus {
  readonly services: number;
  readonly methods: number;
}

/**
 * Counts `service` and `rpc` declarations for the generate summary. buf has already
 * compiled these files, so a token scan is exact once comments and string literals (which may
 * contain the words) are blanked out.
 */
export function countServices(sources: readonly string[]): ProtoCensus {
  let services = 0;
  let methods = 0;
  for (const source of sources) {
    const code = stripCommentsAndStrings(source);
    services += (code.match(/(?:^|[\s;}])service\s+[A-Za-z_]\w*\s*\{/g) ?? []).length;
    methods += (code.match(/(?:^|[\s;{}])rpc\s+[A-Za-z_]\w*\s*\(/g) ?? []).length;
  }
  return { services, methods };
}

/** Replaces `// …`, `/* … *\/` and quoted strings with spaces, keeping everything else. */
export function stripCommentsAndStrings(source: string): string {
  return source.replace(
    /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g,
    (match) => match.replace(/[^\n]/g, " "),
  );
}
