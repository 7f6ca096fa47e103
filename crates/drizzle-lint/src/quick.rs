//! A prefix scan that spots, without sqlparser, the statements an initial migration is
//! made of (`CREATE TABLE`, plain `CREATE INDEX`, foreign keys added by `ALTER TABLE`).
//! Parsing them is most of a large migration's lint time, and on a table created earlier
//! in the run no rule looks at the index or foreign key at all; the linter parses such a
//! statement only when its table turns out to exist, and a created table's columns only
//! when a later statement needs their types.
//!
//! Every shape accepted here is one the full recognizer reads the same way (same kind,
//! same table); the scan says `None` whenever it is unsure, and the full path runs.

use crate::ops::Name;

/// What the prefix scan established about a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quick {
    /// `CREATE TABLE name (`: the full recognizer yields `Op::CreateTable` of this table.
    CreateTable(Name),
    /// `CREATE [UNIQUE] INDEX "i" ON name` without `CONCURRENTLY`: the full recognizer
    /// yields a non-concurrent `Op::CreateIndex` on this table (or nothing of interest).
    CreateIndex(Name),
    /// `ALTER TABLE name ADD CONSTRAINT "c" FOREIGN KEY (...) REFERENCES t(...) [ON ...]`
    /// and nothing else: one foreign key, validated (no `NOT VALID`).
    ForeignKey(Name),
}

/// The statement's shape when the scan is sure of it.
pub fn quick(text: &str) -> Option<Quick> {
    // `set_config('lock_timeout', ...)` anywhere turns an unrecognized statement into a
    // lock timeout; such statements are left to the full path.
    if text
        .as_bytes()
        .windows(12)
        .any(|w| w.eq_ignore_ascii_case(b"lock_timeout"))
    {
        return None;
    }
    let mut s = Scan { rest: text };
    if s.kw("CREATE") {
        if s.kw("TABLE") {
            s.kws(&["IF", "NOT", "EXISTS"]);
            let table = s.name()?;
            // Unlike an index or a foreign key, the table counts even when it is new, so the
            // full path must not fall to `Other`: it does only when the text does not lex.
            return (s.punct('(') && lexes_plainly(text)).then_some(Quick::CreateTable(table));
        }
        s.kw("UNIQUE");
        if !s.kw("INDEX") {
            return None;
        }
        s.kws(&["IF", "NOT", "EXISTS"]);
        s.quoted()?;
        if !s.kw("ON") {
            return None;
        }
        s.kw("ONLY");
        let table = s.name()?;
        // A third name part or anything glued to the name is not a shape we know.
        let next = s.rest.chars().next()?;
        return (next.is_ascii_whitespace() || next == '(').then_some(Quick::CreateIndex(table));
    }
    if s.kw("ALTER") && s.kw("TABLE") {
        let table = s.name()?;
        let fk = s.kw("ADD")
            && s.kw("CONSTRAINT")
            && s.quoted().is_some()
            && s.kw("FOREIGN")
            && s.kw("KEY")
            && s.columns()
            && s.kw("REFERENCES")
            && s.name().is_some()
            && s.columns();
        if !fk {
            return None;
        }
        for event in ["DELETE", "UPDATE"] {
            if s.kws(&["ON", event]) {
                let action = s.kw("CASCADE")
                    || s.kw("RESTRICT")
                    || s.kws(&["NO", "ACTION"])
                    || s.kws(&["SET", "NULL"])
                    || s.kws(&["SET", "DEFAULT"]);
                if !action {
                    return None;
                }
            }
        }
        s.punct(';');
        return s.rest.trim().is_empty().then_some(Quick::ForeignKey(table));
    }
    None
}

