-- Primary key, unique, foreign key, check and exclusion constraints of the filtered schemas.
SELECT
  c.conrelid::int8 AS rel,
  c.conname AS name,
  c.contype::text AS kind,
  coalesce((
    SELECT array_agg(a.attname ORDER BY k.ord)
    FROM unnest(c.conkey) WITH ORDINALITY AS k(num, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
  ), '{}'::name[])::text[] AS columns,
  fn.nspname AS ref_schema,
  f.relname AS ref_table,
  coalesce((
    SELECT array_agg(a.attname ORDER BY k.ord)
    FROM unnest(c.confkey) WITH ORDINALITY AS k(num, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num
  ), '{}'::name[])::text[] AS ref_columns,
  c.confupdtype::text AS on_update,
  c.confdeltype::text AS on_delete,
  c.confmatchtype::text AS match_type,
  -- Read through to_jsonb so the query also runs on servers older than the column.
  -- Only rows that can have the property pay for the row-to-json conversion.
  coalesce(CASE WHEN c.contype = 'f' AND c.confdeltype IN ('n', 'd')
    AND jsonb_typeof(to_jsonb(c) -> 'confdelsetcols') = 'array'
    THEN jsonb_array_length(to_jsonb(c) -> 'confdelsetcols') > 0 END, false) AS delete_set_columns,
  c.condeferrable AS deferrable,
  c.condeferred AS deferred,
  c.convalidated AS validated,
  c.connoinherit AS no_inherit,
  c.conislocal AS is_local,
  coalesce(CASE WHEN c.contype = 'u' THEN (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean END, false)
    AS nulls_not_distinct,
  CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid, true) END AS expression,
  -- Deparsed only where a warning quotes it: deparsing every constraint is the slow part.
  CASE WHEN c.contype = 'x' THEN pg_catalog.pg_get_constraintdef(c.oid, true) END AS definition
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
WHERE n.nspname = ANY($1::text[])
  AND c.contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY c.conrelid, c.contype, c.conname
