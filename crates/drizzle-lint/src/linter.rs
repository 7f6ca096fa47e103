//! Running the rules over migrations in order, remembering what earlier statements and
//! migrations created so "existing table" means what it says.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::config::LintConfig;
use crate::ops::{Action, ConstraintKind, Fill, Name, Op, normalize_type, type_change_rewrites};
use crate::parse::recognize;
use crate::quick::{Quick, quick};
use crate::rules::{Level, Rule};
use crate::split::{Piece, line_col, split};
use crate::{NO_TRANSACTION_MARKER, runs_in_transaction};

/// One rule violation in one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Warning or error (never off).
    pub level: Level,
    /// The migration, as the caller named it.
    pub file: String,
    /// Byte range of the statement in the file.
    #[serde(skip)]
    pub span: Range<usize>,
    /// 1-based line of the statement.
    pub line: usize,
    /// 1-based column of the statement.
    pub column: usize,
    /// The statement, whitespace collapsed and shortened.
    pub statement: String,
    /// What this statement does wrong.
    pub message: String,
}

impl Finding {
    /// Why the rule exists.
    pub fn rationale(&self) -> &'static str {
        self.rule.rationale()
    }

    /// How to fix it.
    pub fn fix(&self) -> &'static str {
        self.rule.fix()
    }
}

type ColumnKey = (Name, String);

/// Lints migrations one after another; what one creates is new for the next.
#[derive(Debug, Clone)]
pub struct Linter {
    config: LintConfig,
    /// Tables created by the migrations being linted (empty, so nothing to lock or lose).
    new_tables: BTreeSet<Name>,
    /// Enums created by the migrations being linted.
    new_enums: BTreeSet<Name>,
    /// Column types seen so far, for telling type changes that rewrite from ones that do not.
    types: BTreeMap<ColumnKey, String>,
    /// `CREATE TABLE` statements whose columns are not in `types` yet: parsed only when
    /// something reads or changes that table's types (see [`Linter::materialize`]).
    unparsed_tables: BTreeMap<Name, String>,
    /// Whether the prefix scan may stand in for the parser (off only to test it).
    quick: bool,
    /// `CHECK (c IS NOT NULL) NOT VALID` constraints by (table, constraint name): the column.
    not_null_checks: BTreeMap<ColumnKey, String>,
    /// Columns a validated check proves non-null, so `SET NOT NULL` skips its scan.
    proven_not_null: BTreeSet<ColumnKey>,
}

impl Linter {
    /// A linter with nothing seen yet.
    pub fn new(config: LintConfig) -> Linter {
        Linter {
            config,
            new_tables: BTreeSet::new(),
            new_enums: BTreeSet::new(),
            types: BTreeMap::new(),
            unparsed_tables: BTreeMap::new(),
            quick: true,
            not_null_checks: BTreeMap::new(),
            proven_not_null: BTreeSet::new(),
        }
    }

    /// Reads a migration that is already applied: its tables exist (with data) from now
    /// on, and its column types are remembered; nothing is reported.
    pub fn learn(&mut self, sql: &str) {
        let mut scratch = Linter::new(self.config.clone());
        scratch.quick = self.quick;
        scratch.types = std::mem::take(&mut self.types);
        scratch.unparsed_tables = std::mem::take(&mut self.unparsed_tables);
        scratch.lint("", sql);
        self.types = scratch.types;
        self.unparsed_tables = scratch.unparsed_tables;
    }

    /// A linter that parses every statement in full, for checking the prefix scan.
    #[cfg(test)]
    pub(crate) fn without_quick(config: LintConfig) -> Linter {
        Linter {
            quick: false,
            ..Linter::new(config)
        }
    }

    /// Puts the columns of `table`'s unparsed `CREATE TABLE` into `types`, as parsing it
    /// when it was seen would have; called before anything touches that table's types.
    fn materialize(&mut self, table: &Name) {
        let Some(text) = self.unparsed_tables.remove(table) else {
            return;
        };
        if let Op::CreateTable { table, columns } = recognize(&text) {
            for (column, sql_type) in columns {
                self.types.insert((table.clone(), column), sql_type);
            }
        }
    }

