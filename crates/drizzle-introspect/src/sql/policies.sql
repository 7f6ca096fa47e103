-- Row-level security policies of the filtered schemas.
SELECT
  p.polrelid::int8 AS rel,
  p.polname AS name,
  p.polpermissive AS permissive,
  p.polcmd::text AS command,
  coalesce((
    SELECT array_agg(CASE WHEN r.oid = 0 THEN 'public' ELSE rr.rolname::text END ORDER BY 1)
    FROM unnest(p.polroles) AS r(oid)
    LEFT JOIN pg_catalog.pg_roles rr ON rr.oid = r.oid
  ), '{}'::text[]) AS roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid, true) AS using_expr,
  pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid, true) AS check_expr
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
ORDER BY p.polrelid, p.polname
