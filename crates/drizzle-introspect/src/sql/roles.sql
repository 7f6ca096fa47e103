-- Roles of the cluster, without PostgreSQL's predefined pg_* roles.
SELECT r.rolname AS name, r.rolcreatedb AS create_db, r.rolcreaterole AS create_role, r.rolinherit AS inherit
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\_%'
ORDER BY r.rolname
