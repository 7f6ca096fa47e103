-- Columns of every relation of the filtered schemas, with everything needed to spell the
-- type, detect serial and identity columns and read their sequences, in one pass.
WITH owned AS (
  -- The sequence each column owns: 'i' for identity, 'a' for serial and OWNED BY (a column
  -- owns at most one of each; identity wins). Joined by hash, not looked up per column.
  SELECT DISTINCT ON (d.refobjid, d.refobjsubid)
         d.refobjid AS rel, d.refobjsubid AS num,
         d.deptype::text AS kind, sn.nspname AS schema, s.relname AS name,
         q.seqstart AS start, q.seqincrement AS increment, q.seqmin AS min, q.seqmax AS max,
         q.seqcache AS cache, q.seqcycle AS cycle,
         CASE q.seqtypid WHEN 'int2'::regtype THEN 32767::int8 WHEN 'int4'::regtype THEN 2147483647::int8
              ELSE 9223372036854775807::int8 END AS type_max
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
  JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
  WHERE d.classid = 'pg_catalog.pg_class'::regclass
    AND d.refclassid = 'pg_catalog.pg_class'::regclass
    AND d.deptype IN ('a', 'i')
  ORDER BY d.refobjid, d.refobjsubid, d.deptype DESC
)
SELECT
  c.oid::int8 AS rel,
  a.attname AS name,
  a.attnum AS num,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS formatted,
  a.attndims::int4 AS dims,
  a.attnotnull AS not_null,
  a.attidentity::text AS identity,
  a.attgenerated::text AS generated,
  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) AS default_expr,
  base.typtype::text AS base_kind,
  base.typname AS base_name,
  bn.nspname AS base_schema,
  (t.typcategory = 'A') AS is_array,
  base.typname IN ('int2', 'int4', 'int8') AS is_integer,
  (a.attcollation <> 0 AND a.attcollation <> base.typcollation) AS custom_collation,
  coll.collname AS collation,
  dsc.description AS comment,
  seq.kind AS seq_kind,
  seq.schema AS seq_schema,
  seq.name AS seq_name,
  seq.start::text AS seq_start,
  seq.increment::text AS seq_increment,
  seq.min::text AS seq_min,
  seq.max::text AS seq_max,
  seq.cache::text AS seq_cache,
  seq.cycle AS seq_cycle,
  seq.type_max::text AS seq_type_max
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type base ON base.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace bn ON bn.oid = base.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
LEFT JOIN owned seq ON seq.rel = c.oid AND seq.num = a.attnum
LEFT JOIN pg_catalog.pg_description dsc
  ON dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objoid = c.oid AND dsc.objsubid = a.attnum
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.oid, a.attnum
