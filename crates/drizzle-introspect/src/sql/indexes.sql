-- Indexes that do not back a constraint, one row per index with per-key arrays.
SELECT
  i.indrelid::int8 AS rel,
  ic.relname AS name,
  i.indisunique AS is_unique,
  am.amname AS method,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
  coalesce(ic.reloptions, '{}'::text[]) AS options,
  (i.indnatts > i.indnkeyatts) AS has_include,
  coalesce(CASE WHEN i.indisunique THEN (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean END, false)
    AS nulls_not_distinct,
  k.columns,
  k.expressions,
  k.descending,
  k.nulls_first,
  k.opclasses,
  k.default_opclass,
  k.custom_collation
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
  SELECT
    array_agg(coalesce(a.attname::text, '') ORDER BY s.k) AS columns,
    array_agg(CASE WHEN i.indkey[s.k - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, s.k, true) ELSE '' END ORDER BY s.k) AS expressions,
    array_agg((i.indoption[s.k - 1] & 1) <> 0 ORDER BY s.k) AS descending,
    array_agg((i.indoption[s.k - 1] & 2) <> 0 ORDER BY s.k) AS nulls_first,
    array_agg(oc.opcname::text ORDER BY s.k) AS opclasses,
    array_agg(oc.opcdefault ORDER BY s.k) AS default_opclass,
    array_agg(i.indcollation[s.k - 1] <> 0 AND i.indcollation[s.k - 1] IS DISTINCT FROM coalesce(a.attcollation, i.indcollation[s.k - 1]) ORDER BY s.k) AS custom_collation
  FROM generate_series(1, i.indnkeyatts) AS s(k)
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[s.k - 1] AND i.indkey[s.k - 1] <> 0
  JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[s.k - 1]
) k
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint c
    WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
  )
ORDER BY i.indrelid, ic.relname
