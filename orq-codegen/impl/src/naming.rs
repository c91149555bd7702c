//! Naming: spec names -> valid, readable, collision-free Rust identifiers.
//!
//! Every function here is total: any input string (empty, punctuation, non-ASCII,
//! keywords, leading digits) yields a valid identifier, so `Ident::new` never panics.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::ir::{OperationNames, StatusMatch, StructDef};
use crate::limits::TYPE_NAME_LENGTH;

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

/// The type name of an inline schema, from a hint such as `Owner property`. Names of
/// deeply nested inline schemas would grow with every level (`DeepNextNextNext...`);
/// past `TYPE_NAME_LENGTH` characters they keep their start and the hint's last word.
pub fn inline_type_name(hint: &str) -> String {
    let name = type_name(hint);
    if name.len() <= TYPE_NAME_LENGTH {
        return name;
    }
    let last = type_name(hint.rsplit(' ').next().unwrap_or_default());
    let cut = name
        .char_indices()
        .filter(|(i, c)| *i > 0 && *i <= TYPE_NAME_LENGTH / 2 && c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .next_back()
        .unwrap_or(TYPE_NAME_LENGTH / 2);
    // `type_name` is ASCII, so any index is a char boundary.
    format!("{}{last}", name.get(..cut).unwrap_or_default())
}

/// The component name of a part of a document that a `$ref` names by a JSON pointer
/// (the `tokens`, unescaped) rather than as a component: the words of the pointer that
/// say what it is, joined by `_`, without the structural ones (`components`, `schemas`,
/// `properties`, media types, ...): `#/components/schemas/Pet/properties/owner` is
/// `Pet_owner`, `#/components/schemas/Tag/allOf/0` is `Tag_allOf_0`, `#/paths/~1users/get/parameters/0`
/// is `users_get_0`, a response's schema `users_get_Response_200`, `#/droplet` (another
/// file's) is `droplet`. Lowering claims the Rust
/// name from it as from any component's (`PetOwner`), so the spec's own names come first.
pub fn pointer_name(tokens: &[String]) -> String {
    const STRUCTURAL: &[&str] = &[
        "components",
        "schemas",
        "definitions",
        "$defs",
        "properties",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "content",
        "schema",
        "paths",
    ];
    let mut words: Vec<String> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let after = |word: &str| i > 0 && tokens[i - 1] == word;
        let status = token == "default"
            || (token.len() == 3
                && token
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'));
        if after("paths") {
            let segments = token.split('/').filter(|s| !s.is_empty());
            words.extend(segments.map(|s| s.trim_matches(|c| c == '{' || c == '}').to_string()));
        } else if after("responses") && status {
            words.extend(["Response".to_string(), token.clone()]);
        } else if token == "items" {
            words.push("Item".into());
        } else if token == "additionalProperties" {
            words.push("Value".into());
        } else if !token.is_empty() && !token.contains('/') && !STRUCTURAL.contains(&token.as_str())
        {
            words.push(token.clone());
        }
    }
    match (words.is_empty(), tokens.last()) {
        (false, _) => words.join("_"),
        (true, Some(last)) if !last.is_empty() => last.clone(),
        _ => "schema".into(),
    }
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
        self.claim_with(name, |_| Vec::new())
    }

    /// Claim the name of a builder's field (a model field, a request parameter) with
    /// the name of its `set_` setter.
    pub fn claim_field(&mut self, name: String) -> String {
        self.claim_with(name, |name| vec![setter_name(name)])
    }

    /// Claim `name` together with the names `companions` derives from it (`ItemsGet` and
    /// `ItemsGetResponse`), or the first numbered form of `name` for which all of them are free.
    pub fn claim_with(&mut self, name: String, companions: impl Fn(&str) -> Vec<String>) -> String {
        let camel = name.starts_with(|c: char| c.is_ascii_uppercase());
        let numbered = (2..).map(|n| {
            if camel {
                format!("{name}{n}")
            } else {
                format!("{name}_{n}")
            }
        });
        let candidate = std::iter::once(name.clone())
            .chain(numbered)
            .find(|candidate| {
                !self.taken.contains(candidate)
                    && companions(candidate)
                        .iter()
                        .all(|c| c != candidate && !self.taken.contains(c))
            })
            .unwrap_or(name);
        self.taken.extend(companions(&candidate));
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// Items of the generated client type that a group accessor or the method of an
/// untagged operation must not take: its own functions and consts, and the methods of
/// the traits it implements (an inherent method would shadow them).
pub const CLIENT_ITEMS: &[&str] = &[
    "builder",
    "from_env",
    "new",
    "core",
    "server_url_for",
    "to_builder",
    "request",
    "__core",
    "from_core",
    "DEFAULT_SERVER_URL",
    "SERVERS",
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "fmt",
    "into",
    "try_into",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// Names a generated group struct already uses.
const GROUP_ITEMS: &[&str] = &["client", "clone", "fmt"];

/// The `set_` setter of a builder's field or parameter `name` (`set_x(Option<T>)`).
pub fn setter_name(name: &str) -> String {
    format!(
        "set_{}",
        name.trim_start_matches("r#").trim_start_matches('_')
    )
}

/// Names a request builder already uses for its fields and methods, which a parameter's
/// Rust name (a field and a setter of the builder) must not take.
pub const REQUEST_ITEMS: &[&str] = &[
    "body",
    "body_media",
    "client",
    "encode_as_form",
    "encode_as_json",
    "header",
    "into_future",
    "new",
    "options",
    "refused",
    "retries",
    "self",
    "send",
    "send_with_response",
    "set_body",
    "timeout",
];

/// Names the `requests` module has besides the operations' types: the generic request
/// builder every operation's builder type is an alias of.
pub const REQUESTS_ITEMS: &[&str] = &["Request"];

/// Every Rust name emit will create that could collide, claimed by lowering in document
/// order and stored in the IR: emit only reads what was claimed here.
#[derive(Debug)]
pub struct NameTable {
    /// Group accessors, next to the client's own items.
    accessors: Scope,
    /// Group struct names (module `groups`).
    group_types: Scope,
    /// Each group's methods, by group accessor.
    group_methods: BTreeMap<String, Scope>,
    /// Standalone functions (module `funcs`).
    funcs: Scope,
    /// Request builder types and response enums (module `requests`).
    requests: Scope,
}

impl Default for NameTable {
    fn default() -> Self {
        NameTable {
            accessors: Scope::with_reserved(CLIENT_ITEMS),
            group_types: Scope::default(),
            group_methods: BTreeMap::new(),
            funcs: Scope::default(),
            requests: Scope::with_reserved(REQUESTS_ITEMS),
        }
    }
}

impl NameTable {
    /// The accessor and struct name of the group for `tag`.
    pub fn group(&mut self, tag: &str) -> (String, String) {
        let accessor = self.accessors.claim(snake_name(tag));
        let type_name = self.group_types.claim(type_name(&accessor));
        (accessor, type_name)
    }

    /// The names of an operation of group `group` (`None`: an untagged operation, a
    /// method of the client itself, next to the group accessors) whose method is
    /// derived as `method`.
    pub fn operation(&mut self, group: Option<&str>, method: &str) -> OperationNames {
        let (method, func) = match group {
            Some(group) => {
                let method = self
                    .group_methods
                    .entry(group.to_string())
                    .or_insert_with(|| Scope::with_reserved(GROUP_ITEMS))
                    .claim(method.to_string());
                let func = self.funcs.claim(format!("{group}_{method}"));
                (method, func)
            }
            None => {
                let method = self.accessors.claim(method.to_string());
                (method.clone(), self.funcs.claim(method))
            }
        };
        let request = self.requests.claim_with(type_name(&func), |name| {
            vec![
                format!("{name}Response"),
                format!("{name}Error"),
                format!("{name}Args"),
            ]
        });
        OperationNames {
            response: format!("{request}Response"),
            error: format!("{request}Error"),
            args: format!("{request}Args"),
            method,
            func,
            request,
        }
    }

    /// The names of the event-stream form of the operation named `json` (`create` ->
    /// `create_stream`, `ChatCreate` -> `ChatCreateStream`), claimed right after it. Its
    /// declared errors are the JSON form's enum, so its error name is that one.
    pub fn stream_form(&mut self, group: Option<&str>, json: &OperationNames) -> OperationNames {
        let mut names = self.operation(group, &format!("{}_stream", json.method));
        names.error.clone_from(&json.error);
        names
    }
}

/// The cargo feature of the operations without tags (setting `features_per_tag`).
pub const UNTAGGED_FEATURE: &str = "untagged";

/// Cargo features an SDK crate has besides its groups', which no group's feature takes:
/// cargo's `default`, `full` (every group), the feature of the operations without tags,
/// and the runtime's features an SDK crate forwards (the TLS backends, `blocking`,
/// `mock`). Reserved whether or not the spec has untagged operations, so that adding
/// one never renames a group's feature.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "full",
    UNTAGGED_FEATURE,
    "rustls",
    "rustls-ring",
    "native-tls",
    "blocking",
    "mock",
];

/// A cargo feature name for a tag: lower-case ASCII words joined by `-`
/// (`People / Profiles` -> `people-profiles`, non-ASCII characters as `uXXXX` words),
/// never empty. Such a name is a valid cargo feature and a bare TOML key.
pub fn feature_name(raw: &str) -> String {
    let name = ascii_words(raw).to_kebab_case();
    if name.is_empty() {
        "tag".to_string()
    } else {
        name
    }
}

/// Hands out the cargo features of groups, unique and never one of
/// [`RESERVED_FEATURES`] or `also_reserved` (e.g. the `mock` setting's feature): the
/// second `people` becomes `people-2`.
#[derive(Debug)]
pub struct FeatureScope {
    taken: BTreeSet<String>,
}

impl FeatureScope {
    /// A scope where the reserved features and `also_reserved` are taken.
    pub fn new(also_reserved: Option<&str>) -> Self {
        let reserved = RESERVED_FEATURES.iter().copied().chain(also_reserved);
        FeatureScope {
            taken: reserved.map(str::to_string).collect(),
        }
    }

    /// The feature of the group for `tag`.
    pub fn claim(&mut self, tag: &str) -> String {
        let name = feature_name(tag);
        let numbered = (2..).map(|n| format!("{name}-{n}"));
        let free = std::iter::once(name.clone())
            .chain(numbered)
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or(name);
        self.taken.insert(free.clone());
        free
    }
}

/// The methods of a generated `MockServer` and of the runtime's server it dereferences
/// to, which a group's handler accessor or an untagged operation's handler must not take.
const MOCK_SERVER_ITEMS: &[&str] = &[
    "addr",
    "calls",
    "clear_calls",
    "client",
    "client_builder",
    "register",
    "register_route",
    "requests",
    "start",
    "try_start",
    "url",
];

/// The name on the mock server of what the client calls `name` (a group accessor, or
/// an untagged operation's method): the same, unless the server has a method of that
/// name, then `{name}_handlers`. Client names are unique, and no client name ends in
/// `_handlers` of a server method, so the results are too.
pub fn mock_server_method(name: &str) -> String {
    if MOCK_SERVER_ITEMS.contains(&name) {
        format!("{name}_handlers")
    } else {
        name.to_string()
    }
}

/// The variant of a response enum (success or error) for a status: `Status404`,
/// `Status4xx` for a range, `Other` for `default`. Statuses are unique within an
/// operation's responses, so the variants of one enum are too.
pub fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Exact(n) => format!("Status{n}"),
        StatusMatch::Range(n) => format!("Status{n}xx"),
        StatusMatch::Default => "Other".to_string(),
    }
}

