//! Snapshot JSON → model, accepting everything drizzle-kit's zod schema accepts for
//! version "7" and filling the same defaults it fills.

use super::{DIALECT, RenameMeta, Snapshot, SnapshotError, VERSION};
use crate::json::js_number;
use crate::{
    CheckConstraint, Column, Enum, ForeignKey, Generated, Identity, IdentityKind, Index,
    IndexColumn, LegacyColumnUnique, Literal, PUBLIC, Policy, PrimaryKey, Role, Schema, SchemaDef,
    Sequence, SequenceOptions, Table, UniqueConstraint, View,
};
use indexmap::IndexMap;
use serde_json::{Map, Value};

type Result<T> = std::result::Result<T, SnapshotError>;

/// Parses a whole snapshot file.
pub(super) fn snapshot(text: &str) -> Result<Snapshot> {
    let value: Value = serde_json::from_str(text).map_err(|e| SnapshotError::Syntax {
        message: strip_position(&e.to_string()),
        line: e.line(),
        column: e.column(),
    })?;
    let top = Obj::new(&value, String::new())?;
    check_version(&top)?;

    // Unknown top-level keys are ignored: drizzle-kit strips them too.
    let mut schema = Schema::default();
    for (key, value, path) in top.record("schemas")? {
        let name = string(value, &path)?;
        schema.schemas.insert(
            key.clone(),
            SchemaDef {
                name,
                renamed_from: None,
            },
        );
    }
    for (key, value, path) in top.record("enums")? {
        schema.enums.insert(key.clone(), enum_def(value, path)?);
    }
    for (key, value, path) in top.opt_record("sequences")? {
        schema.sequences.insert(key.clone(), sequence(value, path)?);
    }
    for (key, value, path) in top.opt_record("roles")? {
        schema.roles.insert(key.clone(), role(value, path)?);
    }
    for (key, value, path) in top.opt_record("policies")? {
        schema.policies.insert(key.clone(), policy(value, path)?);
    }
    for (key, value, path) in top.opt_record("views")? {
        schema.views.insert(key.clone(), view(value, path)?);
    }
    for (key, value, path) in top.record("tables")? {
        schema.tables.insert(key.clone(), table(value, path)?);
    }

    let meta_value = top.required("_meta")?;
    let meta = Obj::new(meta_value, top.child("_meta"))?;
    meta.deny_unknown(&["schemas", "tables", "columns"])?;
    let meta = RenameMeta {
        schemas: string_record(&meta, "schemas")?,
        tables: string_record(&meta, "tables")?,
        columns: string_record(&meta, "columns")?,
    };

    if let Some(comments) = top.optional("comments") {
        read_comments(&mut schema, comments, top.child("comments"))?;
    }

    Ok(Snapshot {
        id: top.string("id")?,
        prev_id: top.string("prevId")?,
        schema,
        meta,
        internal: top.optional("internal").cloned(),
    })
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn check_version(top: &Obj) -> Result<()> {
    let version = top.string("version")?;
    if version != VERSION {
        return match version.parse::<u32>() {
            Ok(n) if n < 7 => Err(SnapshotError::Outdated { version }),
            Ok(_) => Err(SnapshotError::UnsupportedVersion { version }),
            Err(_) => Err(top.error_at(
                "version",
                format!(
                    "expected a version number such as \"7\", found {}",
                    describe_str(&version)
                ),
            )),
        };
    }
    let dialect = top.string("dialect")?;
    if dialect != DIALECT {
        return Err(SnapshotError::UnsupportedDialect { dialect });
    }
    Ok(())
}

fn enum_def(value: &Value, path: String) -> Result<Enum> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&["name", "schema", "values"])?;
    Ok(Enum {
        name: o.string("name")?,
        schema: o.string("schema")?,
        values: o.string_array("values")?,
        value_renames: IndexMap::new(),
        comment: None,
        renamed_from: None,
    })
}

