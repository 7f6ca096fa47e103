//! The differ: resolves renames kind by kind (drizzle-kit's order: schemas, enums,
//! sequences, roles, tables, columns, policies, linked policies, views), applying each to a
//! copy of the old schema as PostgreSQL would, then compares what is left object by object.
//!
//! Changes come out in drizzle-kit's order *within* each kind (created objects in the new
//! schema's order, altered tables in the old schema's order); `drizzle-sql`'s ordering
//! function decides the order *between* kinds and sorts stably.

use std::collections::{HashMap, HashSet};

use drizzle_schema::{
    Column, Enum, ForeignKey, Identity, Index, IndexColumn, Literal, OldName, PUBLIC, Policy,
    Schema, SequenceOptions, Table, View, qualified_key,
};
use indexmap::{IndexMap, IndexSet};

use crate::change::{Change, ChangeKind, CommentTarget, EnumColumn, TableRef};
use crate::expr::{identifiers, rename_identifiers};
use crate::patch::{self, array_suffix, base_type};
use crate::renames::{RenameKind, Renames};
use crate::resolve::{Decisions, resolve};

/// What one diff produced.
pub struct Outcome {
    /// The changes, in emission order.
    pub changes: Vec<Change>,
    /// Renames applied, ambiguities left, explicit renames used.
    pub decisions: Decisions,
    /// Things in the new schema no statement can express.
    pub problems: Vec<String>,
}

/// Diffs `from` → `to` with the explicit decisions `renames`.
pub fn run(from: &Schema, to: &Schema, renames: &Renames) -> Outcome {
    let mut d = Differ {
        to,
        explicit: renames,
        old: from.clone(),
        changes: Vec::new(),
        comments: Vec::new(),
        decisions: Decisions::default(),
        problems: Vec::new(),
        schema_renames: HashMap::new(),
        name_renames: HashMap::new(),
        created_tables: IndexSet::new(),
        dropped_tables: HashSet::new(),
        matched_tables: Vec::new(),
        matched_enums: Vec::new(),
        view_pairs: Vec::new(),
        affected: HashSet::new(),
        type_changed: HashSet::new(),
        recreated_columns: HashSet::new(),
        dropped_keys: HashSet::new(),
        added_keys: HashSet::new(),
        deferred_policies: Vec::new(),
        pre_rename_tables: HashMap::new(),
        pre_rename_columns: HashMap::new(),
    };
    d.schemas();
    // Every other key names a schema: candidates found before the schemas are decided
    // would name objects by keys that deciding them changes.
    if !d.decisions.ambiguities.is_empty() {
        return Outcome {
            changes: d.changes,
            decisions: d.decisions,
            problems: d.problems,
        };
    }
    d.enums();
    d.sequences();
    d.roles();
    d.tables();
    d.columns();
    d.table_policies();
    d.linked_policies();
    d.views();
    d.prepare_comparison();
    for key in d.matched_tables.clone() {
        d.compare_table(&key);
    }
    let deferred = std::mem::take(&mut d.deferred_policies);
    d.changes.extend(deferred);
    let waiting: Vec<bool> = d
        .changes
        .iter()
        .map(|c| matches!(c, Change::AddForeignKey { foreign_key, new_table: true, .. } if d.fk_waits(foreign_key)))
        .collect();
    for (change, wait) in d.changes.iter_mut().zip(waiting) {
        if let Change::AddForeignKey { new_table, .. } = change
            && wait
        {
            *new_table = false;
        }
    }
    d.enum_values();
    d.compare_views();
    let comments = std::mem::take(&mut d.comments);
    d.changes.extend(comments);
    Outcome {
        changes: d.changes,
        decisions: d.decisions,
        problems: d.problems,
    }
}

struct Differ<'a> {
    to: &'a Schema,
    explicit: &'a Renames,
    /// The old schema with every rename resolved so far applied.
    old: Schema,
    changes: Vec<Change>,
    /// `COMMENT ON` changes, emitted last.
    comments: Vec<Change>,
    decisions: Decisions,
    problems: Vec<String>,
    /// Old schema name → new.
    schema_renames: HashMap<String, String>,
    /// Old name → new of schemas, tables and views: what a view's query may name.
    name_renames: HashMap<String, String>,
    /// Keys of tables created by this diff.
    created_tables: IndexSet<String>,
    /// Keys of tables dropped by this diff.
    dropped_tables: HashSet<String>,
    /// Keys of tables on both sides, in the old schema's order.
    matched_tables: Vec<String>,
    /// Keys of enums on both sides.
    matched_enums: Vec<String>,
    /// Views on both sides: (old view as it is before view renames, new key).
    view_pairs: Vec<(View, String)>,
    /// Lowercase names of tables and views whose columns change in a way a view notices.
    affected: HashSet<String>,
    /// (table key, column) whose type changes.
    type_changed: HashSet<(String, String)>,
    /// (table key, column) dropped and re-added (generated expression changes).
    recreated_columns: HashSet<(String, String)>,
    /// (table key, sorted columns) of primary and unique keys dropped from existing tables.
    dropped_keys: HashSet<(String, Vec<String>)>,
    /// (table key, sorted columns) of primary and unique keys added to existing tables.
    added_keys: HashSet<(String, Vec<String>)>,
    /// Policies of created tables: drizzle-kit emits them after those of altered tables.
    deferred_policies: Vec<Change>,
    /// Matched tables (by new key) as named before table renames run.
    pre_rename_tables: HashMap<String, TableRef>,
    /// (new table key, new column name) → the column's name before column renames run.
    pre_rename_columns: HashMap<(String, String), String>,
}

/// Every non-public schema the model declares or puts objects in, in first-use order.
fn used_schemas(s: &Schema) -> IndexSet<String> {
    let mut out = IndexSet::new();
    out.extend(s.schemas.keys().cloned());
    out.extend(s.enums.values().map(|e| e.schema.clone()));
    out.extend(s.sequences.values().map(|q| q.schema.clone()));
    out.extend(s.tables.values().map(|t| t.schema.clone()));
    out.extend(
        s.views
            .values()
            .filter(|v| !v.is_existing)
            .map(|v| v.schema.clone()),
    );
    out.retain(|name| !name.is_empty() && name != PUBLIC);
    out
}

/// Effective row-level security: drizzle-kit enables it for any table with policies.
fn rls_on(t: &Table) -> bool {
    t.rls_enabled || !t.policies.is_empty()
}

