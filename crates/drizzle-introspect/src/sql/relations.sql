-- Tables, partitioned tables, views, materialized views and foreign tables of the filtered
-- schemas, minus those owned by extensions.
SELECT
  c.oid::int8 AS oid,
  n.nspname AS schema,
  c.relname AS name,
  c.relkind::text AS kind,
  c.relrowsecurity AS rls,
  c.relforcerowsecurity AS force_rls,
  c.relispartition AS is_partition,
  c.relpersistence::text AS persistence,
  c.relispopulated AS populated,
  coalesce(c.reloptions, '{}'::text[]) AS options,
  am.amname AS access_method,
  ts.spcname AS tablespace,
  pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS definition,
  coalesce((
    SELECT array_agg(pn.nspname || '.' || p.relname ORDER BY i.inhseqno)
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
    JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
    WHERE i.inhrelid = c.oid
  ), '{}'::text[]) AS parents
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