    /// The findings of one pending migration named `file`, in statement order.
    pub fn lint(&mut self, file: &str, sql: &str) -> Vec<Finding> {
        let pieces = split(sql);
        let ops: Vec<Recognized> = pieces
            .iter()
            .map(|p| match quick(p.text).filter(|_| self.quick) {
                Some(q) => Recognized::Quick(q),
                None => Recognized::Op(recognize(p.text)),
            })
            .collect();
        let config = self.config.clone();
        let mut run = Run {
            file,
            sql,
            pieces: &pieces,
            config: &config,
            findings: Vec::new(),
        };
        let in_transaction = runs_in_transaction(sql);
        // An enum dropped and then created again in one migration is drizzle-kit's way of
        // removing values.
        let mut dropped: BTreeSet<&Name> = BTreeSet::new();
        let mut recreated: BTreeSet<Name> = BTreeSet::new();
        // The prefix scan never stands in for an enum statement.
        for op in ops.iter().filter_map(Recognized::op) {
            match op {
                Op::DropType(names) => dropped.extend(names),
                Op::CreateEnum(n) if dropped.contains(n) && !self.new_enums.contains(n) => {
                    recreated.insert(n.clone());
                }
                _ => {}
            }
        }
        let recreated_types: BTreeSet<String> =
            recreated.iter().map(|n| normalize_type(&n.sql())).collect();

        let mut lock_timeout = false;
        let mut lock_reported = false;
        let mut not_valid_here: BTreeMap<String, ConstraintKind> = BTreeMap::new();
        for (i, recognized) in ops.iter().enumerate() {
            let parsed;
            let op = match recognized {
                Recognized::Op(op) => op,
                Recognized::Quick(Quick::CreateTable(table)) => {
                    self.materialize(table);
                    self.new_tables.insert(table.clone());
                    self.unparsed_tables
                        .insert(table.clone(), pieces[i].text.to_owned());
                    continue;
                }
                // On a table this run created, neither does anything any rule sees.
                Recognized::Quick(Quick::CreateIndex(table) | Quick::ForeignKey(table))
                    if self.new_tables.contains(table) =>
                {
                    continue;
                }
                Recognized::Quick(_) => {
                    parsed = recognize(pieces[i].text);
                    &parsed
                }
            };
            let mut locks: Option<String> = None;
            match op {
                Op::SetLockTimeout => lock_timeout = true,
                Op::CreateTable { table, columns } => {
                    self.materialize(table);
                    self.new_tables.insert(table.clone());
                    for (column, sql_type) in columns {
                        self.types
                            .insert((table.clone(), column.clone()), sql_type.clone());
                    }
                }
                Op::CreateIndex {
                    table,
                    name,
                    concurrently,
                } => {
                    if *concurrently && in_transaction {
                        run.emit(
                            Rule::ConcurrentlyInTransaction,
                            i,
                            "CREATE INDEX CONCURRENTLY in a migration that runs in a transaction"
                                .to_owned(),
                        );
                    }
                    if !*concurrently && !self.new_tables.contains(table) {
                        let index = name
                            .as_deref()
                            .map_or_else(String::new, |n| format!(" \"{n}\""));
                        run.emit(
                            Rule::IndexNotConcurrent,
                            i,
                            format!(
                                "index{index} on existing table \"{}\" is built without CONCURRENTLY",
                                table.shown()
                            ),
                        );
                        locks = Some(format!("table \"{}\"", table.shown()));
                    }
                }
                Op::DropIndex { concurrently } => {
                    if *concurrently && in_transaction {
                        run.emit(
                            Rule::ConcurrentlyInTransaction,
                            i,
                            "DROP INDEX CONCURRENTLY in a migration that runs in a transaction"
                                .to_owned(),
                        );
                    }
                    if !*concurrently {
                        locks = Some("the index's table".to_owned());
                    }
                }
                Op::AlterTable { table, actions } => {
                    let existing = !self.new_tables.contains(table);
                    if existing {
                        locks = Some(format!("table \"{}\"", table.shown()));
                    }
                    let mut table = table.clone();
                    for action in actions {
                        table = self.action(
                            &mut run,
                            i,
                            table,
                            action,
                            existing,
                            in_transaction,
                            &recreated_types,
                            &mut not_valid_here,
                        );
                    }
                }
                Op::DropTable(names) => {
                    for name in names {
                        if !self.new_tables.remove(name) {
                            run.emit(
                                Rule::DropTable,
                                i,
                                format!("table \"{}\" is dropped", name.shown()),
                            );
                            locks = Some(format!("table \"{}\"", name.shown()));
                        }
                    }
                }
                Op::CreateEnum(name) => {
                    if !recreated.contains(name) {
                        self.new_enums.insert(name.clone());
                    }
                }
                Op::DropType(names) => {
                    for name in names.iter().filter(|n| recreated.contains(*n)) {
                        run.emit(
                            Rule::EnumValueRemoval,
                            i,
                            format!(
                                "enum \"{}\" is dropped and recreated to remove values",
                                name.shown()
                            ),
                        );
                    }
                }
                Op::AddEnumValue { enum_name, value } => {
                    if in_transaction {
                        let literal = format!("'{}'", value.replace('\'', "''"));
                        if let Some(later) =
                            pieces[i + 1..].iter().find(|p| p.text.contains(&literal))
                        {
                            let (line, _) = line_col(sql, later.start);
                            run.emit(
                                Rule::EnumValueUsedInTransaction,
                                i,
                                format!(
                                    "value {literal} added to enum \"{}\" is used at line {line}, in the same transaction",
                                    enum_name.shown()
                                ),
                            );
                        }
                    }
                }
                Op::Other => {}
            }
            if let Some(what) = locks.filter(|_| !lock_timeout && !lock_reported) {
                lock_reported = true;
                run.emit(
                    Rule::MissingLockTimeout,
                    i,
                    format!("this statement locks {what}, and no SET lock_timeout comes before it"),
                );
            }
        }
        run.findings
    }