fn sequence_options(o: &Obj) -> Result<SequenceOptions> {
    Ok(SequenceOptions {
        increment: o.opt_string("increment")?,
        min_value: o.opt_string("minValue")?,
        max_value: o.opt_string("maxValue")?,
        start_with: o.opt_string("startWith")?,
        cache: o.opt_string("cache")?,
        cycle: o.opt_bool("cycle")?,
    })
}

const SEQUENCE_KEYS: [&str; 8] = [
    "name",
    "schema",
    "increment",
    "minValue",
    "maxValue",
    "startWith",
    "cache",
    "cycle",
];

fn sequence(value: &Value, path: String) -> Result<Sequence> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&SEQUENCE_KEYS)?;
    Ok(Sequence {
        name: o.string("name")?,
        schema: o.string("schema")?,
        options: sequence_options(&o)?,
        renamed_from: None,
    })
}

fn role(value: &Value, path: String) -> Result<Role> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&["name", "createDb", "createRole", "inherit"])?;
    Ok(Role {
        name: o.string("name")?,
        create_db: o.opt_bool("createDb")?,
        create_role: o.opt_bool("createRole")?,
        inherit: o.opt_bool("inherit")?,
        renamed_from: None,
    })
}

fn policy(value: &Value, path: String) -> Result<Policy> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "as",
        "for",
        "to",
        "using",
        "withCheck",
        "on",
        "schema",
    ])?;
    let as_ = o.opt_string("as")?;
    if let Some(v) = &as_ {
        o.one_of("as", v, &["PERMISSIVE", "RESTRICTIVE"])?;
    }
    let for_ = o.opt_string("for")?;
    if let Some(v) = &for_ {
        o.one_of("for", v, &["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"])?;
    }
    Ok(Policy {
        name: o.string("name")?,
        as_,
        for_,
        to: match o.optional("to") {
            Some(_) => Some(o.string_array("to")?),
            None => None,
        },
        using: o.opt_string("using")?,
        with_check: o.opt_string("withCheck")?,
        on: o.opt_string("on")?,
        schema: o.opt_string("schema")?,
        renamed_from: None,
    })
}

fn view(value: &Value, path: String) -> Result<View> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "schema",
        "columns",
        "definition",
        "materialized",
        "with",
        "isExisting",
        "withNoData",
        "using",
        "tablespace",
    ])?;
    let mut columns = IndexMap::new();
    for (key, value, path) in o.record("columns")? {
        columns.insert(key.clone(), column(value, path)?);
    }
    Ok(View {
        name: o.string("name")?,
        schema: o.string("schema")?,
        columns,
        definition: o.opt_string("definition")?,
        materialized: o.bool("materialized")?,
        with: o.opt_literal_record("with")?,
        is_existing: o.bool("isExisting")?,
        with_no_data: o.opt_bool("withNoData")?,
        using: o.opt_string("using")?,
        tablespace: o.opt_string("tablespace")?,
        comment: None,
        renamed_from: None,
    })
}

