//! Recognizing a statement with sqlparser's PostgreSQL grammar; what it cannot parse
//! goes to the token-level recognizer in `fallback`.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, AlterType, AlterTypeOperation, ColumnDef,
    ColumnOption, Expr, GeneratedExpressionMode, Ident, ObjectName, ObjectNamePart, ObjectType,
    RenameTableNameKind, Set, Statement, TableConstraint, UserDefinedTypeRepresentation,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use crate::fallback;
use crate::ops::{Action, ConstraintKind, Fill, Name, NewColumn, NewConstraint, Op, is_serial};
use crate::tokens::{closing_paren, tokens, volatile_call};

/// What the statement `text` does.
pub fn recognize(text: &str) -> Op {
    let op = parsed(text)
        .or_else(|| without_identity_options(text).and_then(|t| parsed(&t)))
        .unwrap_or_else(|| fallback::recognize(text));
    match op {
        Op::Other if sets_lock_timeout(text) => Op::SetLockTimeout,
        op => op,
    }
}

fn parsed(text: &str) -> Option<Op> {
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, text).ok()?;
    match statements.as_slice() {
        [statement] => from_ast(statement, text),
        _ => None,
    }
}

/// drizzle-kit writes identity options as `AS IDENTITY (sequence name "s" INCREMENT BY 1
/// ...)`, which sqlparser rejects; the options do not matter to any rule.
fn without_identity_options(text: &str) -> Option<String> {
    let toks = tokens(text)?;
    let mut cut = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.is("IDENTITY") && toks.get(i + 1).is_some_and(|n| n.token == Token::LParen) {
            let close = closing_paren(&toks, i + 1)?;
            cut.push(toks[i + 1].start..toks[close].end);
        }
    }
    if cut.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in cut {
        out.push_str(&text[at..range.start]);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// `SELECT set_config('lock_timeout', ...)` and other spellings the grammar leaves as
/// plain statements.
fn sets_lock_timeout(text: &str) -> bool {
    let Some(toks) = tokens(text) else {
        return false;
    };
    toks.iter().any(|t| t.is("set_config"))
        && toks
            .iter()
            .any(|t| matches!(&t.token, Token::SingleQuotedString(s) if s.eq_ignore_ascii_case("lock_timeout")))
}

fn from_ast(statement: &Statement, text: &str) -> Option<Op> {
    Some(match statement {
        Statement::CreateTable(ct) => Op::CreateTable {
            table: name(&ct.name)?,
            columns: ct
                .columns
                .iter()
                .map(|c| (ident(&c.name), c.data_type.to_string()))
                .collect(),
        },
        Statement::CreateIndex(ci) => Op::CreateIndex {
            table: name(&ci.table_name)?,
            name: ci.name.as_ref().and_then(name).map(|n| n.name),
            concurrently: ci.concurrently,
        },
        Statement::AlterTable {
            name: table,
            operations,
            ..
        } => Op::AlterTable {
            table: name(table)?,
            actions: operations.iter().map(action).collect(),
        },
        Statement::Drop {
            object_type, names, ..
        } => {
            let names = || names.iter().filter_map(name).collect();
            match object_type {
                ObjectType::Table => Op::DropTable(names()),
                ObjectType::Type => Op::DropType(names()),
                ObjectType::Index => Op::DropIndex {
                    concurrently: tokens(text)
                        .is_some_and(|t| t.iter().take(3).any(|t| t.is("CONCURRENTLY"))),
                },
                _ => Op::Other,
            }
        }
        Statement::CreateType {
            name: type_name,
            representation: UserDefinedTypeRepresentation::Enum { .. },
        } => Op::CreateEnum(name(type_name)?),
        Statement::AlterType(AlterType {
            name: type_name,
            operation: AlterTypeOperation::AddValue(add),
        }) => Op::AddEnumValue {
            enum_name: name(type_name)?,
            value: add.value.value.clone(),
        },
        Statement::Set(Set::SingleAssignment { variable, .. })
            if name(variable).is_some_and(|n| n.name == "lock_timeout") =>
        {
            Op::SetLockTimeout
        }
        _ => Op::Other,
    })
}

fn action(op: &AlterTableOperation) -> Action {
    match op {
        AlterTableOperation::AddColumn { column_def, .. } => {
            Action::AddColumn(new_column(column_def))
        }
        AlterTableOperation::DropColumn { column_names, .. } => {
            Action::DropColumn(column_names.iter().map(ident).collect())
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => Action::RenameColumn {
            from: ident(old_column_name),
            to: ident(new_column_name),
        },
        AlterTableOperation::RenameTable {
            table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
        } => name(n).map_or(Action::Other, |n| Action::RenameTable(n.name)),
        AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetNotNull,
        } => Action::SetNotNull(ident(column_name)),
        AlterTableOperation::AlterColumn {
            column_name,
            op:
                AlterColumnOperation::SetDataType {
                    data_type, using, ..
                },
        } => Action::SetDataType {
            column: ident(column_name),
            to: data_type.to_string(),
            using: using.is_some(),
        },
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => Action::AddConstraint(new_constraint(constraint, *not_valid)),
        AlterTableOperation::ValidateConstraint { name } => Action::ValidateConstraint(ident(name)),
        _ => Action::Other,
    }
}

fn new_column(def: &ColumnDef) -> NewColumn {
    let sql_type = def.data_type.to_string();
    let mut column = NewColumn {
        name: ident(&def.name),
        not_null: false,
        default: None,
        fill: is_serial(&sql_type).then_some(Fill::Serial),
        sql_type,
    };
    for option in &def.options {
        match &option.option {
            ColumnOption::NotNull
            | ColumnOption::Unique {
                is_primary: true, ..
            } => {
                column.not_null = true;
            }
            ColumnOption::Default(expr) => {
                let text = expr.to_string();
                if let Some(function) = volatile_call(&text) {
                    column.fill = Some(Fill::Volatile(function));
                }
                column.default = Some(text);
            }
            ColumnOption::Generated {
                generation_expr,
                generation_expr_mode,
                ..
            } => match (generation_expr, generation_expr_mode) {
                (None, _) => column.fill = Some(Fill::Identity),
                // PostgreSQL 18's virtual columns are computed on read.
                (Some(_), Some(GeneratedExpressionMode::Stored)) => {
                    column.fill = Some(Fill::Generated);
                }
                (Some(_), _) => {}
            },
            _ => {}
        }
    }
    column
}

fn new_constraint(constraint: &TableConstraint, not_valid: bool) -> NewConstraint {
    let (name, kind, not_null_column) = match constraint {
        TableConstraint::ForeignKey { name, .. } => (name, ConstraintKind::ForeignKey, None),
        TableConstraint::Check { name, expr, .. } => {
            (name, ConstraintKind::Check, not_null_column(expr))
        }
        TableConstraint::Unique { name, .. } => (name, ConstraintKind::Unique, None),
        TableConstraint::PrimaryKey { name, .. } => (name, ConstraintKind::PrimaryKey, None),
        _ => (&None, ConstraintKind::Other, None),
    };
    NewConstraint {
        name: name.as_ref().map(ident),
        kind,
        not_valid,
        using_index: false,
        not_null_column,
    }
}

/// `c IS NOT NULL`: the column a check proves non-null.
fn not_null_column(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Nested(inner) => not_null_column(inner),
        Expr::IsNotNull(inner) => match inner.as_ref() {
            Expr::Identifier(i) => Some(ident(i)),
            Expr::CompoundIdentifier(parts) => parts.last().map(ident),
            Expr::Nested(e) => match e.as_ref() {
                Expr::Identifier(i) => Some(ident(i)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// An identifier as PostgreSQL resolves it: quoted as written, unquoted in lower case.
fn ident(i: &Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_lowercase(),
    }
}

fn name(n: &ObjectName) -> Option<Name> {
    let parts =
        n.0.iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => Some(ident(i)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
    Name::from_parts(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str) -> Name {
        Name {
            schema: "public".into(),
            name: name.into(),
        }
    }

    #[test]
    fn drizzle_identity_columns_are_parsed_without_their_options() {
        let op = recognize(
            "ALTER TABLE \"t\" ADD COLUMN \"c\" integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name \"t_c_seq\" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);",
        );
        let Op::AlterTable { table: t, actions } = op else {
            panic!("{op:?}")
        };
        assert_eq!(t, table("t"));
        let [Action::AddColumn(c)] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert!(c.not_null);
        assert_eq!(c.fill, Some(Fill::Identity));
    }

    #[test]
    fn foreign_keys_and_checks() {
        let op = recognize(
            "ALTER TABLE \"app\".\"posts\" ADD CONSTRAINT \"fk\" FOREIGN KEY (\"a\") REFERENCES \"public\".\"users\"(\"id\") ON DELETE cascade ON UPDATE no action NOT VALID;",
        );
        let Op::AlterTable { table: t, actions } = op else {
            panic!("{op:?}")
        };
        assert_eq!(t.sql(), "\"app\".\"posts\"");
        assert_eq!(
            actions,
            [Action::AddConstraint(NewConstraint {
                name: Some("fk".into()),
                kind: ConstraintKind::ForeignKey,
                not_valid: true,
                using_index: false,
                not_null_column: None,
            })]
        );
        let op =
            recognize("alter table Users add constraint c check (Email is not null) not valid");
        let Op::AlterTable { actions, .. } = op else {
            panic!("{op:?}")
        };
        let [Action::AddConstraint(c)] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert_eq!(c.not_null_column.as_deref(), Some("email"));
    }

    #[test]
    fn lock_timeout_in_its_spellings() {
        assert_eq!(recognize("SET lock_timeout = '5s';"), Op::SetLockTimeout);
        assert_eq!(
            recognize("set local lock_timeout to 5000"),
            Op::SetLockTimeout
        );
        assert_eq!(
            recognize("SELECT set_config('lock_timeout', '2s', false);"),
            Op::SetLockTimeout
        );
        assert_eq!(recognize("SET statement_timeout = '5s';"), Op::Other);
    }

    #[test]
    fn enums() {
        assert_eq!(
            recognize("ALTER TYPE \"public\".\"color\" ADD VALUE 'blue' BEFORE 'red';"),
            Op::AddEnumValue {
                enum_name: table("color"),
                value: "blue".into()
            }
        );
        assert_eq!(
            recognize("CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user');"),
            Op::CreateEnum(table("role"))
        );
        assert_eq!(
            recognize("DROP TYPE \"public\".\"role\";"),
            Op::DropType(vec![table("role")])
        );
    }
}
