DROP INDEX "request_logs_status_idx";--> statement-breakpoint
CREATE INDEX "request_logs_status_idx" ON "request_logs" USING btree ("status","created_at") WHERE "request_logs"."status" <> 'success';