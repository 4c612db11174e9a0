-- Skipped when the partial index is already there: on a large request_logs an operator can
-- build it first without blocking writes (see docs/configuration.md, "Upgrading"), and this
-- migration then holds no lock on the table while it runs.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_indexes
    WHERE schemaname = current_schema()
      AND indexname = 'request_logs_status_idx'
      AND indexdef LIKE '%WHERE%'
  ) THEN
    DROP INDEX IF EXISTS "request_logs_status_idx";
    CREATE INDEX "request_logs_status_idx" ON "request_logs" USING btree ("status","created_at") WHERE "request_logs"."status" <> 'success';
  END IF;
END $$;