/// Whether sqlparser's tokenizer surely accepts `text`: ASCII, every quote closed, and
/// none of the constructs whose lexing can fail (dollar quotes, comments, escapes,
/// prefixed strings such as `E'...'`, `._`).
fn lexes_plainly(text: &str) -> bool {
    let b = text.as_bytes();
    if !text.is_ascii()
        || b.iter().any(|c| matches!(c, b'\\' | b'$'))
        || ["/*", "--", "._"].iter().any(|p| text.contains(p))
    {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let quote = b[i];
        if quote == b'\'' && i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'&') {
            return false;
        }
        if quote == b'"' || quote == b'\'' {
            // Closed by a lone quote; a doubled one is an escaped quote inside.
            i += 1;
            loop {
                match b[i..].iter().position(|c| *c == quote) {
                    None => return false,
                    Some(at) if b.get(i + at + 1) == Some(&quote) => i += at + 2,
                    Some(at) => {
                        i += at + 1;
                        break;
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    true
}

/// A cursor over the statement's text.
struct Scan<'a> {
    rest: &'a str,
}

impl Scan<'_> {
    fn skip_space(&mut self) {
        self.rest = self
            .rest
            .trim_start_matches(|c: char| c.is_ascii_whitespace());
    }

    /// Consumes the keyword `word` (any case) when it comes next as a whole word.
    fn kw(&mut self, word: &str) -> bool {
        self.skip_space();
        let n = word.len();
        let matches = self
            .rest
            .as_bytes()
            .get(..n)
            .is_some_and(|b| b.eq_ignore_ascii_case(word.as_bytes()))
            && self
                .rest
                .as_bytes()
                .get(n)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$'));
        if matches {
            self.rest = &self.rest[n..];
        }
        matches
    }

    /// Consumes `words` when all of them come next; otherwise consumes nothing.
    fn kws(&mut self, words: &[&str]) -> bool {
        let start = self.rest;
        if words.iter().all(|w| self.kw(w)) {
            return true;
        }
        self.rest = start;
        false
    }

    fn punct(&mut self, c: char) -> bool {
        self.skip_space();
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// A double-quoted identifier without escaped quotes inside.
    fn quoted(&mut self) -> Option<String> {
        self.skip_space();
        let body = self.rest.strip_prefix('"')?;
        let end = body.find('"')?;
        if end == 0 || body[end + 1..].starts_with('"') {
            return None;
        }
        self.rest = &body[end + 1..];
        Some(body[..end].to_owned())
    }

    /// `"t"` or `"s"."t"`, directly adjacent as drizzle-kit writes them.
    fn name(&mut self) -> Option<Name> {
        let first = self.quoted()?;
        let parts = match self.rest.strip_prefix('.') {
            Some(rest) if rest.starts_with('"') => {
                self.rest = rest;
                vec![first, self.quoted()?]
            }
            Some(_) => return None,
            None => vec![first],
        };
        if self.rest.starts_with('.') {
            return None;
        }
        Name::from_parts(parts)
    }

    /// `("a", "b")`: a parenthesized list of quoted identifiers.
    fn columns(&mut self) -> bool {
        if !self.punct('(') {
            return false;
        }
        loop {
            if self.quoted().is_none() {
                return false;
            }
            if self.punct(')') {
                return true;
            }
            if !self.punct(',') {
                return false;
            }
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

    #[test]
    fn drizzle_shapes() {
        assert_eq!(
            quick(r#"CREATE TABLE "app"."t" ("id" integer);"#),
            Some(Quick::CreateTable(Name {
                schema: "app".into(),
                name: "t".into()
            }))
        );
        assert_eq!(
            quick(r#"CREATE UNIQUE INDEX "i" ON "t" USING btree ("a");"#),
            Some(Quick::CreateIndex(public("t")))
        );
        assert_eq!(
            quick(
                r#"ALTER TABLE "p" ADD CONSTRAINT "fk" FOREIGN KEY ("a","b") REFERENCES "public"."u"("id","x") ON DELETE set null ON UPDATE no action;"#
            ),
            Some(Quick::ForeignKey(public("p")))
        );
    }

    #[test]
    fn plain_lexing() {
        assert!(lexes_plainly(
            r#"CREATE TABLE "a""b" ("c" text DEFAULT 'it''s', "d" text DEFAULT '')"#
        ));
        assert!(!lexes_plainly(r#"CREATE TABLE "t" ("c" text DEFAULT 'x)"#));
        assert!(!lexes_plainly(r#"CREATE TABLE "t ("c" text)"#));
    }

    #[test]
    fn anything_unsure_goes_to_the_full_path() {
        for sql in [
            r#"CREATE INDEX CONCURRENTLY "i" ON "t" ("a");"#,
            r#"CREATE TABLE t (id integer);"#,
            r#"CREATE TABLE "a"."b"."c" ("id" integer);"#,
            r#"CREATE TABLE "a""b" ("id" integer);"#,
            r#"CREATE TABLE "t" AS SELECT 1;"#,
            r#"ALTER TABLE "p" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES "u"("id") NOT VALID;"#,
            r#"ALTER TABLE "p" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES "u"("id"), RENAME TO "q";"#,
            r#"ALTER TABLE "p" ADD CONSTRAINT "c" CHECK ("a" > 0);"#,
            r#"CREATE INDEX "i" ON "t" ((set_config('lock_timeout', '1s', false)));"#,
            r#"CREATE TABLE "t" ("a" text DEFAULT 'it's');"#,
            r#"CREATE TABLE "t" ("a" text DEFAULT E'\\n');"#,
            r#"CREATE TABLE "t" ("a" text DEFAULT $$x$$);"#,
            r#"CREATE TABLE "t" ("a" text) -- "#,
        ] {
            assert_eq!(quick(sql), None, "{sql}");
        }
    }
}
