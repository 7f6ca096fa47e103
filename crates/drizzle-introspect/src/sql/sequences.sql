-- Sequences of the filtered schemas that no identity column owns; serial and OWNED BY
-- sequences are included with their owner so the caller can fold serials into columns.
SELECT
  n.nspname AS schema,
  s.relname AS name,
  q.seqstart::text AS start,
  q.seqincrement::text AS increment,
  q.seqmin::text AS min,
  q.seqmax::text AS max,
  q.seqcache::text AS cache,
  q.seqcycle AS cycle,
  own.schema AS owner_schema,
  own.table AS owner_table,
  own.column AS owner_column
FROM pg_catalog.pg_class s
JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace
JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
LEFT JOIN LATERAL (
  SELECT tn.nspname AS schema, t.relname AS table, a.attname AS column
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = s.oid
    AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'
  LIMIT 1
) own ON true
WHERE n.nspname = ANY($1::text[])
  AND s.relkind = 'S'
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('i', 'e')
  )
ORDER BY n.nspname, s.relname
