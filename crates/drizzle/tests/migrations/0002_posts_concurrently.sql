-- drizzle:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_account_id_index" ON "posts" USING btree ("account_id");