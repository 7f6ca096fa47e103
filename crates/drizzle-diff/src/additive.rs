//! The additive differ: everything in `to` that `from` lacks becomes a [`Change`]; every
//! rename or alteration of an existing object becomes a plain-words problem, and so does
//! every drop unless drops are allowed.
//!
//! Changes are emitted in drizzle-kit's order *within* each kind (created objects in the
//! new schema's order, altered tables in the old schema's order); the order *between*
//! kinds is decided by `drizzle-sql`'s ordering function, which sorts stably.

use std::collections::HashSet;

use drizzle_schema::{Enum, OldName, PUBLIC, Schema, Table, View, qualified_key};
use indexmap::IndexMap;

use crate::change::{Change, CommentTarget, TableRef};
use crate::compare;

/// Collects changes and problems over one walk of the two schemas.
#[derive(Default)]
pub struct Walk {
    /// Changes, in emission order.
    pub changes: Vec<Change>,
    /// Differences that are not additions.
    pub problems: Vec<String>,
    /// Pending `COMMENT ON` changes; emitted last so they follow their objects.
    comments: Vec<Change>,
    /// Whether objects missing from `to` are dropped rather than reported.
    allow_drops: bool,
}

impl Walk {
    /// Walks `from` → `to`.
    pub fn run(from: &Schema, to: &Schema, allow_drops: bool) -> Walk {
        let mut walk = Walk {
            allow_drops,
            ..Walk::default()
        };
        walk.schemas(from, to);
        walk.enums(from, to);
        walk.sequences(from, to);
        walk.roles(from, to);
        walk.tables(from, to);
        walk.linked_policies(from, to);
        walk.views(from, to);
        let comments = std::mem::take(&mut walk.comments);
        walk.changes.extend(comments);
        walk
    }

    fn problem(&mut self, text: String) {
        self.problems.push(text);
    }

    /// A drop when drops are allowed, else the problem `text`.
    fn drop_or_problem(&mut self, drop: Change, text: String) {
        if self.allow_drops {
            self.changes.push(drop);
        } else {
            self.problems.push(text);
        }
    }

    fn schemas(&mut self, from: &Schema, to: &Schema) {
        let existing = used_schemas(from);
        let mut renamed = HashSet::new();
        for (name, def) in &to.schemas {
            // `public` always exists.
            if existing.contains(name.as_str()) || name == PUBLIC {
                continue;
            }
            if let Some(old) = &def.renamed_from
                && from.schemas.contains_key(old)
                && !to.schemas.contains_key(old)
            {
                renamed.insert(old.clone());
                self.problem(format!("schema \"{old}\" renamed to \"{name}\""));
                continue;
            }
            self.changes
                .push(Change::CreateSchema { name: name.clone() });
        }
        // Objects may name a schema that is not declared on its own; it still has to exist.
        let declared: HashSet<&str> = to.schemas.keys().map(String::as_str).collect();
        for name in used_schemas(to) {
            if !declared.contains(name) && !existing.contains(name) {
                self.changes.push(Change::CreateSchema {
                    name: name.to_owned(),
                });
            }
        }
        let wanted = used_schemas(to);
        for name in from.schemas.keys() {
            if !wanted.contains(name.as_str()) && !renamed.contains(name) {
                self.drop_or_problem(
                    Change::DropSchema { name: name.clone() },
                    format!("schema \"{name}\" dropped"),
                );
            }
        }
    }

    fn enums(&mut self, from: &Schema, to: &Schema) {
        let renamed = self.created_or_renamed(
            "enum",
            &from.enums,
            &to.enums,
            |e| e.renamed_from.as_ref().map(|o| old_key(o, &e.schema)),
            |walk, e| {
                walk.changes.push(Change::CreateEnum(e.clone()));
                if let Some(comment) = &e.comment {
                    walk.comment(enum_target(e), comment);
                }
            },
        );
        for (key, old) in &from.enums {
            match to.enums.get(key) {
                None if !renamed.contains(key) => self.drop_or_problem(
                    Change::DropEnum {
                        schema: old.schema.clone(),
                        name: old.name.clone(),
                    },
                    format!("enum \"{key}\" dropped"),
                ),
                None => {}
                Some(new) => self.enum_values(key, old, new),
            }
        }
    }

