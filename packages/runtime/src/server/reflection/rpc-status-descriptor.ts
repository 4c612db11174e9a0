/**
 * google.protobuf.FileDescriptorSet of google/rpc/status.proto and google/rpc/error_details.proto
 * with what they import (google/protobuf/any.proto, duration.proto). Reflection serves these
 * files when the app's set lacks them, so reflection clients that resolve detail types by
 * reflection (grpcurl) decode the `grpc-status-details-bin` trailer the error mapping sends
 * (ErrorInfo, BadRequest, …) instead of printing base64. `buf curl` does not: it resolves
 * detail types only from those compiled into buf. Built from google-proto-files with
 * (descriptor-index.test.ts checks it is fresh):
 *
 *   cd node_modules/google-proto-files && buf build . --exclude-source-info \
 *     --path google/rpc/status.proto --path google/rpc/error_details.proto -o set.binpb
 */
export const RPC_STATUS_DESCRIPTOR_SET: Uint8Array = Buffer.from(
  "CoMCCh5nb29nbGUvcHJvdG9idWYvZHVyYXRpb24ucHJvdG8SD2dvb2dsZS5wcm90b2J1ZiI6CghEdXJhdGlvbhIYCgdzZWNv" +
    "bmRzGAEgASgDUgdzZWNvbmRzEhQKBW5hbm9zGAIgASgFUgVuYW5vc0KDAQoTY29tLmdvb2dsZS5wcm90b2J1ZkINRHVyYXRp" +
    "b25Qcm90b1ABWjFnb29nbGUuZ29sYW5nLm9yZy9wcm90b2J1Zi90eXBlcy9rbm93bi9kdXJhdGlvbnBi+AEBogIDR1BCqgIe" +
    "R29vZ2xlLlByb3RvYnVmLldlbGxLbm93blR5cGVzYgZwcm90bzPS9gMECAEYAAqUDwoeZ29vZ2xlL3JwYy9lcnJvcl9kZXRh" +
    "aWxzLnByb3RvEgpnb29nbGUucnBjGh5nb29nbGUvcHJvdG9idWYvZHVyYXRpb24ucHJvdG8iuQEKCUVycm9ySW5mbxIWCgZy" +
    "ZWFzb24YASABKAlSBnJlYXNvbhIWCgZkb21haW4YAiABKAlSBmRvbWFpbhI/CghtZXRhZGF0YRgDIAMoCzIjLmdvb2dsZS5y" +
    "cGMuRXJyb3JJbmZvLk1ldGFkYXRhRW50cnlSCG1ldGFkYXRhGjsKDU1ldGFkYXRhRW50cnkSEAoDa2V5GAEgASgJUgNrZXkS" +
    "FAoFdmFsdWUYAiABKAlSBXZhbHVlOgI4ASJHCglSZXRyeUluZm8SOgoLcmV0cnlfZGVsYXkYASABKAsyGS5nb29nbGUucHJv" +
    "dG9idWYuRHVyYXRpb25SCnJldHJ5RGVsYXkiSAoJRGVidWdJbmZvEiMKDXN0YWNrX2VudHJpZXMYASADKAlSDHN0YWNrRW50" +
    "cmllcxIWCgZkZXRhaWwYAiABKAlSBmRldGFpbCKOBAoMUXVvdGFGYWlsdXJlEkIKCnZpb2xhdGlvbnMYASADKAsyIi5nb29n" +
    "bGUucnBjLlF1b3RhRmFpbHVyZS5WaW9sYXRpb25SCnZpb2xhdGlvbnMauQMKCVZpb2xhdGlvbhIYCgdzdWJqZWN0GAEgASgJ" +
    "UgdzdWJqZWN0EiAKC2Rlc2NyaXB0aW9uGAIgASgJUgtkZXNjcmlwdGlvbhIfCgthcGlfc2VydmljZRgDIAEoCVIKYXBpU2Vy" +
    "dmljZRIhCgxxdW90YV9tZXRyaWMYBCABKAlSC3F1b3RhTWV0cmljEhkKCHF1b3RhX2lkGAUgASgJUgdxdW90YUlkEmIKEHF1" +
    "b3RhX2RpbWVuc2lvbnMYBiADKAsyNy5nb29nbGUucnBjLlF1b3RhRmFpbHVyZS5WaW9sYXRpb24uUXVvdGFEaW1lbnNpb25z" +
    "RW50cnlSD3F1b3RhRGltZW5zaW9ucxIfCgtxdW90YV92YWx1ZRgHIAEoA1IKcXVvdGFWYWx1ZRIxChJmdXR1cmVfcXVvdGFf" +
    "dmFsdWUYCCABKANIAFIQZnV0dXJlUXVvdGFWYWx1ZYgBARpCChRRdW90YURpbWVuc2lvbnNFbnRyeRIQCgNrZXkYASABKAlS" +
    "A2tleRIUCgV2YWx1ZRgCIAEoCVIFdmFsdWU6AjgBQhUKE19mdXR1cmVfcXVvdGFfdmFsdWUivQEKE1ByZWNvbmRpdGlvbkZh" +
    "aWx1cmUSSQoKdmlvbGF0aW9ucxgBIAMoCzIpLmdvb2dsZS5ycGMuUHJlY29uZGl0aW9uRmFpbHVyZS5WaW9sYXRpb25SCnZp" +
    "b2xhdGlvbnMaWwoJVmlvbGF0aW9uEhIKBHR5cGUYASABKAlSBHR5cGUSGAoHc3ViamVjdBgCIAEoCVIHc3ViamVjdBIgCgtk" +
    "ZXNjcmlwdGlvbhgDIAEoCVILZGVzY3JpcHRpb24ijAIKCkJhZFJlcXVlc3QSUAoQZmllbGRfdmlvbGF0aW9ucxgBIAMoCzIl" +
    "Lmdvb2dsZS5ycGMuQmFkUmVxdWVzdC5GaWVsZFZpb2xhdGlvblIPZmllbGRWaW9sYXRpb25zGqsBCg5GaWVsZFZpb2xhdGlv" +
    "bhIUCgVmaWVsZBgBIAEoCVIFZmllbGQSIAoLZGVzY3JpcHRpb24YAiABKAlSC2Rlc2NyaXB0aW9uEhYKBnJlYXNvbhgDIAEo" +
    "CVIGcmVhc29uEkkKEWxvY2FsaXplZF9tZXNzYWdlGAQgASgLMhwuZ29vZ2xlLnJwYy5Mb2NhbGl6ZWRNZXNzYWdlUhBsb2Nh" +
    "bGl6ZWRNZXNzYWdlIk8KC1JlcXVlc3RJbmZvEh0KCnJlcXVlc3RfaWQYASABKAlSCXJlcXVlc3RJZBIhCgxzZXJ2aW5nX2Rh" +
    "dGEYAiABKAlSC3NlcnZpbmdEYXRhIpABCgxSZXNvdXJjZUluZm8SIwoNcmVzb3VyY2VfdHlwZRgBIAEoCVIMcmVzb3VyY2VU" +
    "eXBlEiMKDXJlc291cmNlX25hbWUYAiABKAlSDHJlc291cmNlTmFtZRIUCgVvd25lchgDIAEoCVIFb3duZXISIAoLZGVzY3Jp" +
    "cHRpb24YBCABKAlSC2Rlc2NyaXB0aW9uIm8KBEhlbHASKwoFbGlua3MYASADKAsyFS5nb29nbGUucnBjLkhlbHAuTGlua1IF" +
    "bGlua3MaOgoETGluaxIgCgtkZXNjcmlwdGlvbhgBIAEoCVILZGVzY3JpcHRpb24SEAoDdXJsGAIgASgJUgN1cmwiRAoQTG9j" +
    "YWxpemVkTWVzc2FnZRIWCgZsb2NhbGUYASABKAlSBmxvY2FsZRIYCgdtZXNzYWdlGAIgASgJUgdtZXNzYWdlQmwKDmNvbS5n" +
    "b29nbGUucnBjQhFFcnJvckRldGFpbHNQcm90b1ABWj9nb29nbGUuZ29sYW5nLm9yZy9nZW5wcm90by9nb29nbGVhcGlzL3Jw" +
    "Yy9lcnJkZXRhaWxzO2VycmRldGFpbHOiAgNSUENiBnByb3RvM9L2AwQIABgACuwBChlnb29nbGUvcHJvdG9idWYvYW55LnBy" +
    "b3RvEg9nb29nbGUucHJvdG9idWYiNgoDQW55EhkKCHR5cGVfdXJsGAEgASgJUgd0eXBlVXJsEhQKBXZhbHVlGAIgASgMUgV2" +
    "YWx1ZUJ2ChNjb20uZ29vZ2xlLnByb3RvYnVmQghBbnlQcm90b1ABWixnb29nbGUuZ29sYW5nLm9yZy9wcm90b2J1Zi90eXBl" +
    "cy9rbm93bi9hbnlwYqICA0dQQqoCHkdvb2dsZS5Qcm90b2J1Zi5XZWxsS25vd25UeXBlc2IGcHJvdG8z0vYDBAgBGAAKmAIK" +
    "F2dvb2dsZS9ycGMvc3RhdHVzLnByb3RvEgpnb29nbGUucnBjGhlnb29nbGUvcHJvdG9idWYvYW55LnByb3RvImYKBlN0YXR1" +
    "cxISCgRjb2RlGAEgASgFUgRjb2RlEhgKB21lc3NhZ2UYAiABKAlSB21lc3NhZ2USLgoHZGV0YWlscxgDIAMoCzIULmdvb2ds" +
    "ZS5wcm90b2J1Zi5BbnlSB2RldGFpbHNCXgoOY29tLmdvb2dsZS5ycGNCC1N0YXR1c1Byb3RvUAFaN2dvb2dsZS5nb2xhbmcu" +
    "b3JnL2dlbnByb3RvL2dvb2dsZWFwaXMvcnBjL3N0YXR1cztzdGF0dXOiAgNSUENiBnByb3RvM9L2AwQIABgA",
  "base64",
);
