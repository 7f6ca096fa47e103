//! Token-level recognition for statements sqlparser cannot parse (`ALTER TABLE ... SET
//! SCHEMA`, `ADD CONSTRAINT ... USING INDEX`, hand-written PostgreSQL it lacks). It reads
//! only the statement shapes the rules care about and calls everything else `Other`.

use sqlparser::tokenizer::Token;

use crate::ops::{Action, ConstraintKind, Fill, Name, NewColumn, NewConstraint, Op, is_serial};
use crate::tokens::{Tok, split_top_level, tokens, volatile_call};

/// What the statement `text` does, read from its tokens.
pub fn recognize(text: &str) -> Op {
    let Some(mut toks) = tokens(text) else {
        return Op::Other;
    };
    while toks.last().is_some_and(|t| t.token == Token::SemiColon) {
        toks.pop();
    }
    let r = Reader { text, toks: &toks };
    r.statement().unwrap_or(Op::Other)
}

struct Reader<'a> {
    text: &'a str,
    toks: &'a [Tok],
}

impl Reader<'_> {
    fn kw(&self, i: usize, word: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is(word))
    }

    /// Skips `IF [NOT] EXISTS` at `i`.
    fn skip_if_exists(&self, i: usize) -> usize {
        if !self.kw(i, "IF") {
            return i;
        }
        if self.kw(i + 1, "NOT") { i + 3 } else { i + 2 }
    }

    /// A possibly qualified name at `i`, and the index after it.
    fn name(&self, mut i: usize) -> Option<(Name, usize)> {
        let mut parts = vec![self.toks.get(i)?.ident()?];
        i += 1;
        while self.toks.get(i).is_some_and(|t| t.token == Token::Period) {
            parts.push(self.toks.get(i + 1)?.ident()?);
            i += 2;
        }
        Some((Name::from_parts(parts)?, i))
    }

    fn statement(&self) -> Option<Op> {
        if self.kw(0, "CREATE") {
            return self.create();
        }
        if self.kw(0, "DROP") {
            let names = || -> Vec<Name> {
                let start = self.skip_if_exists(2);
                split_top_level(&self.toks[start.min(self.toks.len())..])
                    .iter()
                    .filter_map(|part| {
                        Reader {
                            text: self.text,
                            toks: part,
                        }
                        .name(0)
                        .map(|(n, _)| n)
                    })
                    .collect()
            };
            return Some(if self.kw(1, "TABLE") {
                Op::DropTable(names())
            } else if self.kw(1, "TYPE") {
                Op::DropType(names())
            } else if self.kw(1, "INDEX") {
                Op::DropIndex {
                    concurrently: self.kw(2, "CONCURRENTLY"),
                }
            } else {
                Op::Other
            });
        }
        if self.kw(0, "ALTER") && self.kw(1, "TABLE") {
            let mut i = self.skip_if_exists(2);
            if self.kw(i, "ONLY") {
                i += 1;
            }
            let (table, i) = self.name(i)?;
            let actions = split_top_level(self.toks.get(i..)?)
                .into_iter()
                .map(|part| {
                    Reader {
                        text: self.text,
                        toks: part,
                    }
                    .action()
                })
                .collect();
            return Some(Op::AlterTable { table, actions });
        }
        if self.kw(0, "ALTER") && self.kw(1, "TYPE") {
            let (enum_name, i) = self.name(2)?;
            if self.kw(i, "ADD") && self.kw(i + 1, "VALUE") {
                let i = self.skip_if_exists(i + 2);
                if let Some(Token::SingleQuotedString(value)) = self.toks.get(i).map(|t| &t.token) {
                    return Some(Op::AddEnumValue {
                        enum_name,
                        value: value.clone(),
                    });
                }
            }
            return Some(Op::Other);
        }
        if self.kw(0, "SET") {
            let i = if self.kw(1, "SESSION") || self.kw(1, "LOCAL") {
                2
            } else {
                1
            };
            if self.toks.get(i).and_then(Tok::ident).as_deref() == Some("lock_timeout") {
                return Some(Op::SetLockTimeout);
            }
        }
        Some(Op::Other)
    }

    fn create(&self) -> Option<Op> {
        let mut i = 1;
        if self.kw(i, "UNIQUE") {
            i += 1;
        }
        if self.kw(i, "INDEX") {
            i += 1;
            let concurrently = self.kw(i, "CONCURRENTLY");
            if concurrently {
                i += 1;
            }
            i = self.skip_if_exists(i);
            let name = if self.kw(i, "ON") {
                None
            } else {
                i += 1;
                self.toks.get(i - 1)?.ident()
            };
            if !self.kw(i, "ON") {
                return Some(Op::Other);
            }
            i += 1;
            if self.kw(i, "ONLY") {
                i += 1;
            }
            let (table, _) = self.name(i)?;
            return Some(Op::CreateIndex {
                table,
                name,
                concurrently,
            });
        }
        while ["GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED"]
            .iter()
            .any(|w| self.kw(i, w))
        {
            i += 1;
        }
        if self.kw(i, "TABLE") {
            let (table, i) = self.name(self.skip_if_exists(i + 1))?;
            let columns = match self.toks.get(i) {
                Some(t) if t.token == Token::LParen => {
                    let close = crate::tokens::closing_paren(self.toks, i)?;
                    split_top_level(&self.toks[i + 1..close])
                        .into_iter()
                        .filter_map(|element| {
                            let first = element.first()?;
                            let constraint = [
                                "CONSTRAINT",
                                "PRIMARY",
                                "UNIQUE",
                                "CHECK",
                                "FOREIGN",
                                "EXCLUDE",
                                "LIKE",
                            ]
                            .iter()
                            .any(|w| first.is(w));
                            if constraint {
                                return None;
                            }
                            let column = Reader {
                                text: self.text,
                                toks: element,
                            }
                            .column(0)?;
                            Some((column.name, column.sql_type))
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            return Some(Op::CreateTable { table, columns });
        }
        if self.kw(1, "TYPE") {
            let (name, i) = self.name(2)?;
            if self.kw(i, "AS") && self.kw(i + 1, "ENUM") {
                return Some(Op::CreateEnum(name));
            }
        }
        Some(Op::Other)
    }

    /// One `ALTER TABLE` action (the tokens between top-level commas).
    fn action(&self) -> Action {
        self.try_action().unwrap_or(Action::Other)
    }

    fn try_action(&self) -> Option<Action> {
        if self.kw(0, "ADD") {
            let constraint_start = [
                "CONSTRAINT",
                "CHECK",
                "FOREIGN",
                "UNIQUE",
                "PRIMARY",
                "EXCLUDE",
            ]
            .iter()
            .any(|w| self.kw(1, w));
            if constraint_start {
                return Some(Action::AddConstraint(self.constraint(1)));
            }
            let i = if self.kw(1, "COLUMN") { 2 } else { 1 };
            return Some(Action::AddColumn(self.column(self.skip_if_exists(i))?));
        }
        if self.kw(0, "DROP") {
            if self.kw(1, "CONSTRAINT") {
                return None;
            }
            let i = if self.kw(1, "COLUMN") { 2 } else { 1 };
            let i = self.skip_if_exists(i);
            return Some(Action::DropColumn(vec![self.toks.get(i)?.ident()?]));
        }
        if self.kw(0, "RENAME") {
            if self.kw(1, "TO") {
                let (name, _) = self.name(2)?;
                return Some(Action::RenameTable(name.name));
            }
            if self.kw(1, "CONSTRAINT") {
                return None;
            }
            let i = if self.kw(1, "COLUMN") { 2 } else { 1 };
            if !self.kw(i + 1, "TO") {
                return None;
            }
            return Some(Action::RenameColumn {
                from: self.toks.get(i)?.ident()?,
                to: self.toks.get(i + 2)?.ident()?,
            });
        }
        if self.kw(0, "SET") && self.kw(1, "SCHEMA") {
            return Some(Action::SetSchema(self.toks.get(2)?.ident()?));
        }
        if self.kw(0, "VALIDATE") && self.kw(1, "CONSTRAINT") {
            return Some(Action::ValidateConstraint(self.toks.get(2)?.ident()?));
        }
        if self.kw(0, "ALTER") {
            let i = if self.kw(1, "COLUMN") { 2 } else { 1 };
            let column = self.toks.get(i)?.ident()?;
            let i = i + 1;
            if self.kw(i, "SET") && self.kw(i + 1, "NOT") && self.kw(i + 2, "NULL") {
                return Some(Action::SetNotNull(column));
            }
            let type_at = if self.kw(i, "SET") && self.kw(i + 1, "DATA") && self.kw(i + 2, "TYPE") {
                i + 3
            } else if self.kw(i, "TYPE") {
                i + 1
            } else {
                return None;
            };
            let using = (type_at..self.toks.len()).find(|&j| self.kw(j, "USING"));
            let end = using.unwrap_or(self.toks.len());
            return Some(Action::SetDataType {
                column,
                to: self.slice(type_at, end)?.to_owned(),
                using: using.is_some(),
            });
        }
        None
    }

    /// The text from token `from` up to (not including) token `to`.
    fn slice(&self, from: usize, to: usize) -> Option<&str> {
        let first = self.toks.get(from)?;
        let last = self.toks.get(to.checked_sub(1)?)?;
        (from < to).then(|| &self.text[first.start..last.end])
    }

    /// A column definition starting at its name.
    fn column(&self, at: usize) -> Option<NewColumn> {
        const STOPS: &[&str] = &[
            "NOT",
            "NULL",
            "DEFAULT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "REFERENCES",
            "GENERATED",
            "CONSTRAINT",
            "COLLATE",
        ];
        let name = self.toks.get(at)?.ident()?;
        let type_end = (at + 1..self.toks.len())
            .find(|&j| STOPS.iter().any(|w| self.kw(j, w)))
            .unwrap_or(self.toks.len());
        let sql_type = self.slice(at + 1, type_end)?.to_owned();
        let has = |a: &str, b: &str| {
            (type_end..self.toks.len()).any(|j| self.kw(j, a) && self.kw(j + 1, b))
        };
        let default = (type_end..self.toks.len())
            .find(|&j| self.kw(j, "DEFAULT"))
            .and_then(|d| {
                let end = (d + 1..self.toks.len())
                    .find(|&j| STOPS.iter().any(|w| self.kw(j, w)))
                    .unwrap_or(self.toks.len());
                self.slice(d + 1, end).map(str::to_owned)
            });
        let generated = (type_end..self.toks.len()).find(|&j| self.kw(j, "GENERATED"));
        let fill = if let Some(g) = generated {
            let rest = g..self.toks.len();
            if rest.clone().any(|j| self.kw(j, "IDENTITY")) {
                Some(Fill::Identity)
            } else if rest.clone().any(|j| self.kw(j, "STORED")) {
                Some(Fill::Generated)
            } else {
                None
            }
        } else if let Some(function) = default.as_deref().and_then(volatile_call) {
            Some(Fill::Volatile(function))
        } else {
            is_serial(&sql_type).then_some(Fill::Serial)
        };
        Some(NewColumn {
            name,
            not_null: has("NOT", "NULL") || has("PRIMARY", "KEY"),
            default,
            fill,
            sql_type,
        })
    }

    /// `[CONSTRAINT n] kind ...` starting at `at`.
    fn constraint(&self, at: usize) -> NewConstraint {
        let (name, at) = if self.kw(at, "CONSTRAINT") {
            (self.toks.get(at + 1).and_then(Tok::ident), at + 2)
        } else {
            (None, at)
        };
        let kind = if self.kw(at, "FOREIGN") {
            ConstraintKind::ForeignKey
        } else if self.kw(at, "CHECK") {
            ConstraintKind::Check
        } else if self.kw(at, "UNIQUE") {
            ConstraintKind::Unique
        } else if self.kw(at, "PRIMARY") {
            ConstraintKind::PrimaryKey
        } else {
            ConstraintKind::Other
        };
        let n = self.toks.len();
        let not_null_column = (kind == ConstraintKind::Check
            && n >= at + 6
            && self.toks[at + 1].token == Token::LParen
            && self.kw(at + 3, "IS")
            && self.kw(at + 4, "NOT")
            && self.kw(at + 5, "NULL"))
        .then(|| self.toks[at + 2].ident())
        .flatten();
        NewConstraint {
            name,
            kind,
            not_valid: n >= 2 && self.kw(n - 2, "NOT") && self.kw(n - 1, "VALID"),
            using_index: (at..n).any(|j| self.kw(j, "USING") && self.kw(j + 1, "INDEX")),
            not_null_column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(name: &str) -> Name {
        Name {
            schema: "public".into(),
            name: name.into(),
        }
    }

    /// Types as compared by the rules (the parser prints them in upper case).
    fn normalized(op: Op) -> Op {
        use crate::ops::normalize_type;
        match op {
            Op::CreateTable { table, columns } => Op::CreateTable {
                table,
                columns: columns
                    .into_iter()
                    .map(|(c, t)| (c, normalize_type(&t)))
                    .collect(),
            },
            Op::AlterTable { table, actions } => Op::AlterTable {
                table,
                actions: actions
                    .into_iter()
                    .map(|a| match a {
                        Action::AddColumn(c) => Action::AddColumn(NewColumn {
                            sql_type: normalize_type(&c.sql_type),
                            ..c
                        }),
                        Action::SetDataType { column, to, using } => Action::SetDataType {
                            column,
                            to: normalize_type(&to),
                            using,
                        },
                        other => other,
                    })
                    .collect(),
            },
            other => other,
        }
    }

    #[test]
    fn alter_table_actions_sqlparser_rejects() {
        assert_eq!(
            recognize("ALTER TABLE \"s1\".\"t\" SET SCHEMA \"s2\";"),
            Op::AlterTable {
                table: Name {
                    schema: "s1".into(),
                    name: "t".into()
                },
                actions: vec![Action::SetSchema("s2".into())]
            }
        );
        let Op::AlterTable { actions, .. } =
            recognize("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u;")
        else {
            panic!()
        };
        let [Action::AddConstraint(c)] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert!(c.using_index);
        assert_eq!(c.kind, ConstraintKind::Unique);
    }

    #[test]
    fn the_same_shapes_as_the_parser() {
        let statements = [
            "CREATE TABLE \"users\" (\"id\" serial PRIMARY KEY NOT NULL, \"n\" integer GENERATED ALWAYS AS IDENTITY (sequence name \"s\"), CONSTRAINT \"c\" CHECK (\"id\" > 0));",
            "ALTER TABLE \"t\" ADD COLUMN \"c\" uuid DEFAULT gen_random_uuid() NOT NULL;",
            "ALTER TABLE \"t\" ADD CONSTRAINT \"c\" CHECK (\"x\" IS NOT NULL) NOT VALID;",
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DATA TYPE bigint USING \"c\"::bigint;",
            "ALTER TABLE \"t\" ALTER COLUMN \"c\" SET NOT NULL, DROP COLUMN \"d\", RENAME COLUMN \"a\" TO \"b\";",
            "ALTER TABLE \"t\" RENAME TO \"u\";",
            "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"c\";",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON ONLY \"app\".\"t\" USING btree (\"a\");",
            "DROP TABLE \"a\", \"app\".\"b\" CASCADE;",
            "ALTER TYPE \"public\".\"color\" ADD VALUE 'blue' BEFORE 'red';",
            "SET LOCAL lock_timeout = '1s';",
        ];
        for sql in statements {
            let parsed = normalized(crate::parse::recognize(sql));
            assert_eq!(normalized(recognize(sql)), parsed, "{sql}");
            assert_ne!(parsed, Op::Other, "{sql}");
        }
        assert_eq!(
            recognize("DROP TABLE \"a\", \"app\".\"b\" CASCADE;"),
            Op::DropTable(vec![
                public("a"),
                Name {
                    schema: "app".into(),
                    name: "b".into()
                }
            ])
        );
    }
}