    fn enum_values(&mut self, key: &str, old: &Enum, new: &Enum) {
        let kept: Vec<&String> = new
            .values
            .iter()
            .filter(|v| old.values.contains(v))
            .collect();
        let mut problems = Vec::new();
        for value in &old.values {
            if new.values.contains(value) {
                continue;
            }
            match new.value_renames.iter().find(|(_, was)| *was == value) {
                Some((now, _)) => problems.push(format!(
                    "enum \"{key}\": value '{value}' renamed to '{now}'"
                )),
                None => problems.push(format!("enum \"{key}\": value '{value}' removed")),
            }
        }
        let old_kept: Vec<&String> = old
            .values
            .iter()
            .filter(|v| new.values.contains(v))
            .collect();
        if problems.is_empty() && kept != old_kept {
            problems.push(format!(
                "enum \"{key}\": values reordered ({}) -> ({})",
                old.values.join(", "),
                new.values.join(", ")
            ));
        }
        if old.comment.is_some() && old.comment != new.comment {
            problems.push(format!(
                "enum \"{key}\": {}",
                compare::comment_change(&old.comment, &new.comment)
            ));
        }
        if !problems.is_empty() {
            self.problems.extend(problems);
            return;
        }
        for (i, value) in new.values.iter().enumerate() {
            if old.values.contains(value) {
                continue;
            }
            // PostgreSQL appends by default; drizzle-kit anchors a value inserted in the
            // middle to the next value that already exists.
            let before = new.values[i + 1..]
                .iter()
                .find(|v| old.values.contains(v))
                .cloned();
            self.changes.push(Change::AddEnumValue {
                schema: new.schema.clone(),
                name: new.name.clone(),
                value: value.clone(),
                before,
            });
        }
        if old.comment.is_none()
            && let Some(comment) = &new.comment
        {
            self.comment(enum_target(new), comment);
        }
    }

    fn sequences(&mut self, from: &Schema, to: &Schema) {
        let renamed = self.created_or_renamed(
            "sequence",
            &from.sequences,
            &to.sequences,
            |s| s.renamed_from.as_ref().map(|o| old_key(o, &s.schema)),
            |walk, s| walk.changes.push(Change::CreateSequence(s.clone())),
        );
        for (key, old) in &from.sequences {
            match to.sequences.get(key) {
                None if !renamed.contains(key) => self.drop_or_problem(
                    Change::DropSequence {
                        schema: old.schema.clone(),
                        name: old.name.clone(),
                    },
                    format!("sequence \"{key}\" dropped"),
                ),
                None => {}
                Some(new) => {
                    for what in compare::sequence_options(&old.options, &new.options) {
                        self.problem(format!("sequence \"{key}\": {what}"));
                    }
                }
            }
        }
    }

    fn roles(&mut self, from: &Schema, to: &Schema) {
        let renamed = self.created_or_renamed(
            "role",
            &from.roles,
            &to.roles,
            |r| r.renamed_from.clone(),
            |walk, r| walk.changes.push(Change::CreateRole(r.clone())),
        );
        for (key, old) in &from.roles {
            match to.roles.get(key) {
                None if !renamed.contains(key) => self.drop_or_problem(
                    Change::DropRole {
                        name: old.name.clone(),
                    },
                    format!("role \"{key}\" dropped"),
                ),
                None => {}
                Some(new) => {
                    for what in compare::role(old, new) {
                        self.problem(format!("role \"{key}\": {what}"));
                    }
                }
            }
        }
    }

