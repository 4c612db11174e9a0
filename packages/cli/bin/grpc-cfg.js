#!/usr/bin/env node
// Committed launcher: npm links bins at install time, before `prepare` has built dist/.
import "../dist/bin/grpc-cfg.js";
