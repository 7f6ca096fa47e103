//! Literal tokens: strings (raw when that reads better) and numbers that the parser reads
//! back as exactly the same text.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::str::FromStr;

/// A string literal; SQL with quotes, backslashes or line breaks is written as a raw string.
pub(crate) fn string(text: &str) -> TokenStream {
    let wants_raw = text.contains(['"', '\\', '\n']);
    // A raw string cannot hold a bare carriage return, and other control characters are
    // clearer escaped.
    let can_raw = !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if wants_raw && can_raw {
        let mut hashes = String::from("#");
        while text.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        if let Ok(lit) = Literal::from_str(&format!("r{hashes}\"{text}\"{hashes}")) {
            return quote!(#lit);
        }
    }
    let lit = Literal::string(text);
    quote!(#lit)
}

/// Whether `text` is an integer as the parser reads integer literals (`-12`, `0`).
pub(crate) fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Tokens for a number whose text the parser reads back unchanged, if there are any.
pub(crate) fn number(text: &str) -> Option<TokenStream> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lit: syn::Lit = syn::parse_str(digits).ok()?;
    let back = match &lit {
        syn::Lit::Int(i) if i.suffix().is_empty() => i.base10_digits().to_owned(),
        syn::Lit::Float(f) if f.suffix().is_empty() => f.base10_digits().to_owned(),
        _ => return None,
    };
    if back != digits {
        return None;
    }
    Some(if negative {
        quote!(-#lit)
    } else {
        quote!(#lit)
    })
}

/// Tokens for an integer option (sequence and identity numbers), if `text` is one.
pub(crate) fn integer(text: &str) -> Option<TokenStream> {
    if is_integer(text) { number(text) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        for text in [
            "0",
            "-1",
            "42",
            "1.5",
            "-0.25",
            "1e21",
            "9223372036854775808",
        ] {
            let tokens = number(text).unwrap_or_else(|| panic!("{text}"));
            let expr: syn::Expr = syn::parse2(tokens).unwrap();
            let back =
                crate::meta::int_text_of(&expr).or_else(|| crate::meta::float_text_of(&expr));
            assert_eq!(back.as_deref(), Some(text));
        }
        assert!(number("NaN").is_none());
        // syn drops the exponent's `+`, so this text has no literal that reads back as it.
        assert!(number("1e+21").is_none());
        assert!(number(".5").is_none());
        assert!(number("1_0").is_none());
        assert!(integer("1.5").is_none());
    }

    #[test]
    fn strings_round_trip() {
        for text in [
            "plain",
            "say \"hi\"",
            "a\\b",
            "two\nlines",
            "cr\r\n",
            "\"#",
            "",
        ] {
            let lit: syn::LitStr = syn::parse2(string(text)).unwrap();
            assert_eq!(lit.value(), text);
        }
        assert_eq!(string("a\"b").to_string(), "r#\"a\"b\"#");
    }
}
