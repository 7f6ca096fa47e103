-- Namespaces named by the schema filter that exist, with their comments.
SELECT n.nspname AS name
FROM pg_catalog.pg_namespace n
WHERE n.nspname = ANY($1::text[])
ORDER BY n.nspname
