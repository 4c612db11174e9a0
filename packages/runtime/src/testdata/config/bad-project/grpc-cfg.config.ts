// Config fixture: invalid values.
export default {
  server: { port: "abc", workers: 0 },
  logging: { batchSize: 1.5 },
  monitr: {},
};