    fn tables(&mut self, from: &Schema, to: &Schema) {
        let mut new_fks = Vec::new();
        let mut new_indexes = Vec::new();
        let mut new_policies = Vec::new();
        let renamed = self.created_or_renamed(
            "table",
            &from.tables,
            &to.tables,
            |t| t.renamed_from.as_ref().map(|o| old_key(o, &t.schema)),
            |walk, t| {
                let table = TableRef::of(t);
                walk.changes.push(Change::CreateTable(t.clone()));
                if rls_on(t) {
                    walk.changes.push(Change::EnableRls {
                        table: table.clone(),
                        new_table: true,
                    });
                }
                for fk in t.foreign_keys.values() {
                    new_fks.push(Change::AddForeignKey {
                        table: table.clone(),
                        foreign_key: fk.clone(),
                        new_table: true,
                    });
                }
                for index in t.indexes.values() {
                    new_indexes.push(Change::CreateIndex {
                        table: table.clone(),
                        index: index.clone(),
                        new_table: true,
                    });
                }
                for policy in t.policies.values() {
                    new_policies.push(Change::CreatePolicy {
                        table: table.clone(),
                        policy: policy.clone(),
                    });
                }
                if let Some(comment) = &t.comment {
                    walk.comment(CommentTarget::Table(table.clone()), comment);
                }
                for column in t.columns.values() {
                    if let Some(comment) = &column.comment {
                        walk.comment(
                            CommentTarget::Column {
                                table: table.clone(),
                                column: column.name.clone(),
                            },
                            comment,
                        );
                    }
                }
            },
        );
        self.changes.extend(new_fks);
        self.changes.extend(new_indexes);
        let dropped: HashSet<String> = from
            .tables
            .keys()
            .filter(|k| !to.tables.contains_key(*k) && !renamed.contains(*k))
            .cloned()
            .collect();
        for (key, old) in &from.tables {
            match to.tables.get(key) {
                None if !renamed.contains(key) => self.drop_or_problem(
                    Change::DropTable {
                        table: TableRef::of(old),
                        policies: old.policies.keys().cloned().collect(),
                    },
                    format!("table \"{key}\" dropped"),
                ),
                None => {}
                Some(new) => self.altered_table(key, old, new, &dropped),
            }
        }
        // drizzle-kit emits the policies of altered tables before those of created ones.
        self.changes.extend(new_policies);
    }