fn is_serial(sql_type: &str) -> bool {
    matches!(sql_type, "serial" | "bigserial" | "smallserial")
}

fn enum_target(e: &Enum) -> CommentTarget {
    CommentTarget::Enum {
        schema: e.schema.clone(),
        name: e.name.clone(),
    }
}

fn view_target(v: &View) -> CommentTarget {
    CommentTarget::View {
        schema: v.schema.clone(),
        name: v.name.clone(),
        materialized: v.materialized,
    }
}

fn column_target(table: &TableRef, column: &str) -> CommentTarget {
    CommentTarget::Column {
        table: table.clone(),
        column: column.to_owned(),
    }
}

/// Whether `c` is typed with the enum `schema.name` (or an array of it).
fn uses_enum(c: &Column, schema: &str, name: &str) -> bool {
    let type_schema = c
        .type_schema
        .as_deref()
        .map(|s| if s.is_empty() { PUBLIC } else { s });
    type_schema == Some(schema) && base_type(&c.sql_type) == name
}

/// The type as the database sees it: drizzle-kit writes `timestamp (3)` for mode "date"
/// and `timestamp(3)` otherwise, both the same type.
fn type_key(c: &Column) -> (String, Option<&str>) {
    (
        c.sql_type.replace(" (", "("),
        c.type_schema
            .as_deref()
            .map(|s| if s.is_empty() { PUBLIC } else { s }),
    )
}

fn default_sql(c: &Column) -> Option<String> {
    c.default.as_ref().map(Literal::to_sql)
}

fn normalized_options(o: &SequenceOptions) -> SequenceOptions {
    SequenceOptions {
        cycle: Some(o.cycle.unwrap_or(false)),
        ..o.clone()
    }
}

fn same_identity(a: &Identity, b: &Identity) -> bool {
    a.kind == b.kind
        && a.name == b.name
        && a.schema == b.schema
        && normalized_options(&a.options) == normalized_options(&b.options)
}

fn action(a: &Option<String>) -> String {
    match a.as_deref() {
        None | Some("") => "no action".to_owned(),
        Some(a) => a.to_lowercase(),
    }
}

fn fk_target(fk: &ForeignKey) -> (&str, &str) {
    (
        fk.schema_to
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(PUBLIC),
        &fk.table_to,
    )
}

fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.columns_from == b.columns_from
        && fk_target(a) == fk_target(b)
        && a.columns_to == b.columns_to
        && action(&a.on_update) == action(&b.on_update)
        && action(&a.on_delete) == action(&b.on_delete)
}

fn index_key(k: &IndexColumn) -> (&str, bool, bool, &str, Option<&str>) {
    let nulls = k
        .nulls
        .as_deref()
        .unwrap_or(if k.asc { "last" } else { "first" });
    (
        &k.expression,
        k.is_expression,
        k.asc,
        nulls,
        k.opclass.as_deref(),
    )
}

/// Index definitions. `CONCURRENTLY` is how an index is built, not what it is.
fn same_index(a: &Index, b: &Index) -> bool {
    let empty = IndexMap::new();
    a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| index_key(x) == index_key(y))
        && a.is_unique == b.is_unique
        && a.where_clause == b.where_clause
        && a.method == b.method
        && a.with.as_ref().unwrap_or(&empty) == b.with.as_ref().unwrap_or(&empty)
}

fn same_policy_kind(a: &Policy, b: &Policy) -> bool {
    let as_ = |p: &Policy| p.as_.as_deref().unwrap_or("PERMISSIVE").to_uppercase();
    let for_ = |p: &Policy| p.for_.as_deref().unwrap_or("ALL").to_uppercase();
    as_(a) == as_(b) && for_(a) == for_(b)
}

fn policy_roles(p: &Policy) -> Vec<String> {
    p.to.clone().unwrap_or_else(|| vec!["public".to_owned()])
}

fn sorted(columns: &[String]) -> Vec<String> {
    let mut out = columns.to_vec();
    out.sort();
    out
}

/// How a named kind of table member changed, with renames found by definition: a member
/// that disappears and one that appears with the same definition is the same object under
/// a new name (drizzle-kit's default names contain table and column names).
struct Members<'a, T> {
    /// Dropped: members that disappear, then altered ones (old definitions).
    dropped: Vec<&'a T>,
    /// Renamed: (old, new).
    renamed: Vec<(&'a T, &'a T)>,
    /// Added: members that appear, then altered ones (new definitions).
    added: Vec<&'a T>,
}

fn members<'a, T>(
    old: &'a IndexMap<String, T>,
    new: &'a IndexMap<String, T>,
    same: impl Fn(&T, &T) -> bool,
    forced: impl Fn(&T) -> bool,
) -> Members<'a, T> {
    let mut deleted: Vec<&T> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let mut added: Vec<&T> = new
        .iter()
        .filter(|(k, _)| !old.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let altered: Vec<(&T, &T)> = old
        .iter()
        .filter_map(|(k, o)| new.get(k).map(|n| (o, n)))
        .filter(|(o, n)| !same(o, n) || forced(o))
        .collect();
    let mut renamed = Vec::new();
    let mut i = 0;
    while i < deleted.len() {
        let d = deleted[i];
        match added.iter().position(|a| !forced(d) && same(d, a)) {
            Some(j) => {
                renamed.push((d, added.remove(j)));
                deleted.remove(i);
            }
            None => i += 1,
        }
    }
    deleted.extend(altered.iter().map(|(o, _)| *o));
    added.extend(altered.iter().map(|(_, n)| *n));
    Members {
        dropped: deleted,
        renamed,
        added,
    }
}

