ALTER TABLE "users" ADD COLUMN "email" text NOT NULL;
CREATE INDEX CONCURRENTLY "users_name_idx" ON "users" ("name");
ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";