/// [`status_variant`] as an identifier.
pub fn variant_of(status: StatusMatch) -> Ident {
    ident(&status_variant(status))
}

/// The field that holds a struct's additional properties: `additional_properties`,
/// with `_` appended while a property already has the name.
pub fn additional_name(s: &StructDef) -> String {
    let mut name = "additional_properties".to_string();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_server_methods_keep_client_names_unless_the_server_has_them() {
        assert_eq!(mock_server_method("contacts"), "contacts");
        assert_eq!(mock_server_method("get_health"), "get_health");
        assert_eq!(mock_server_method("client"), "client_handlers");
        assert_eq!(mock_server_method("calls"), "calls_handlers");
    }

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
    fn pointers_are_named_by_their_meaningful_words() {
        let name = |pointer: &str| {
            let tokens: Vec<String> = crate::diag::Ptr::from_ref(pointer)
                .unwrap()
                .tokens()
                .collect();
            pointer_name(&tokens)
        };
        assert_eq!(
            name("#/components/schemas/Pet/properties/owner"),
            "Pet_owner"
        );
        assert_eq!(name("#/components/schemas/Tag/allOf/0"), "Tag_allOf_0");
        assert_eq!(name("#/components/schemas/Pet"), "Pet");
        assert_eq!(name("#/definitions/Pet"), "Pet");
        assert_eq!(name("#/components/schemas/List/items"), "List_Item");
        assert_eq!(
            name("#/paths/~1users~1{id}/get/parameters/0"),
            "users_id_get_0"
        );
        assert_eq!(
            name("#/paths/~1a/post/requestBody/content/application~1json/schema"),
            "a_post_requestBody"
        );
        assert_eq!(name("#/droplet"), "droplet");
        assert_eq!(
            name("#/paths/~1a/get/responses/200/content/application~1json/schema"),
            "a_get_Response_200"
        );
        assert_eq!(name("#/components/responses/NotFound"), "NotFound");
        assert_eq!(name("#/components/schemas"), "schemas");
        assert_eq!(
            type_name(&name("#/components/schemas/Pet/properties/owner")),
            "PetOwner"
        );
    }

    #[test]
    fn long_inline_names_keep_their_start_and_last_word() {
        let hint = format!("Deep{} Leaf", " next".repeat(30));
        let name = inline_type_name(&hint);
        assert!(name.len() <= TYPE_NAME_LENGTH, "{name}");
        assert!(
            name.starts_with("DeepNext") && name.ends_with("Leaf"),
            "{name}"
        );
        assert_eq!(inline_type_name("Pet owner"), "PetOwner");
    }

    #[test]
    fn operations_whose_names_meet_stay_apart() {
        let mut names = NameTable::default();
        let (group, _) = names.group("pets");
        let list = names.operation(Some(&group), "list");
        let list_with = names.operation(Some(&group), "list_with");
        let list_again = names.operation(Some(&group), "list");
        assert_eq!(list.method, "list");
        assert_eq!(list_with.method, "list_with");
        assert_eq!(list_again.method, "list_2");
        assert_eq!(list_again.func, "pets_list_2");
        let all = [&list, &list_with, &list_again]
            .map(|n| [&n.method, &n.func, &n.request, &n.response, &n.error]);
        let unique: BTreeSet<&String> = all.iter().flatten().copied().collect();
        assert_eq!(unique.len(), 15, "{all:?}");
    }

    #[test]
    fn request_types_and_response_enums_share_one_namespace() {
        let mut names = NameTable::default();
        let get = names.operation(Some("items"), "get");
        let get_response = names.operation(Some("items"), "get_response");
        let get_error = names.operation(Some("items"), "get_error");
        assert_eq!(
            (
                get.request.as_str(),
                get.response.as_str(),
                get.error.as_str()
            ),
            ("ItemsGet", "ItemsGetResponse", "ItemsGetError")
        );
        assert_eq!(get_response.request, "ItemsGetResponse2");
        assert_eq!(get_response.response, "ItemsGetResponse2Response");
        assert_eq!(get_error.request, "ItemsGetError2");
        assert_eq!(get_error.error, "ItemsGetError2Error");
        // The arguments' struct is a companion too, and the generic builder's name is
        // never an operation's.
        assert_eq!(get.args, "ItemsGetArgs");
        let get_args = names.operation(Some("items"), "get_args");
        assert_eq!(get_args.request, "ItemsGetArgs2");
        let mut requests = Scope::with_reserved(REQUESTS_ITEMS);
        assert_eq!(requests.claim("Request".into()), "Request2");
    }

    #[test]
    fn groups_never_shadow_client_items_or_each_other() {
        let mut names = NameTable::default();
        assert_eq!(names.group("builder").0, "builder_2");
        assert_eq!(
            names.group("Foo Bar"),
            ("foo_bar".to_string(), "FooBar".to_string())
        );
        assert_eq!(
            names.group("foo-bar"),
            ("foo_bar_2".to_string(), "FooBar2".to_string())
        );
        // Group methods never take the struct's own field.
        assert_eq!(
            names.operation(Some("foo_bar"), "client").method,
            "client_2"
        );
    }

    #[test]
    fn untagged_operations_are_client_methods_that_shadow_nothing() {
        let mut names = NameTable::default();
        let (pets, _) = names.group("pets");
        let list = names.operation(None, "list_pets");
        assert_eq!(
            (list.method.as_str(), list.func.as_str()),
            ("list_pets", "list_pets")
        );
        assert_eq!(list.request, "ListPets");
        // The client's own items, its traits' methods and the group accessors stay theirs.
        for (taken, expected) in [
            ("builder", "builder_2"),
            ("from_env", "from_env_2"),
            ("server_url_for", "server_url_for_2"),
            ("request", "request_2"),
            ("to_builder", "to_builder_2"),
            ("__core", "__core_2"),
            ("clone", "clone_2"),
            ("into", "into_2"),
            (pets.as_str(), "pets_2"),
        ] {
            assert_eq!(names.operation(None, taken).method, expected, "{taken}");
        }
        // Its function does not meet a grouped operation's.
        let grouped = names.operation(Some(&pets), "list");
        let untagged = names.operation(None, "pets_list");
        assert_eq!(
            (grouped.func.as_str(), untagged.func.as_str()),
            ("pets_list", "pets_list_2")
        );
    }

    #[test]
    fn the_stream_form_of_an_operation_is_its_name_and_stream_sharing_its_errors() {
        let mut names = NameTable::default();
        let json = names.operation(Some("chat"), "create_chat_completion");
        let stream = names.stream_form(Some("chat"), &json);
        assert_eq!(stream.method, "create_chat_completion_stream");
        assert_eq!(stream.func, "chat_create_chat_completion_stream");
        assert_eq!(stream.request, "ChatCreateChatCompletionStream");
        assert_eq!(stream.error, json.error);
        // An operation of the spec named like it comes later and gets a number.
        let later = names.operation(Some("chat"), "create_chat_completion_stream");
        assert_eq!(later.method, "create_chat_completion_stream_2");
        // Untagged: a method of the client, like its JSON form.
        let json = names.operation(None, "complete");
        assert_eq!(names.stream_form(None, &json).method, "complete_stream");
    }

    #[test]
    fn status_variants_are_one_scheme_for_every_status() {
        assert_eq!(status_variant(StatusMatch::Exact(404)), "Status404");
        assert_eq!(status_variant(StatusMatch::Range(5)), "Status5xx");
        assert_eq!(status_variant(StatusMatch::Default), "Other");
    }

    #[test]
    fn scope_numbers_collisions_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(snake_name("foo_bar")), "foo_bar");
        assert_eq!(scope.claim(snake_name("fooBar")), "foo_bar_2");
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
    }

    #[test]
    fn feature_names_are_kebab_case_ascii_and_never_empty() {
        assert_eq!(feature_name("People / Profiles"), "people-profiles");
        assert_eq!(feature_name("fileManagement"), "file-management");
        assert_eq!(feature_name("v2 Contacts"), "v2-contacts");
        assert_eq!(feature_name("2FA"), "2fa");
        assert_eq!(feature_name("Café"), "caf-u00e9");
        assert_eq!(feature_name("--"), "tag");
        assert_eq!(feature_name(""), "tag");
        // Valid cargo features: ASCII alphanumerics and `-`, not starting with `-`.
        for raw in ["A b", " x", "Ünïcode", "a/b/c", "_under_score_"] {
            let name = feature_name(raw);
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !name.starts_with('-')
                    && !name.ends_with('-'),
                "{raw} -> {name}"
            );
        }
    }

    #[test]
    fn group_features_never_take_a_reserved_name_or_each_other() {
        let mut scope = FeatureScope::new(Some("testing"));
        assert_eq!(scope.claim("People"), "people");
        assert_eq!(scope.claim("people"), "people-2");
        assert_eq!(scope.claim("Default"), "default-2");
        assert_eq!(scope.claim("full"), "full-2");
        assert_eq!(scope.claim("untagged"), "untagged-2");
        assert_eq!(scope.claim("native TLS"), "native-tls-2");
        assert_eq!(scope.claim("Testing"), "testing-2");
        assert_eq!(scope.claim("people 2"), "people-2-2");
    }
}