impl Differ<'_> {
    fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    fn comment(&mut self, target: CommentTarget, comment: Option<&String>) {
        self.comments.push(Change::SetComment {
            target,
            comment: comment.cloned(),
        });
    }

    /// The old key a `renamed_from` hint names; an unqualified old name keeps `schema`.
    fn hint_key(&self, old: &OldName, schema: &str) -> String {
        let old_schema = match &old.schema {
            Some(s) => self
                .schema_renames
                .get(s)
                .map_or(s.as_str(), String::as_str),
            None => schema,
        };
        qualified_key(old_schema, &old.name)
    }

    fn schemas(&mut self) {
        let old: Vec<String> = used_schemas(&self.old).into_iter().collect();
        let new: Vec<(String, Option<String>)> = used_schemas(self.to)
            .into_iter()
            .map(|name| {
                let hint = self
                    .to
                    .schemas
                    .get(&name)
                    .and_then(|d| d.renamed_from.clone());
                (name, hint)
            })
            .collect();
        let r = resolve(
            RenameKind::Schema,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for name in r.created {
            self.push(Change::CreateSchema { name });
        }
        for (from, to) in r.pairs {
            self.push(Change::RenameSchema {
                from: from.clone(),
                to: to.clone(),
            });
            patch::schema(&mut self.old, &from, &to);
            self.name_renames.insert(from.clone(), to.clone());
            self.schema_renames.insert(from, to);
        }
        for name in r.deleted {
            self.push(Change::DropSchema { name });
        }
    }

    fn enums(&mut self) {
        let old: Vec<String> = self.old.enums.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .enums
            .iter()
            .map(|(k, e)| {
                let hint = e.renamed_from.as_ref().map(|o| self.hint_key(o, &e.schema));
                (k.clone(), hint)
            })
            .collect();
        let r = resolve(
            RenameKind::Enum,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for (from, to) in &r.pairs {
            let o = self.old.enums[from].clone();
            let n = &self.to.enums[to];
            if o.schema != n.schema {
                self.push(Change::MoveEnum {
                    name: o.name.clone(),
                    from_schema: o.schema.clone(),
                    to_schema: n.schema.clone(),
                });
            }
            if o.name != n.name {
                self.push(Change::RenameEnum {
                    schema: n.schema.clone(),
                    from: o.name.clone(),
                    to: n.name.clone(),
                });
            }
            patch::enum_(&mut self.old, from, &n.schema, &n.name);
        }
        for key in &r.created {
            let e = &self.to.enums[key];
            self.push(Change::CreateEnum(e.clone()));
            if e.comment.is_some() {
                self.comment(enum_target(e), e.comment.as_ref());
            }
        }
        for key in &r.deleted {
            let e = &self.old.enums[key];
            let drop = Change::DropEnum {
                schema: e.schema.clone(),
                name: e.name.clone(),
            };
            self.push(drop);
        }
        let created: HashSet<&String> = r.created.iter().collect();
        self.matched_enums = self
            .to
            .enums
            .keys()
            .filter(|k| !created.contains(k))
            .cloned()
            .collect();
    }

    fn sequences(&mut self) {
        let old: Vec<String> = self.old.sequences.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .sequences
            .iter()
            .map(|(k, q)| {
                let hint = q.renamed_from.as_ref().map(|o| self.hint_key(o, &q.schema));
                (k.clone(), hint)
            })
            .collect();
        let r = resolve(
            RenameKind::Sequence,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for (from, to) in &r.pairs {
            let o = self.old.sequences[from].clone();
            let n = &self.to.sequences[to];
            if o.schema != n.schema {
                self.push(Change::MoveSequence {
                    name: o.name.clone(),
                    from_schema: o.schema.clone(),
                    to_schema: n.schema.clone(),
                });
            }
            if o.name != n.name {
                self.push(Change::RenameSequence {
                    schema: n.schema.clone(),
                    from: o.name.clone(),
                    to: n.name.clone(),
                    owned: false,
                });
            }
            patch::sequence(&mut self.old, from, &n.schema, &n.name);
        }
        for key in &r.created {
            self.push(Change::CreateSequence(self.to.sequences[key].clone()));
        }
        for (key, n) in &self.to.sequences {
            if let Some(o) = self.old.sequences.get(key)
                && normalized_options(&o.options) != normalized_options(&n.options)
            {
                let change = Change::AlterSequence {
                    schema: n.schema.clone(),
                    name: n.name.clone(),
                    from: o.options.clone(),
                    to: n.options.clone(),
                };
                self.changes.push(change);
            }
        }
        for key in &r.deleted {
            let q = &self.old.sequences[key];
            let drop = Change::DropSequence {
                schema: q.schema.clone(),
                name: q.name.clone(),
            };
            self.changes.push(drop);
        }
    }

    fn roles(&mut self) {
        let old: Vec<String> = self.old.roles.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .roles
            .iter()
            .map(|(k, r)| (k.clone(), r.renamed_from.clone()))
            .collect();
        let r = resolve(
            RenameKind::Role,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for (from, to) in &r.pairs {
            self.push(Change::RenameRole {
                from: from.clone(),
                to: to.clone(),
            });
            patch::role(&mut self.old, from, to);
        }
        for key in &r.deleted {
            self.push(Change::DropRole { name: key.clone() });
        }
        for key in &r.created {
            self.push(Change::CreateRole(self.to.roles[key].clone()));
        }
        for (key, n) in &self.to.roles {
            let Some(o) = self.old.roles.get(key) else {
                continue;
            };
            let flags = |r: &drizzle_schema::Role| {
                (
                    r.create_db.unwrap_or(false),
                    r.create_role.unwrap_or(false),
                    r.inherit.unwrap_or(true),
                )
            };
            if flags(o) != flags(n) {
                self.changes.push(Change::AlterRole(n.clone()));
            }
        }
    }

    fn tables(&mut self) {
        let old: Vec<String> = self.old.tables.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .tables
            .iter()
            .map(|(k, t)| {
                let hint = t.renamed_from.as_ref().map(|o| self.hint_key(o, &t.schema));
                (k.clone(), hint)
            })
            .collect();
        let r = resolve(
            RenameKind::Table,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for (key, t) in &self.old.tables {
            if self.to.tables.contains_key(key) {
                self.pre_rename_tables.insert(key.clone(), TableRef::of(t));
            }
        }
        for (from, to) in &r.pairs {
            let o = self.old.tables[from].clone();
            let n = &self.to.tables[to];
            self.pre_rename_tables.insert(to.clone(), TableRef::of(&o));
            if o.schema != n.schema {
                self.push(Change::MoveTable {
                    name: o.name.clone(),
                    from_schema: o.schema.clone(),
                    to_schema: n.schema.clone(),
                });
                self.name_renames.insert(o.schema.clone(), n.schema.clone());
            }
            if o.name != n.name {
                let table = TableRef::of(n);
                self.push(Change::RenameTable {
                    schema: n.schema.clone(),
                    from: o.name.clone(),
                    to: n.name.clone(),
                });
                self.name_renames.insert(o.name.clone(), n.name.clone());
                // PostgreSQL names a column-level primary key and a serial's sequence after
                // the table; a database created from the new schema has the new names.
                if o.columns.values().any(|c| c.primary_key) {
                    self.push(Change::RenameConstraint {
                        table: table.clone(),
                        from: format!("{}_pkey", o.name),
                        to: format!("{}_pkey", n.name),
                        kind: ChangeKind::PrimaryKey,
                    });
                }
                for c in o.columns.values().filter(|c| is_serial(&c.sql_type)) {
                    self.push(Change::RenameSequence {
                        schema: n.schema.clone(),
                        from: format!("{}_{}_seq", o.name, c.name),
                        to: format!("{}_{}_seq", n.name, c.name),
                        owned: true,
                    });
                }
            }
            patch::table(&mut self.old, from, &n.schema, &n.name);
        }
        for key in &r.created {
            self.created_tables.insert(key.clone());
            self.create_table(&self.to.tables[key]);
        }
        for key in &r.deleted {
            let t = &self.old.tables[key];
            self.dropped_tables.insert(key.clone());
            self.affected.insert(t.name.to_lowercase());
            let drop = Change::DropTable {
                table: TableRef::of(t),
                policies: t.policies.keys().cloned().collect(),
            };
            self.changes.push(drop);
        }
        self.matched_tables = self
            .old
            .tables
            .keys()
            .filter(|k| self.to.tables.contains_key(*k))
            .cloned()
            .collect();
    }

    fn create_table(&mut self, t: &Table) {
        let table = TableRef::of(t);
        self.push(Change::CreateTable(t.clone()));
        if rls_on(t) {
            self.push(Change::EnableRls {
                table: table.clone(),
                new_table: true,
            });
        }
        for fk in t.foreign_keys.values() {
            self.push(Change::AddForeignKey {
                table: table.clone(),
                foreign_key: fk.clone(),
                new_table: true,
            });
        }
        for index in t.indexes.values() {
            self.push(Change::CreateIndex {
                table: table.clone(),
                index: index.clone(),
                new_table: true,
            });
        }
        for policy in t.policies.values() {
            self.deferred_policies.push(Change::CreatePolicy {
                table: table.clone(),
                policy: policy.clone(),
            });
        }
        if t.comment.is_some() {
            self.comment(CommentTarget::Table(table.clone()), t.comment.as_ref());
        }
        for column in t.columns.values().filter(|c| c.comment.is_some()) {
            self.comment(column_target(&table, &column.name), column.comment.as_ref());
        }
    }

    fn columns(&mut self) {
        for key in self.matched_tables.clone() {
            let old: Vec<String> = self.old.tables[&key].columns.keys().cloned().collect();
            let n = &self.to.tables[&key];
            let new: Vec<(String, Option<String>)> = n
                .columns
                .values()
                .map(|c| (c.name.clone(), c.renamed_from.clone()))
                .collect();
            let r = resolve(
                RenameKind::Column,
                Some(&key),
                &old,
                &new,
                self.explicit,
                &mut self.decisions,
            );
            let table = TableRef::of(n);
            for (from, to) in &r.pairs {
                self.pre_rename_columns
                    .insert((key.clone(), to.clone()), from.clone());
                self.push(Change::RenameColumn {
                    table: table.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
                let serial = is_serial(&self.old.tables[&key].columns[from].sql_type);
                if serial {
                    self.push(Change::RenameSequence {
                        schema: n.schema.clone(),
                        from: format!("{}_{from}_seq", n.name),
                        to: format!("{}_{to}_seq", n.name),
                        owned: true,
                    });
                }
                self.affected.insert(n.name.to_lowercase());
                patch::column(&mut self.old, &key, from, to);
            }
        }
    }

    fn table_policies(&mut self) {
        for key in self.matched_tables.clone() {
            let old: Vec<String> = self.old.tables[&key].policies.keys().cloned().collect();
            let n = &self.to.tables[&key];
            let new: Vec<(String, Option<String>)> = n
                .policies
                .values()
                .map(|p| (p.name.clone(), p.renamed_from.clone()))
                .collect();
            let r = resolve(
                RenameKind::Policy,
                Some(&key),
                &old,
                &new,
                self.explicit,
                &mut self.decisions,
            );
            for (from, to) in &r.pairs {
                self.push(Change::RenamePolicy {
                    table: TableRef::of(n),
                    from: from.clone(),
                    to: to.clone(),
                });
                patch::policy(&mut self.old, &key, from, to);
            }
        }
    }

    fn linked_policies(&mut self) {
        let old: Vec<String> = self.old.policies.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .policies
            .iter()
            .map(|(k, p)| (k.clone(), p.renamed_from.clone()))
            .collect();
        let r = resolve(
            RenameKind::Policy,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        for (from, to) in &r.pairs {
            let on = self.old.policies[from].on.clone().unwrap_or_default();
            self.push(Change::RenameLinkedPolicy {
                on,
                from: from.clone(),
                to: to.clone(),
            });
            patch::linked_policy(&mut self.old, from, to);
        }
        let mut drops = Vec::new();
        let mut creates = Vec::new();
        let mut alters = Vec::new();
        for key in &r.deleted {
            let p = &self.old.policies[key];
            drops.push(Change::DropLinkedPolicy {
                name: p.name.clone(),
                on: p.on.clone().unwrap_or_default(),
            });
        }
        for (key, n) in &self.to.policies {
            if n.on.is_none() {
                self.problems
                    .push(format!("policy \"{key}\" names no table to go on"));
                continue;
            }
            match self.old.policies.get(key) {
                None => creates.push(Change::CreateLinkedPolicy(n.clone())),
                Some(o) if o.on != n.on || needs_policy_recreate(o, n) => {
                    drops.push(Change::DropLinkedPolicy {
                        name: o.name.clone(),
                        on: o.on.clone().unwrap_or_default(),
                    });
                    creates.push(Change::CreateLinkedPolicy(n.clone()));
                }
                Some(o) if policy_changed(o, n) => {
                    alters.push(Change::AlterLinkedPolicy(n.clone()))
                }
                Some(_) => {}
            }
        }
        self.changes.extend(drops);
        self.changes.extend(creates);
        self.changes.extend(alters);
    }

    fn views(&mut self) {
        let old: Vec<String> = self.old.views.keys().cloned().collect();
        let new: Vec<(String, Option<String>)> = self
            .to
            .views
            .iter()
            .map(|(k, v)| {
                let hint = v.renamed_from.as_ref().map(|o| self.hint_key(o, &v.schema));
                (k.clone(), hint)
            })
            .collect();
        let r = resolve(
            RenameKind::View,
            None,
            &old,
            &new,
            self.explicit,
            &mut self.decisions,
        );
        // drizzle-kit alters views in the old schema's order.
        let paired: HashMap<&String, &String> = r.pairs.iter().map(|(f, t)| (f, t)).collect();
        for (old_key, o) in &self.old.views {
            let key = paired.get(old_key).copied().unwrap_or(old_key);
            if let Some(n) = self.to.views.get(key) {
                if o.name != n.name {
                    self.name_renames.insert(o.name.clone(), n.name.clone());
                }
                self.view_pairs.push((o.clone(), key.clone()));
            }
        }
        for key in &r.created {
            let v = &self.to.views[key];
            // Existing views are managed elsewhere; a view without a query cannot be made.
            if v.is_existing || v.definition.is_none() {
                continue;
            }
            self.push(Change::CreateView(v.clone()));
            if v.comment.is_some() {
                self.comment(view_target(v), v.comment.as_ref());
            }
        }
        for key in &r.deleted {
            let v = &self.old.views[key];
            if v.is_existing {
                continue;
            }
            self.affected.insert(v.name.to_lowercase());
            let drop = Change::DropView {
                schema: v.schema.clone(),
                name: v.name.clone(),
                materialized: v.materialized,
            };
            self.changes.push(drop);
        }
        for (from, to) in &r.pairs {
            let n = &self.to.views[to];
            patch::view(&mut self.old, from, &n.schema, &n.name);
        }
    }

    /// What the table comparisons need to know about each other: type changes (foreign keys
    /// must be re-added around them), re-added columns, and keys dropped or added (foreign
    /// keys that rely on them must wait).
    fn prepare_comparison(&mut self) {
        for key in &self.matched_tables {
            let (o, n) = (&self.old.tables[key], &self.to.tables[key]);
            for (name, oc) in &o.columns {
                let Some(nc) = n.columns.get(name) else {
                    continue;
                };
                let regenerated = nc.generated.is_some() && oc.generated != nc.generated;
                if regenerated {
                    self.recreated_columns.insert((key.clone(), name.clone()));
                    self.affected.insert(n.name.to_lowercase());
                } else if type_key(oc) != type_key(nc) {
                    self.type_changed.insert((key.clone(), name.clone()));
                    self.affected.insert(n.name.to_lowercase());
                }
            }
            if o.columns.keys().any(|c| !n.columns.contains_key(c)) {
                self.affected.insert(n.name.to_lowercase());
            }
        }
        let mut dropped = HashSet::new();
        let mut added = HashSet::new();
        for key in &self.matched_tables {
            let (o, n) = (&self.old.tables[key], &self.to.tables[key]);
            let forced = |cols: &[String]| self.touches_recreated(key, cols);
            let pks = members(
                &o.composite_primary_keys,
                &n.composite_primary_keys,
                |a, b| a.columns == b.columns,
                |p| forced(&p.columns),
            );
            let uniques = members(
                &o.unique_constraints,
                &n.unique_constraints,
                |a, b| a.columns == b.columns && a.nulls_not_distinct == b.nulls_not_distinct,
                |u| forced(&u.columns),
            );
            let indexes = members(&o.indexes, &n.indexes, same_index, |i| {
                self.index_touches_recreated(key, i)
            });
            let index_columns = |i: &Index| -> Vec<String> {
                i.columns.iter().map(|c| c.expression.clone()).collect()
            };
            for p in &pks.dropped {
                dropped.insert((key.clone(), sorted(&p.columns)));
            }
            for p in &pks.added {
                added.insert((key.clone(), sorted(&p.columns)));
            }
            for u in &uniques.dropped {
                dropped.insert((key.clone(), sorted(&u.columns)));
            }
            for u in &uniques.added {
                added.insert((key.clone(), sorted(&u.columns)));
            }
            for i in indexes.dropped.iter().filter(|i| i.is_unique) {
                dropped.insert((key.clone(), sorted(&index_columns(i))));
            }
            for i in indexes.added.iter().filter(|i| i.is_unique) {
                added.insert((key.clone(), sorted(&index_columns(i))));
            }
            let inline = |t: &Table| -> Vec<String> {
                t.columns
                    .values()
                    .filter(|c| c.primary_key)
                    .map(|c| c.name.clone())
                    .collect()
            };
            let (old_pk, new_pk) = (inline(o), inline(n));
            if old_pk != new_pk {
                if !old_pk.is_empty() {
                    dropped.insert((key.clone(), sorted(&old_pk)));
                }
                if !new_pk.is_empty() {
                    added.insert((key.clone(), sorted(&new_pk)));
                }
            }
        }
        self.dropped_keys = dropped;
        self.added_keys = added;
    }

    fn touches_recreated(&self, table: &str, columns: &[String]) -> bool {
        columns.iter().any(|c| {
            self.recreated_columns
                .contains(&(table.to_owned(), c.clone()))
        })
    }

    fn index_touches_recreated(&self, table: &str, index: &Index) -> bool {
        index.columns.iter().any(|k| {
            if k.is_expression {
                identifiers(&k.expression).iter().any(|id| {
                    self.recreated_columns
                        .contains(&(table.to_owned(), id.clone()))
                })
            } else {
                self.recreated_columns
                    .contains(&(table.to_owned(), k.expression.clone()))
            }
        })
    }

    /// A foreign key that must be dropped and re-added even if unchanged: a column at either
    /// end changes type or is re-added, or the key it references is dropped.
    fn fk_forced(&self, table: &str, fk: &ForeignKey) -> bool {
        let (schema, name) = fk_target(fk);
        let target = qualified_key(schema, name);
        fk.columns_from.iter().any(|c| {
            let k = (table.to_owned(), c.clone());
            self.type_changed.contains(&k) || self.recreated_columns.contains(&k)
        }) || fk.columns_to.iter().any(|c| {
            let k = (target.clone(), c.clone());
            self.type_changed.contains(&k) || self.recreated_columns.contains(&k)
        }) || self
            .dropped_keys
            .contains(&(target.clone(), sorted(&fk.columns_to)))
    }

    /// Whether a new foreign key must wait for a key added to an existing table.
    fn fk_waits(&self, fk: &ForeignKey) -> bool {
        let (schema, name) = fk_target(fk);
        self.added_keys
            .contains(&(qualified_key(schema, name), sorted(&fk.columns_to)))
    }

    fn compare_table(&mut self, key: &str) {
        let o = self.old.tables[key].clone();
        let n = &self.to.tables[key];
        let table = TableRef::of(n);

        match (rls_on(&o), rls_on(n)) {
            (false, true) => self.push(Change::EnableRls {
                table: table.clone(),
                new_table: false,
            }),
            (true, false) => self.push(Change::DisableRls {
                table: table.clone(),
            }),
            _ => {}
        }

        for c in n.columns.values() {
            if o.columns.contains_key(&c.name) {
                continue;
            }
            self.push(Change::AddColumn {
                table: table.clone(),
                column: c.clone(),
            });
            if c.comment.is_some() {
                self.comment(column_target(&table, &c.name), c.comment.as_ref());
            }
        }
        for name in o.columns.keys() {
            if !n.columns.contains_key(name) {
                self.push(Change::DropColumn {
                    table: table.clone(),
                    column: name.clone(),
                });
            }
        }

        let old_pk: Vec<String> = o
            .columns
            .values()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        let new_pk: Vec<String> = n
            .columns
            .values()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        let pk_changed = old_pk != new_pk;
        if pk_changed && !old_pk.is_empty() {
            self.push(Change::DropColumnPrimaryKey {
                table: table.clone(),
            });
        }
        for (name, oc) in &o.columns {
            if let Some(nc) = n.columns.get(name) {
                self.alter_column(key, &table, oc, nc);
            }
        }
        if pk_changed && !new_pk.is_empty() && new_pk.iter().all(|c| o.columns.contains_key(c)) {
            self.push(Change::AddColumnPrimaryKey {
                table: table.clone(),
                columns: new_pk,
            });
        }

        let pks = members(
            &o.composite_primary_keys,
            &n.composite_primary_keys,
            |a, b| a.columns == b.columns,
            |p| self.touches_recreated(key, &p.columns),
        );
        let mut out = Vec::new();
        for p in pks.dropped {
            out.push(Change::DropPrimaryKey {
                table: table.clone(),
                name: p.name.clone(),
            });
        }
        for (a, b) in pks.renamed {
            out.push(rename_constraint(
                &table,
                &a.name,
                &b.name,
                ChangeKind::PrimaryKey,
            ));
        }
        for p in pks.added {
            out.push(Change::AddPrimaryKey {
                table: table.clone(),
                primary_key: p.clone(),
            });
        }

        let fks = members(&o.foreign_keys, &n.foreign_keys, same_fk, |fk| {
            self.fk_forced(key, fk)
        });
        for fk in fks.dropped {
            // `DROP TABLE ... CASCADE` already removed keys pointing at a dropped table.
            let (schema, name) = fk_target(fk);
            if self.dropped_tables.contains(&qualified_key(schema, name)) {
                continue;
            }
            out.push(Change::DropForeignKey {
                table: table.clone(),
                name: fk.name.clone(),
            });
        }
        for (a, b) in fks.renamed {
            out.push(rename_constraint(
                &table,
                &a.name,
                &b.name,
                ChangeKind::ForeignKey,
            ));
        }
        for fk in fks.added {
            out.push(Change::AddForeignKey {
                table: table.clone(),
                foreign_key: fk.clone(),
                new_table: false,
            });
        }

        let indexes = members(&o.indexes, &n.indexes, same_index, |i| {
            self.index_touches_recreated(key, i)
        });
        for i in indexes.dropped {
            out.push(Change::DropIndex {
                table: table.clone(),
                name: i.name.clone(),
            });
        }
        for (a, b) in indexes.renamed {
            out.push(Change::RenameIndex {
                table: table.clone(),
                from: a.name.clone(),
                to: b.name.clone(),
            });
        }
        for i in indexes.added {
            out.push(Change::CreateIndex {
                table: table.clone(),
                index: i.clone(),
                new_table: false,
            });
        }

        let uniques = members(
            &o.unique_constraints,
            &n.unique_constraints,
            |a, b| a.columns == b.columns && a.nulls_not_distinct == b.nulls_not_distinct,
            |u| self.touches_recreated(key, &u.columns),
        );
        for u in uniques.dropped {
            out.push(Change::DropUnique {
                table: table.clone(),
                name: u.name.clone(),
            });
        }
        for (a, b) in uniques.renamed {
            out.push(rename_constraint(
                &table,
                &a.name,
                &b.name,
                ChangeKind::Unique,
            ));
        }
        for u in uniques.added {
            out.push(Change::AddUnique {
                table: table.clone(),
                unique: u.clone(),
            });
        }

        let checks = members(
            &o.check_constraints,
            &n.check_constraints,
            |a, b| a.value == b.value,
            |c| {
                identifiers(&c.value).iter().any(|id| {
                    self.recreated_columns
                        .contains(&(key.to_owned(), id.clone()))
                })
            },
        );
        for c in checks.dropped {
            out.push(Change::DropCheck {
                table: table.clone(),
                name: c.name.clone(),
            });
        }
        for (a, b) in checks.renamed {
            out.push(rename_constraint(
                &table,
                &a.name,
                &b.name,
                ChangeKind::Check,
            ));
        }
        for c in checks.added {
            out.push(Change::AddCheck {
                table: table.clone(),
                check: c.clone(),
            });
        }
        self.changes.extend(out);

        let mut drops = Vec::new();
        let mut creates = Vec::new();
        let mut alters = Vec::new();
        for name in o.policies.keys() {
            if !n.policies.contains_key(name) {
                drops.push(Change::DropPolicy {
                    table: table.clone(),
                    name: name.clone(),
                });
            }
        }
        for (name, p) in &n.policies {
            if !o.policies.contains_key(name) {
                creates.push(Change::CreatePolicy {
                    table: table.clone(),
                    policy: p.clone(),
                });
            }
        }
        for (name, op) in &o.policies {
            let Some(np) = n.policies.get(name) else {
                continue;
            };
            if needs_policy_recreate(op, np) {
                drops.push(Change::DropPolicy {
                    table: table.clone(),
                    name: name.clone(),
                });
                creates.push(Change::CreatePolicy {
                    table: table.clone(),
                    policy: np.clone(),
                });
            } else if policy_changed(op, np) {
                alters.push(Change::AlterPolicy {
                    table: table.clone(),
                    policy: np.clone(),
                });
            }
        }
        self.changes.extend(drops);
        self.changes.extend(creates);
        self.changes.extend(alters);

        if o.comment != n.comment {
            self.comment(CommentTarget::Table(table.clone()), n.comment.as_ref());
        }
    }

    fn alter_column(&mut self, key: &str, table: &TableRef, oc: &Column, nc: &Column) {
        let column = nc.name.clone();
        if self
            .recreated_columns
            .contains(&(key.to_owned(), column.clone()))
        {
            self.push(Change::RecreateColumn {
                table: table.clone(),
                column: nc.clone(),
            });
            if nc.comment.is_some() {
                self.comment(column_target(table, &column), nc.comment.as_ref());
            }
            return;
        }
        if oc.generated.is_some() && nc.generated.is_none() {
            self.push(Change::DropGenerated {
                table: table.clone(),
                column: column.clone(),
            });
        }
        // Before a type change: identity columns must stay integers.
        if oc.identity.is_some() && nc.identity.is_none() {
            self.push(Change::DropIdentity {
                table: table.clone(),
                column: column.clone(),
            });
        }
        if type_key(oc) != type_key(nc) {
            self.push(Change::AlterColumnType {
                table: table.clone(),
                from: oc.clone(),
                to: nc.clone(),
            });
        } else if default_sql(oc) != default_sql(nc) {
            match &nc.default {
                Some(default) => self.push(Change::SetDefault {
                    table: table.clone(),
                    column: column.clone(),
                    default: default.clone(),
                }),
                None => self.push(Change::DropDefault {
                    table: table.clone(),
                    column: column.clone(),
                }),
            }
        }
        if !oc.not_null && nc.not_null {
            self.push(Change::SetNotNull {
                table: table.clone(),
                column: column.clone(),
            });
        }
        match (&oc.identity, &nc.identity) {
            (None, Some(identity)) => self.push(Change::AddIdentity {
                table: table.clone(),
                column: column.clone(),
                identity: identity.clone(),
            }),
            (Some(a), Some(b)) if !same_identity(a, b) => self.push(Change::AlterIdentity {
                table: table.clone(),
                column: column.clone(),
                from: a.clone(),
                to: b.clone(),
            }),
            _ => {}
        }
        // After DROP IDENTITY: PostgreSQL refuses to drop NOT NULL of an identity column.
        if oc.not_null && !nc.not_null {
            self.push(Change::DropNotNull {
                table: table.clone(),
                column: column.clone(),
            });
        }
        if oc.comment != nc.comment {
            self.comment(column_target(table, &column), nc.comment.as_ref());
        }
    }

    fn enum_values(&mut self) {
        for key in self.matched_enums.clone() {
            let Some(o) = self.old.enums.get(&key).cloned() else {
                continue;
            };
            let n = &self.to.enums[&key];
            let mut values = o.values.clone();
            for (now, was) in &n.value_renames {
                let applies = values.contains(was)
                    && !values.contains(now)
                    && !n.values.contains(was)
                    && n.values.contains(now);
                if applies {
                    self.push(Change::RenameEnumValue {
                        schema: n.schema.clone(),
                        name: n.name.clone(),
                        from: was.clone(),
                        to: now.clone(),
                    });
                    for v in values.iter_mut().filter(|v| *v == was) {
                        *v = now.clone();
                    }
                }
            }
            let removed = values.iter().any(|v| !n.values.contains(v));
            let kept_old: Vec<&String> = values.iter().filter(|v| n.values.contains(v)).collect();
            let kept_new: Vec<&String> = n.values.iter().filter(|v| values.contains(v)).collect();
            let added: Vec<&String> = n.values.iter().filter(|v| !values.contains(v)).collect();
            // A value added by ALTER TYPE ... ADD VALUE cannot be used in the same
            // transaction; a default that uses one needs the type recreated instead.
            let added_used = added.iter().any(|v| self.default_uses_value(n, v));
            if removed || kept_old != kept_new || added_used {
                self.recreate_enum(&o, n);
                continue;
            }
            for (i, value) in n.values.iter().enumerate() {
                if values.contains(value) {
                    continue;
                }
                // PostgreSQL appends by default; drizzle-kit anchors a value inserted in the
                // middle to the next value that already exists.
                let before = n.values[i + 1..]
                    .iter()
                    .find(|v| values.contains(v))
                    .cloned();
                self.push(Change::AddEnumValue {
                    schema: n.schema.clone(),
                    name: n.name.clone(),
                    value: value.clone(),
                    before,
                });
            }
            if o.comment != n.comment {
                self.comment(enum_target(n), n.comment.as_ref());
            }
        }
    }

    fn default_uses_value(&self, e: &Enum, value: &str) -> bool {
        let literal = format!("'{}'", value.replace('\'', "''"));
        self.to
            .tables
            .values()
            .flat_map(|t| t.columns.values())
            .any(|c| {
                uses_enum(c, &e.schema, &e.name) && default_sql(c).as_deref() == Some(&literal)
            })
    }

    /// The recreation runs before tables are created, renamed or altered (a table created by
    /// the same migration may use a new value), so existing columns are named as they are
    /// then; tables dropped later still hold their columns.
    fn recreate_enum(&mut self, old: &Enum, new: &Enum) {
        let mut columns = Vec::new();
        let mut affected = Vec::new();
        for key in &self.matched_tables {
            let (ot, nt) = (&self.old.tables[key], &self.to.tables[key]);
            let table = self
                .pre_rename_tables
                .get(key)
                .cloned()
                .unwrap_or_else(|| TableRef::of(ot));
            for c in ot
                .columns
                .values()
                .filter(|c| uses_enum(c, &old.schema, &old.name))
            {
                let restored = nt.columns.get(&c.name).filter(|nc| {
                    uses_enum(nc, &new.schema, &new.name)
                        && array_suffix(&nc.sql_type) == array_suffix(&c.sql_type)
                        && !self
                            .recreated_columns
                            .contains(&(key.clone(), c.name.clone()))
                });
                let column = self
                    .pre_rename_columns
                    .get(&(key.clone(), c.name.clone()))
                    .unwrap_or(&c.name);
                columns.push(EnumColumn {
                    table: table.clone(),
                    column: column.clone(),
                    array: array_suffix(&c.sql_type).to_owned(),
                    has_default: c.default.is_some(),
                    restore: restored.is_some(),
                    default: restored.and_then(|nc| nc.default.clone()),
                });
                affected.push(nt.name.to_lowercase());
                affected.push(table.name.to_lowercase());
            }
        }
        for key in &self.dropped_tables {
            let t = &self.old.tables[key];
            for c in t
                .columns
                .values()
                .filter(|c| uses_enum(c, &old.schema, &old.name))
            {
                columns.push(EnumColumn {
                    table: TableRef::of(t),
                    column: c.name.clone(),
                    array: array_suffix(&c.sql_type).to_owned(),
                    has_default: c.default.is_some(),
                    restore: false,
                    default: None,
                });
            }
        }
        self.affected.extend(affected);
        self.push(Change::RecreateEnum {
            enum_: new.clone(),
            columns,
        });
        // DROP TYPE takes the comment with it.
        if new.comment.is_some() {
            self.comment(enum_target(new), new.comment.as_ref());
        }
    }

    fn compare_views(&mut self) {
        // Views are re-created when their query changes, or when something they read
        // changes in a way PostgreSQL refuses under a dependent view (dropped, retyped or
        // renamed columns); a view that reads a re-created view follows it.
        let pairs = std::mem::take(&mut self.view_pairs);
        let mut recreate: Vec<bool> = pairs
            .iter()
            .map(|(o, key)| {
                let n = &self.to.views[key];
                !o.is_existing && !n.is_existing && self.view_changed(o, n)
            })
            .collect();
        loop {
            let mut grew = false;
            for (i, (o, key)) in pairs.iter().enumerate() {
                let n = &self.to.views[key];
                if recreate[i] || o.is_existing || n.is_existing {
                    continue;
                }
                let reads = |v: &View| v.definition.as_deref().map(identifiers).unwrap_or_default();
                let hit = reads(o)
                    .union(&reads(n))
                    .any(|id| self.affected.contains(&id.to_lowercase()));
                if hit {
                    recreate[i] = true;
                    grew = true;
                }
            }
            for (i, (o, _)) in pairs.iter().enumerate() {
                if recreate[i] {
                    self.affected.insert(o.name.to_lowercase());
                }
            }
            if !grew {
                break;
            }
        }
        for (i, (o, key)) in pairs.iter().enumerate() {
            let n = &self.to.views[key];
            match (o.is_existing, n.is_existing) {
                (_, true) => continue,
                (true, false) => {
                    if n.definition.is_some() {
                        self.push(Change::CreateView(n.clone()));
                    }
                    continue;
                }
                (false, false) => {}
            }
            if recreate[i] {
                self.push(Change::DropView {
                    schema: o.schema.clone(),
                    name: o.name.clone(),
                    materialized: o.materialized,
                });
                self.push(Change::CreateView(n.clone()));
                if n.comment.is_some() {
                    self.comment(view_target(n), n.comment.as_ref());
                }
                continue;
            }
            self.alter_view(o, n);
        }
    }

    fn view_changed(&self, o: &View, n: &View) -> bool {
        let definition = o
            .definition
            .as_deref()
            .map(|d| rename_identifiers(d, &self.name_renames));
        definition != n.definition || o.materialized != n.materialized
    }

    fn alter_view(&mut self, o: &View, n: &View) {
        let materialized = n.materialized;
        if o.name != n.name {
            self.push(Change::RenameView {
                schema: o.schema.clone(),
                from: o.name.clone(),
                to: n.name.clone(),
                materialized,
            });
        }
        if o.schema != n.schema {
            self.push(Change::MoveView {
                name: n.name.clone(),
                from_schema: o.schema.clone(),
                to_schema: n.schema.clone(),
                materialized,
            });
        }
        let empty = IndexMap::new();
        let (ow, nw) = (
            o.with.as_ref().unwrap_or(&empty),
            n.with.as_ref().unwrap_or(&empty),
        );
        let added: IndexMap<String, Literal> = nw
            .iter()
            .filter(|(k, _)| !ow.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let altered: IndexMap<String, Literal> = nw
            .iter()
            .filter(|(k, v)| ow.get(*k).is_some_and(|old| old != *v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let removed: Vec<String> = ow
            .keys()
            .filter(|k| !nw.contains_key(*k))
            .cloned()
            .collect();
        for options in [added, altered] {
            if !options.is_empty() {
                self.push(Change::SetViewOptions {
                    schema: n.schema.clone(),
                    name: n.name.clone(),
                    materialized,
                    options,
                });
            }
        }
        if !removed.is_empty() {
            self.push(Change::ResetViewOptions {
                schema: n.schema.clone(),
                name: n.name.clone(),
                materialized,
                options: removed,
            });
        }
        if materialized && o.tablespace != n.tablespace {
            self.push(Change::SetViewTablespace {
                schema: n.schema.clone(),
                name: n.name.clone(),
                tablespace: n.tablespace.clone().unwrap_or_else(|| "pg_default".into()),
            });
        }
        if materialized && o.using != n.using {
            self.push(Change::SetViewAccessMethod {
                schema: n.schema.clone(),
                name: n.name.clone(),
                method: n.using.clone().unwrap_or_else(|| "heap".into()),
            });
        }
        if o.comment != n.comment {
            self.comment(view_target(n), n.comment.as_ref());
        }
    }
}

fn rename_constraint(table: &TableRef, from: &str, to: &str, kind: ChangeKind) -> Change {
    Change::RenameConstraint {
        table: table.clone(),
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
    }
}

/// `ALTER POLICY` cannot change `AS`/`FOR` nor remove a `USING` or `WITH CHECK`.
fn needs_policy_recreate(o: &Policy, n: &Policy) -> bool {
    !same_policy_kind(o, n)
        || (o.using.is_some() && n.using.is_none())
        || (o.with_check.is_some() && n.with_check.is_none())
}

fn policy_changed(o: &Policy, n: &Policy) -> bool {
    policy_roles(o) != policy_roles(n) || o.using != n.using || o.with_check != n.with_check
}