fn table(value: &Value, path: String) -> Result<Table> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "schema",
        "columns",
        "indexes",
        "foreignKeys",
        "compositePrimaryKeys",
        "uniqueConstraints",
        "policies",
        "checkConstraints",
        "isRLSEnabled",
    ])?;
    let schema = o.string("schema")?;
    let mut t = Table::new(
        if schema.is_empty() {
            PUBLIC.to_owned()
        } else {
            schema
        },
        o.string("name")?,
    );
    for (key, value, path) in o.record("columns")? {
        t.columns.insert(key.clone(), column(value, path)?);
    }
    for (key, value, path) in o.record("indexes")? {
        t.indexes.insert(key.clone(), index(value, path)?);
    }
    for (key, value, path) in o.record("foreignKeys")? {
        t.foreign_keys
            .insert(key.clone(), foreign_key(value, path)?);
    }
    for (key, value, path) in o.record("compositePrimaryKeys")? {
        let p = Obj::new(value, path)?;
        p.deny_unknown(&["name", "columns"])?;
        let pk = PrimaryKey {
            name: p.string("name")?,
            columns: p.string_array("columns")?,
        };
        t.composite_primary_keys.insert(key.clone(), pk);
    }
    for (key, value, path) in o.opt_record("uniqueConstraints")? {
        let u = Obj::new(value, path)?;
        u.deny_unknown(&["name", "columns", "nullsNotDistinct"])?;
        let unique = UniqueConstraint {
            name: u.string("name")?,
            columns: u.string_array("columns")?,
            nulls_not_distinct: u.bool("nullsNotDistinct")?,
        };
        t.unique_constraints.insert(key.clone(), unique);
    }
    for (key, value, path) in o.opt_record("policies")? {
        t.policies.insert(key.clone(), policy(value, path)?);
    }
    for (key, value, path) in o.opt_record("checkConstraints")? {
        let c = Obj::new(value, path)?;
        c.deny_unknown(&["name", "value"])?;
        let check = CheckConstraint {
            name: c.string("name")?,
            value: c.string("value")?,
        };
        t.check_constraints.insert(key.clone(), check);
    }
    t.rls_enabled = o.opt_bool("isRLSEnabled")?.unwrap_or(false);
    Ok(t)
}

fn column(value: &Value, path: String) -> Result<Column> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "type",
        "typeSchema",
        "primaryKey",
        "notNull",
        "default",
        "isUnique",
        "uniqueName",
        "nullsNotDistinct",
        "generated",
        "identity",
    ])?;
    let mut c = Column::new(o.string("name")?, o.string("type")?);
    c.type_schema = o.opt_string("typeSchema")?;
    c.primary_key = o.bool("primaryKey")?;
    c.not_null = o.bool("notNull")?;
    c.default = o.optional("default").map(literal);
    let legacy = LegacyColumnUnique {
        is_unique: o.optional("isUnique").cloned(),
        name: o.opt_string("uniqueName")?,
        nulls_not_distinct: o.opt_bool("nullsNotDistinct")?,
    };
    if legacy.is_unique.is_some() || legacy.name.is_some() || legacy.nulls_not_distinct.is_some() {
        c.legacy_unique = Some(legacy);
    }
    if let Some(g) = o.optional("generated") {
        let g = Obj::new(g, o.child("generated"))?;
        g.deny_unknown(&["as", "type"])?;
        let kind = g.string("type")?;
        g.one_of("type", &kind, &["stored"])?;
        c.generated = Some(Generated {
            expression: g.string("as")?,
        });
    }
    if let Some(i) = o.optional("identity") {
        let i = Obj::new(i, o.child("identity"))?;
        let mut keys = SEQUENCE_KEYS.to_vec();
        keys.push("type");
        i.deny_unknown(&keys)?;
        let kind = i.string("type")?;
        i.one_of("type", &kind, &["always", "byDefault"])?;
        c.identity = Some(Identity {
            kind: if kind == "always" {
                IdentityKind::Always
            } else {
                IdentityKind::ByDefault
            },
            name: i.string("name")?,
            schema: i.string("schema")?,
            options: sequence_options(&i)?,
        });
    }
    Ok(c)
}

fn index(value: &Value, path: String) -> Result<Index> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "columns",
        "isUnique",
        "with",
        "method",
        "where",
        "concurrently",
    ])?;
    let mut columns = Vec::new();
    for (i, item) in o.array("columns")?.iter().enumerate() {
        // drizzle-kit's index column object is not strict: extra keys are dropped.
        let c = Obj::new(item, format!("{}[{i}]", o.child("columns")))?;
        columns.push(IndexColumn {
            expression: c.string("expression")?,
            is_expression: c.bool("isExpression")?,
            asc: c.bool("asc")?,
            nulls: c.opt_string("nulls")?,
            opclass: c.opt_string("opclass")?,
        });
    }
    Ok(Index {
        name: o.string("name")?,
        columns,
        is_unique: o.bool("isUnique")?,
        where_clause: o.opt_string("where")?,
        concurrently: o.opt_bool("concurrently")?.unwrap_or(false),
        method: o
            .opt_string("method")?
            .unwrap_or_else(|| "btree".to_owned()),
        with: o.opt_literal_record("with")?,
    })
}

