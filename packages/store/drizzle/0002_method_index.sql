-- IF NOT EXISTS: on a large request_logs an operator can build the index first without
-- blocking log writes (CREATE INDEX CONCURRENTLY, see docs/configuration.md, "Upgrading");
-- this migration then holds no lock on the table while it runs.
CREATE INDEX IF NOT EXISTS "request_logs_method_created_at_idx" ON "request_logs" USING btree ("method","created_at");
