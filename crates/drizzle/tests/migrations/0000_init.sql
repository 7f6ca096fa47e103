CREATE TABLE "accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" varchar(255) NOT NULL,
	CONSTRAINT "accounts_email_unique" UNIQUE("email")
);