    /// `dropped_tables` are the keys of tables dropped by the same diff.
    fn altered_table(
        &mut self,
        key: &str,
        old: &Table,
        new: &Table,
        dropped_tables: &HashSet<String>,
    ) {
        let before = self.problems.len();
        let table = TableRef::of(new);
        let mut changes = Vec::new();
        let mut comments = Vec::new();

        if !rls_on(old) && rls_on(new) {
            changes.push(Change::EnableRls {
                table: table.clone(),
                new_table: false,
            });
        } else if rls_on(old) && !rls_on(new) {
            self.problem(format!("table \"{key}\": row level security disabled"));
        }

        let mut renamed_columns = HashSet::new();
        for column in new.columns.values() {
            if old.columns.contains_key(&column.name) {
                continue;
            }
            if let Some(was) = &column.renamed_from
                && old.columns.contains_key(was)
                && !new.columns.contains_key(was)
            {
                renamed_columns.insert(was.clone());
                self.problem(format!(
                    "table \"{key}\": column \"{was}\" renamed to \"{}\"",
                    column.name
                ));
                continue;
            }
            changes.push(Change::AddColumn {
                table: table.clone(),
                column: column.clone(),
            });
            if let Some(comment) = &column.comment {
                comments.push((
                    CommentTarget::Column {
                        table: table.clone(),
                        column: column.name.clone(),
                    },
                    comment.clone(),
                ));
            }
        }
        for (name, old_column) in &old.columns {
            match new.columns.get(name) {
                None if !renamed_columns.contains(name) => {
                    let drop = Change::DropColumn {
                        table: table.clone(),
                        column: name.clone(),
                    };
                    if self.allow_drops {
                        changes.push(drop);
                    } else {
                        self.problem(format!("table \"{key}\": column \"{name}\" dropped"));
                    }
                }
                None => {}
                Some(new_column) => {
                    for what in compare::column(old_column, new_column) {
                        self.problem(format!("table \"{key}\": column \"{name}\" {what}"));
                    }
                    if old_column.comment.is_none()
                        && let Some(comment) = &new_column.comment
                    {
                        comments.push((
                            CommentTarget::Column {
                                table: table.clone(),
                                column: name.clone(),
                            },
                            comment.clone(),
                        ));
                    }
                }
            }
        }

        let had_primary_key =
            !old.composite_primary_keys.is_empty() || old.columns.values().any(|c| c.primary_key);
        self.members(
            key,
            "primary key",
            &old.composite_primary_keys,
            &new.composite_primary_keys,
            compare::primary_key,
            |pk| {
                (!had_primary_key).then(|| Change::AddPrimaryKey {
                    table: table.clone(),
                    primary_key: pk.clone(),
                })
            },
            |name| Change::DropPrimaryKey {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );
        self.members(
            key,
            "foreign key",
            &old.foreign_keys,
            &new.foreign_keys,
            compare::foreign_key,
            |fk| {
                Some(Change::AddForeignKey {
                    table: table.clone(),
                    foreign_key: fk.clone(),
                    new_table: false,
                })
            },
            |name| Change::DropForeignKey {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );
        // `DROP TABLE ... CASCADE` already removes foreign keys that point at the dropped
        // table, and it runs first: dropping them again would fail.
        changes.retain(|change| match change {
            Change::DropForeignKey { name, .. } => old.foreign_keys.get(name).is_none_or(|fk| {
                let target = qualified_key(fk.schema_to.as_deref().unwrap_or(PUBLIC), &fk.table_to);
                !dropped_tables.contains(&target)
            }),
            _ => true,
        });
        self.members(
            key,
            "index",
            &old.indexes,
            &new.indexes,
            compare::index,
            |index| {
                Some(Change::CreateIndex {
                    table: table.clone(),
                    index: index.clone(),
                    new_table: false,
                })
            },
            |name| Change::DropIndex {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );
        self.members(
            key,
            "unique constraint",
            &old.unique_constraints,
            &new.unique_constraints,
            compare::unique,
            |unique| {
                Some(Change::AddUnique {
                    table: table.clone(),
                    unique: unique.clone(),
                })
            },
            |name| Change::DropUnique {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );
        self.members(
            key,
            "check constraint",
            &old.check_constraints,
            &new.check_constraints,
            compare::check,
            |check| {
                Some(Change::AddCheck {
                    table: table.clone(),
                    check: check.clone(),
                })
            },
            |name| Change::DropCheck {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );
        let mut renamed_policies = HashSet::new();
        for policy in new.policies.values() {
            if let Some(was) = &policy.renamed_from
                && !old.policies.contains_key(&policy.name)
                && old.policies.contains_key(was)
                && !new.policies.contains_key(was)
            {
                renamed_policies.insert(was.clone());
                self.problem(format!(
                    "table \"{key}\": policy \"{was}\" renamed to \"{}\"",
                    policy.name
                ));
            }
        }
        let old_policies: IndexMap<_, _> = old
            .policies
            .iter()
            .filter(|(name, _)| !renamed_policies.contains(*name))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let new_policies: IndexMap<_, _> = new
            .policies
            .iter()
            .filter(|(_, p)| {
                p.renamed_from
                    .as_ref()
                    .is_none_or(|was| !renamed_policies.contains(was))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.members(
            key,
            "policy",
            &old_policies,
            &new_policies,
            compare::policy,
            |policy| {
                Some(Change::CreatePolicy {
                    table: table.clone(),
                    policy: policy.clone(),
                })
            },
            |name| Change::DropPolicy {
                table: table.clone(),
                name: name.to_owned(),
            },
            &mut changes,
        );

        match (&old.comment, &new.comment) {
            (None, Some(comment)) => {
                comments.insert(0, (CommentTarget::Table(table.clone()), comment.clone()));
            }
            (Some(_), _) if old.comment != new.comment => self.problem(format!(
                "table \"{key}\": {}",
                compare::comment_change(&old.comment, &new.comment)
            )),
            _ => {}
        }

        // A table with problems contributes nothing: the whole diff fails anyway, and
        // half of a table's changes would only confuse the report.
        if self.problems.len() == before {
            self.changes.extend(changes);
            for (target, comment) in comments {
                self.comment(target, &comment);
            }
        }
    }

    /// Compares one kind of named table member; additions go through `add` (which may
    /// decline, making the addition a problem).
    #[allow(clippy::too_many_arguments)]
    fn members<T>(
        &mut self,
        key: &str,
        what: &str,
        old: &IndexMap<String, T>,
        new: &IndexMap<String, T>,
        compare: impl Fn(&T, &T) -> Vec<String>,
        add: impl Fn(&T) -> Option<Change>,
        drop: impl Fn(&str) -> Change,
        changes: &mut Vec<Change>,
    ) {
        for (name, item) in new {
            if old.contains_key(name) {
                continue;
            }
            match add(item) {
                Some(change) => changes.push(change),
                None => self.problem(format!(
                    "table \"{key}\": {what} \"{name}\" added to a table that already has one"
                )),
            }
        }
        for (name, old_item) in old {
            match new.get(name) {
                None if self.allow_drops => changes.push(drop(name)),
                None => self.problem(format!("table \"{key}\": {what} \"{name}\" dropped")),
                Some(new_item) => {
                    for change in compare(old_item, new_item) {
                        self.problem(format!("table \"{key}\": {what} \"{name}\" {change}"));
                    }
                }
            }
        }
    }

    fn linked_policies(&mut self, from: &Schema, to: &Schema) {
        let renamed = self.created_or_renamed(
            "policy",
            &from.policies,
            &to.policies,
            |p| p.renamed_from.clone(),
            |walk, p| match &p.on {
                Some(_) => walk.changes.push(Change::CreateLinkedPolicy(p.clone())),
                None => walk.problem(format!("policy \"{}\" names no table to go on", p.name)),
            },
        );
        for (key, old) in &from.policies {
            match to.policies.get(key) {
                None if !renamed.contains(key) => self.drop_or_problem(
                    Change::DropLinkedPolicy {
                        name: old.name.clone(),
                        on: old.on.clone().unwrap_or_default(),
                    },
                    format!("policy \"{key}\" dropped"),
                ),
                None => {}
                Some(new) => {
                    for what in compare::policy(old, new) {
                        self.problem(format!("policy \"{key}\": {what}"));
                    }
                }
            }
        }
    }

    fn views(&mut self, from: &Schema, to: &Schema) {
        let renamed = self.created_or_renamed(
            "view",
            &from.views,
            &to.views,
            |v| v.renamed_from.as_ref().map(|o| old_key(o, &v.schema)),
            |walk, v| {
                // Existing views are managed elsewhere; a view without a query cannot be made.
                if v.is_existing || v.definition.is_none() {
                    return;
                }
                walk.changes.push(Change::CreateView(v.clone()));
                if let Some(comment) = &v.comment {
                    walk.comment(view_target(v), comment);
                }
            },
        );
        for (key, old) in &from.views {
            match to.views.get(key) {
                None if !renamed.contains(key) && !old.is_existing => self.drop_or_problem(
                    Change::DropView {
                        schema: old.schema.clone(),
                        name: old.name.clone(),
                        materialized: old.materialized,
                    },
                    format!("{} \"{key}\" dropped", view_noun(old)),
                ),
                None => {}
                Some(new) => {
                    let problems = compare::view(old, new);
                    if problems.is_empty()
                        && old.comment.is_none()
                        && !new.is_existing
                        && let Some(comment) = &new.comment
                    {
                        self.comment(view_target(new), comment);
                    }
                    for what in problems {
                        self.problem(format!("{} \"{key}\" {what}", view_noun(old)));
                    }
                }
            }
        }
    }

    /// Creates every object of `new` missing from `old`, except those whose rename hint
    /// names an object that disappears (reported as a rename); returns the renamed keys.
    fn created_or_renamed<T>(
        &mut self,
        noun: &str,
        old: &IndexMap<String, T>,
        new: &IndexMap<String, T>,
        renamed_from: impl Fn(&T) -> Option<String>,
        mut create: impl FnMut(&mut Self, &T),
    ) -> HashSet<String> {
        let mut renamed = HashSet::new();
        for (key, item) in new {
            if old.contains_key(key) {
                continue;
            }
            if let Some(was) = renamed_from(item)
                && old.contains_key(&was)
                && !new.contains_key(&was)
            {
                self.problem(format!("{noun} \"{was}\" renamed to \"{key}\""));
                renamed.insert(was);
                continue;
            }
            create(self, item);
        }
        renamed
    }

    fn comment(&mut self, target: CommentTarget, comment: &str) {
        self.comments.push(Change::SetComment {
            target,
            comment: Some(comment.to_owned()),
        });
    }
}

/// Effective row-level security: drizzle-kit enables it for any table with policies.
fn rls_on(t: &Table) -> bool {
    t.rls_enabled || !t.policies.is_empty()
}

/// The model key an old name refers to; an unqualified old name keeps the new schema.
fn old_key(old: &OldName, schema: &str) -> String {
    qualified_key(old.schema.as_deref().unwrap_or(schema), &old.name)
}

/// Every non-public schema the model declares or puts objects in, in first-use order.
fn used_schemas(s: &Schema) -> indexmap::IndexSet<&str> {
    let mut out = indexmap::IndexSet::new();
    out.extend(s.schemas.keys().map(String::as_str));
    out.extend(s.enums.values().map(|e| e.schema.as_str()));
    out.extend(s.sequences.values().map(|q| q.schema.as_str()));
    out.extend(s.tables.values().map(|t| t.schema.as_str()));
    out.extend(
        s.views
            .values()
            .filter(|v| !v.is_existing)
            .map(|v| v.schema.as_str()),
    );
    out.retain(|name| !name.is_empty() && *name != PUBLIC);
    out
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

fn view_noun(v: &View) -> &'static str {
    if v.materialized {
        "materialized view"
    } else {
        "view"
    }
}
