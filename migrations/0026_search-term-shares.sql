CREATE TABLE "search_term_shares" (
	"term" text COLLATE "C" PRIMARY KEY NOT NULL,
	"share" real NOT NULL
);
