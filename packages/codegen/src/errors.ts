/**
 * A problem in the user's input (protos, options, templates, plugin parameters) that the
 * plugin reports through `CodeGeneratorResponse.error`, so buf prints it and exits non-zero.
 * The message names what is wrong and where (file, service, rpc or `template:line`).
 */
export class CodegenError extends Error {
  override readonly name = "CodegenError";
}