    /// Applies one `ALTER TABLE` action; returns the table's name afterwards.
    #[allow(clippy::too_many_arguments)]
    fn action(
        &mut self,
        run: &mut Run<'_>,
        i: usize,
        table: Name,
        action: &Action,
        existing: bool,
        in_transaction: bool,
        recreated_types: &BTreeSet<String>,
        not_valid_here: &mut BTreeMap<String, ConstraintKind>,
    ) -> Name {
        self.materialize(&table);
        let t = table.shown();
        match action {
            Action::AddColumn(c) => {
                self.types
                    .insert((table.clone(), c.name.clone()), c.sql_type.clone());
                if !existing {
                    return table;
                }
                if c.not_null && c.default.is_none() && c.fill.is_none() {
                    run.emit(
                        Rule::AddRequiredColumn,
                        i,
                        format!(
                            "column \"{}\" is added to existing table \"{t}\" as NOT NULL without a default",
                            c.name
                        ),
                    );
                }
                let why = match &c.fill {
                    Some(Fill::Volatile(f)) => Some(format!("has the volatile default {f}()")),
                    Some(Fill::Serial) => Some(format!("is {}", normalize_type(&c.sql_type))),
                    Some(Fill::Identity) => Some("is an identity column".to_owned()),
                    Some(Fill::Generated) => Some("is a stored generated column".to_owned()),
                    None => None,
                };
                if let Some(why) = why {
                    run.emit(
                        Rule::VolatileDefault,
                        i,
                        format!(
                            "column \"{}\" added to existing table \"{t}\" {why}",
                            c.name
                        ),
                    );
                }
            }
            Action::DropColumn(columns) => {
                for column in columns {
                    self.types.remove(&(table.clone(), column.clone()));
                    if existing {
                        run.emit(
                            Rule::DropColumn,
                            i,
                            format!("column \"{column}\" of table \"{t}\" is dropped"),
                        );
                    }
                }
            }
            Action::RenameColumn { from, to } => {
                if let Some(ty) = self.types.remove(&(table.clone(), from.clone())) {
                    self.types.insert((table.clone(), to.clone()), ty);
                }
                if existing {
                    run.emit(
                        Rule::RenameColumn,
                        i,
                        format!("column \"{from}\" of table \"{t}\" is renamed to \"{to}\""),
                    );
                }
            }
            Action::RenameTable(to) | Action::SetSchema(to) => {
                let renamed = match action {
                    Action::RenameTable(_) => Name {
                        schema: table.schema.clone(),
                        name: to.clone(),
                    },
                    _ => Name {
                        schema: to.clone(),
                        name: table.name.clone(),
                    },
                };
                self.move_table(&table, &renamed);
                if existing {
                    run.emit(
                        Rule::RenameTable,
                        i,
                        format!("table \"{t}\" becomes \"{}\"", renamed.shown()),
                    );
                }
                return renamed;
            }
            Action::SetNotNull(column) => {
                let key = (table.clone(), column.clone());
                if existing && !self.proven_not_null.contains(&key) {
                    run.emit(
                        Rule::SetNotNull,
                        i,
                        format!("column \"{column}\" of existing table \"{t}\" is set NOT NULL"),
                    );
                }
            }
            Action::SetDataType { column, to, using } => {
                let key = (table.clone(), column.clone());
                let from = self.types.insert(key, to.clone());
                let enum_recreation = from
                    .iter()
                    .chain(std::iter::once(to))
                    .any(|ty| recreated_types.contains(&normalize_type(ty)));
                if existing && !enum_recreation && type_change_rewrites(from.as_deref(), to, *using)
                {
                    let change = match &from {
                        Some(from) => {
                            format!("from {} to {}", normalize_type(from), normalize_type(to))
                        }
                        None => format!(
                            "to {} (its previous type is not in the migrations read)",
                            normalize_type(to)
                        ),
                    };
                    run.emit(
                        Rule::TypeChangeRewrite,
                        i,
                        format!("column \"{column}\" of table \"{t}\" changes type {change}"),
                    );
                }
            }
            Action::AddConstraint(c) => {
                let name = c
                    .name
                    .as_deref()
                    .map_or_else(String::new, |n| format!(" \"{n}\""));
                if c.not_valid {
                    if let (Some(n), Some(column)) = (&c.name, &c.not_null_column) {
                        self.not_null_checks
                            .insert((table.clone(), n.clone()), column.clone());
                    }
                    if let (Some(n), true) = (&c.name, in_transaction) {
                        not_valid_here.insert(n.clone(), c.kind);
                    }
                }
                if existing {
                    match c.kind {
                        ConstraintKind::ForeignKey if !c.not_valid => run.emit(
                            Rule::ForeignKeyNotValid,
                            i,
                            format!("foreign key{name} is added to existing table \"{t}\" without NOT VALID"),
                        ),
                        ConstraintKind::Check if !c.not_valid => run.emit(
                            Rule::CheckNotValid,
                            i,
                            format!("check{name} is added to existing table \"{t}\" without NOT VALID"),
                        ),
                        ConstraintKind::Unique | ConstraintKind::PrimaryKey if !c.using_index => {
                            let kind = if c.kind == ConstraintKind::Unique {
                                "unique constraint"
                            } else {
                                "primary key"
                            };
                            run.emit(
                                Rule::UniqueWithoutIndex,
                                i,
                                format!("{kind}{name} on existing table \"{t}\" builds its index while holding an ACCESS EXCLUSIVE lock"),
                            );
                        }
                        _ => {}
                    }
                }
            }
            Action::ValidateConstraint(name) => {
                if let Some(column) = self.not_null_checks.get(&(table.clone(), name.clone())) {
                    self.proven_not_null.insert((table.clone(), column.clone()));
                }
                if let Some(kind) = not_valid_here.get(name) {
                    let rule = if *kind == ConstraintKind::ForeignKey {
                        Rule::ForeignKeyNotValid
                    } else {
                        Rule::CheckNotValid
                    };
                    run.emit(
                        rule,
                        i,
                        format!("constraint \"{name}\" is validated in the transaction that added it NOT VALID, so the scan still runs under the ADD's lock"),
                    );
                }
            }
            Action::Other => {}
        }
        table
    }