fn foreign_key(value: &Value, path: String) -> Result<ForeignKey> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&[
        "name",
        "tableFrom",
        "columnsFrom",
        "tableTo",
        "schemaTo",
        "columnsTo",
        "onUpdate",
        "onDelete",
    ])?;
    Ok(ForeignKey {
        name: o.string("name")?,
        table_from: o.string("tableFrom")?,
        columns_from: o.string_array("columnsFrom")?,
        table_to: o.string("tableTo")?,
        schema_to: o.opt_string("schemaTo")?,
        columns_to: o.string_array("columnsTo")?,
        on_update: o.opt_string("onUpdate")?,
        on_delete: o.opt_string("onDelete")?,
    })
}

fn literal(value: &Value) -> Literal {
    match value {
        Value::String(s) => Literal::Sql(s.clone()),
        // serde_json prints floats with Rust's exponent rules; keep JavaScript's text.
        Value::Number(n) => Literal::Number(js_number(&n.to_string())),
        Value::Bool(b) => Literal::Bool(*b),
        // zod types `default` as any(): arrays, objects and null are all valid snapshots.
        Value::Array(_) | Value::Object(_) | Value::Null => Literal::Json(value.clone()),
    }
}

fn read_comments(schema: &mut Schema, value: &Value, path: String) -> Result<()> {
    let o = Obj::new(value, path)?;
    o.deny_unknown(&["tables", "columns", "views", "enums"])?;
    for (key, value, path) in o.opt_record("tables")? {
        let table = schema
            .tables
            .get_mut(key)
            .ok_or_else(|| unknown_target(&path, "table"))?;
        table.comment = Some(string(value, &path)?);
    }
    for (key, value, path) in o.opt_record("columns")? {
        let table = schema
            .tables
            .get_mut(key)
            .ok_or_else(|| unknown_target(&path, "table"))?;
        let columns = Obj::new(value, path)?;
        for (name, value, path) in columns.entries() {
            let column = table
                .columns
                .get_mut(name)
                .ok_or_else(|| unknown_target(&path, "column"))?;
            column.comment = Some(string(value, &path)?);
        }
    }
    for (key, value, path) in o.opt_record("views")? {
        let view = schema
            .views
            .get_mut(key)
            .ok_or_else(|| unknown_target(&path, "view"))?;
        view.comment = Some(string(value, &path)?);
    }
    for (key, value, path) in o.opt_record("enums")? {
        let e = schema
            .enums
            .get_mut(key)
            .ok_or_else(|| unknown_target(&path, "enum"))?;
        e.comment = Some(string(value, &path)?);
    }
    Ok(())
}

fn unknown_target(path: &str, kind: &str) -> SnapshotError {
    SnapshotError::Malformed {
        path: path.to_owned(),
        message: format!("comment for a {kind} that is not in the snapshot"),
    }
}

fn string_record(o: &Obj, key: &str) -> Result<IndexMap<String, String>> {
    o.record(key)?
        .into_iter()
        .map(|(k, v, path)| Ok((k.clone(), string(v, &path)?)))
        .collect()
}

fn string(value: &Value, path: &str) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(mismatch(path.to_owned(), "a string", other)),
    }
}

