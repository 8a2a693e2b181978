ALTER TABLE "outbox" ADD COLUMN "possible_duplicate" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_message" ON "outbox" USING btree ("message_id");