    fn move_table(&mut self, from: &Name, to: &Name) {
        self.materialize(from);
        self.materialize(to);
        if self.new_tables.remove(from) {
            self.new_tables.insert(to.clone());
        }
        let moved: Vec<ColumnKey> = self
            .types
            .keys()
            .filter(|(t, _)| t == from)
            .cloned()
            .collect();
        for key in moved {
            if let Some(ty) = self.types.remove(&key) {
                self.types.insert((to.clone(), key.1), ty);
            }
        }
    }
}

/// A statement as the first pass saw it.
enum Recognized {
    /// Parsed in full.
    Op(Op),
    /// Known from its prefix; parsed later only if a rule needs it.
    Quick(Quick),
}

impl Recognized {
    fn op(&self) -> Option<&Op> {
        match self {
            Recognized::Op(op) => Some(op),
            Recognized::Quick(_) => None,
        }
    }
}

/// One migration being linted.
struct Run<'a> {
    file: &'a str,
    sql: &'a str,
    pieces: &'a [Piece<'a>],
    config: &'a LintConfig,
    findings: Vec<Finding>,
}

impl Run<'_> {
    fn emit(&mut self, rule: Rule, statement: usize, message: String) {
        let level = self.config.level(rule);
        if level == Level::Off {
            return;
        }
        let piece = self.pieces[statement];
        let (line, column) = line_col(self.sql, piece.start);
        self.findings.push(Finding {
            rule,
            level,
            file: self.file.to_owned(),
            span: piece.span(),
            line,
            column,
            statement: shorten(piece.text),
            message,
        });
    }
}

/// The statement on one line, cut at 160 characters.
fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

/// Lints `migrations` (name, text) in order as pending migrations.
pub fn lint_migrations<'a>(
    migrations: impl IntoIterator<Item = (&'a str, &'a str)>,
    config: &LintConfig,
) -> Vec<Finding> {
    let mut linter = Linter::new(config.clone());
    migrations
        .into_iter()
        .flat_map(|(name, sql)| linter.lint(name, sql))
        .collect()
}

/// Whether `sql` starts with the no-transaction marker line.
pub(crate) fn marked_no_transaction(sql: &str) -> bool {
    sql.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .is_some_and(|l| l.trim_end() == NO_TRANSACTION_MARKER)
}