/// A JSON object being read, with the path that leads to it.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Value, path: String) -> Result<Obj<'a>> {
        match value {
            Value::Object(map) => Ok(Obj { path, map }),
            other => Err(mismatch(path, "an object", other)),
        }
    }

    fn child(&self, key: &str) -> String {
        join_path(&self.path, key)
    }

    fn error_at(&self, key: &str, message: String) -> SnapshotError {
        SnapshotError::Malformed {
            path: self.child(key),
            message,
        }
    }

    fn optional(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn required(&self, key: &str) -> Result<&'a Value> {
        self.map.get(key).ok_or_else(|| SnapshotError::Malformed {
            path: display_path(&self.path),
            message: format!("missing key \"{key}\""),
        })
    }

    fn deny_unknown(&self, allowed: &[&str]) -> Result<()> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(key) => Err(SnapshotError::Malformed {
                path: display_path(&self.path),
                message: format!(
                    "unknown key \"{key}\" (expected one of {})",
                    allowed.join(", ")
                ),
            }),
            None => Ok(()),
        }
    }

    fn string(&self, key: &str) -> Result<String> {
        string(self.required(key)?, &self.child(key))
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>> {
        self.optional(key)
            .map(|v| string(v, &self.child(key)))
            .transpose()
    }

    fn bool(&self, key: &str) -> Result<bool> {
        match self.required(key)? {
            Value::Bool(b) => Ok(*b),
            other => Err(mismatch(self.child(key), "a boolean", other)),
        }
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.optional(key) {
            None => Ok(None),
            Some(_) => self.bool(key).map(Some),
        }
    }

    fn one_of(&self, key: &str, value: &str, allowed: &[&str]) -> Result<()> {
        if allowed.contains(&value) {
            return Ok(());
        }
        let allowed: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        Err(self.error_at(
            key,
            format!(
                "expected one of {}, found {}",
                allowed.join(", "),
                describe_str(value)
            ),
        ))
    }

    fn array(&self, key: &str) -> Result<&'a Vec<Value>> {
        match self.required(key)? {
            Value::Array(items) => Ok(items),
            other => Err(mismatch(self.child(key), "an array", other)),
        }
    }

    fn string_array(&self, key: &str) -> Result<Vec<String>> {
        let path = self.child(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| string(v, &format!("{path}[{i}]")))
            .collect()
    }

    fn entries(&self) -> Vec<(&'a String, &'a Value, String)> {
        self.map
            .iter()
            .map(|(k, v)| (k, v, join_path(&self.path, k)))
            .collect()
    }

    fn record(&self, key: &str) -> Result<Vec<(&'a String, &'a Value, String)>> {
        Ok(Obj::new(self.required(key)?, self.child(key))?.entries())
    }

    /// A record zod defaults to `{}` when absent.
    fn opt_record(&self, key: &str) -> Result<Vec<(&'a String, &'a Value, String)>> {
        match self.optional(key) {
            None => Ok(Vec::new()),
            Some(_) => self.record(key),
        }
    }

    fn opt_literal_record(&self, key: &str) -> Result<Option<IndexMap<String, Literal>>> {
        if self.optional(key).is_none() {
            return Ok(None);
        }
        let map = self.record(key)?.into_iter();
        Ok(Some(map.map(|(k, v, _)| (k.clone(), literal(v))).collect()))
    }
}

/// Appends a key to a dotted path, quoting keys that are not plain identifiers
/// (`tables."public.users".columns.id`).
fn join_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let segment = if plain {
        key.to_owned()
    } else {
        serde_json::to_string(key).expect("strings always serialize")
    };
    if parent.is_empty() {
        segment
    } else {
        format!("{parent}.{segment}")
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "(top level)".to_owned()
    } else {
        path.to_owned()
    }
}

fn mismatch(path: String, expected: &str, found: &Value) -> SnapshotError {
    SnapshotError::Malformed {
        path: display_path(&path),
        message: format!("expected {expected}, found {}", describe(found)),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => describe_str(s),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn describe_str(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        serde_json::to_string(s).expect("strings always serialize")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!(
            "{}…",
            serde_json::to_string(&head).expect("strings always serialize")
        )
    }
}
