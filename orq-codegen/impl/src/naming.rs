//! Naming: spec names -> valid, readable, collision-free Rust identifiers.
//!
//! Every function here is total: any input string (empty, punctuation, non-ASCII,
//! keywords, leading digits) yields a valid identifier, so `Ident::new` never panics.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Strict and reserved keywords of every edition, including 2024's `gen`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replace every character that cannot appear in an identifier. Non-ASCII characters
/// become `uXXXX` so that distinct names stay distinct.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:04x} ", c as u32));
        }
    }
    out
}

/// A type name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Type");
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// An enum variant name: like a type name, with readable fallbacks for values like `""`.
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_string();
    }
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        // Pure punctuation such as "-" or "+": spell out the code points.
        name = raw.chars().map(|c| format!("U{:04X}", c as u32)).collect();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// A field, method or module name: `snake_case`, never empty, never starting with a digit.
pub fn snake_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// The identifier for a name produced by this module: keywords become raw identifiers
/// (`r#type`) or, where Rust forbids that (`self`, `super`, ...), get a trailing `_`.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else if is_plain_ident(name) {
        Ident::new(name, Span::call_site())
    } else {
        // Unreachable for names from this module; kept total for callers' raw strings.
        Ident::new(&snake_name(name), Span::call_site())
    }
}

fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// Hands out names unique within one scope, in request order: the second `foo`
/// becomes `foo_2`, the third `foo_3` (`Foo2`, `Foo3` for types).
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claim `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let camel = name.starts_with(|c: char| c.is_ascii_uppercase());
        (2..)
            .map(|n| {
                if camel {
                    format!("{name}{n}")
                } else {
                    format!("{name}_{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_names_become_valid_identifiers() {
        assert_eq!(
            type_name("create-contact.request body"),
            "CreateContactRequestBody"
        );
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("1st"), "Type1st");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(snake_name("_id"), "id");
        assert_eq!(snake_name("fooBar"), "foo_bar");
        assert_eq!(snake_name("2fa"), "_2fa");
        assert_eq!(snake_name("$$"), "value");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("-"), "U002D");
        assert_eq!(variant_name("null"), "Null");
        assert_eq!(type_name("名前"), "U540dU524d");
    }

    #[test]
    fn scope_numbers_collisions_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(snake_name("foo_bar")), "foo_bar");
        assert_eq!(scope.claim(snake_name("fooBar")), "foo_bar_2");
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
    }
}
