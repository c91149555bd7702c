//! Spec text -> rustdoc attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, Docs};

/// Make spec Markdown safe for rustdoc: fenced blocks become ```` ```text ```` (never
/// compiled as doctests), and indentation that Markdown would read as a code block is removed.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // A bare CR is not allowed in a `///` comment (prettyplease output): make it a line break.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_string());
        } else {
            out.push(trimmed.trim_end().to_string());
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// Lines of documentation for an item.
pub fn lines(docs: &Docs, constraints: Option<&Constraints>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(title) = &docs.title {
        out.push(sanitize(title));
    }
    if let Some(description) = &docs.description {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(sanitize(description));
    }
    let mut facts = Vec::new();
    if let Some(format) = &docs.format {
        facts.push(format!("Format: `{format}`."));
    }
    if let Some(c) = constraints {
        facts.extend(constraint_lines(c));
    }
    if let Some(default) = &docs.default {
        facts.push(format!(
            "Default: `{}` (the server's, when a request leaves the field out; never filled in by this client).",
            code(default)
        ));
    }
    if let Some(example) = &docs.example {
        facts.push(format!("Example: `{}`.", code(example)));
    }
    if let Some(note) = &docs.note {
        facts.push(note.clone());
    }
    if docs.deprecated {
        facts.push("Deprecated by the API.".to_string());
    }
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(facts.into_iter().map(|f| format!("- {f}")));
    }
    out
}

/// Human-readable forms of the checks the client runs before sending.
pub fn constraint_lines(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => out.push(format!("Length: {min} to {max} characters.")),
        (Some(min), None) => out.push(format!("Length: at least {min} characters.")),
        (None, Some(max)) => out.push(format!("Length: at most {max} characters.")),
        (None, None) => {}
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| format!("`{}`", code(v))).collect();
        out.push(format!("One of: {}.", values.join(", ")));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("Pattern: `{}`.", code(p)));
    }
    if let Some((m, exclusive)) = c.minimum {
        out.push(format!(
            "Minimum: {m}{}.",
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some((m, exclusive)) = c.maximum {
        out.push(format!(
            "Maximum: {m}{}.",
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some(m) = c.multiple_of {
        out.push(format!("Multiple of {m}."));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => out.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => out.push(format!("Items: at least {min}.")),
        (None, Some(max)) => out.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    if c.unique_items {
        out.push("Items must be unique.".to_string());
    }
    if let Some(min) = c.min_properties {
        out.push(format!("Properties: at least {min}."));
    }
    if let Some(max) = c.max_properties {
        out.push(format!("Properties: at most {max}."));
    }
    out
}

/// Text inside backticks cannot contain backticks.
fn code(text: &str) -> String {
    let mut text = text.replace('`', "'");
    if text.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

/// `#[doc = "..."]` attributes for `lines`.
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines
        .iter()
        // No bare CR may reach a `///` comment once prettyplease prints it.
        .flat_map(|l| l.split(['\n', '\r']))
        .map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}
