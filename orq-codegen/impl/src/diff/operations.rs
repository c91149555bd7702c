//! Operations: matched by path, then by request; their arguments, setters, responses and
//! what they do at run time.

use std::collections::{BTreeMap, BTreeSet};

use super::{At, ChangeKind, Differ, Impact};
use crate::surface::{Operation, Param, Response, Surface};

impl Differ {
    /// Operations matched by path, then the rest by request; returns which group
    /// struct each moved operation went from and to.
    pub(super) fn operations(
        &mut self,
        old: &Surface,
        new: &Surface,
    ) -> BTreeSet<(String, String)> {
        let mut moves = BTreeSet::new();
        let mut added: BTreeMap<&str, &Operation> = BTreeMap::new();
        for (path, n) in &new.operations {
            match old.operations.get(path) {
                Some(o) => self.operation(path, path, o, n),
                None => {
                    added.insert(path, n);
                }
            }
        }
        let removed: Vec<(&String, &Operation)> = old
            .operations
            .iter()
            .filter(|(path, _)| !new.operations.contains_key(*path))
            .collect();
        for (old_path, o) in removed {
            let identity = http_identity(&o.http);
            let renamed = added
                .iter()
                .find(|(_, n)| http_identity(&n.http) == identity)
                .map(|(path, n)| (*path, *n));
            match renamed {
                Some((new_path, n)) => {
                    added.remove(new_path);
                    self.push(
                        Impact::Breaking,
                        ChangeKind::OperationRenamed,
                        new_path,
                        format!("renamed from `{old_path}` (`{}`)", n.http),
                        At::both(&o.at, &n.at),
                    );
                    if let (Some(from), Some(to)) = (owner(old_path), owner(new_path)) {
                        moves.insert((from.to_owned(), to.to_owned()));
                    }
                    self.operation(old_path, new_path, o, n);
                }
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::OperationRemoved,
                    old_path,
                    format!("operation removed (`{}`)", o.http),
                    At::old(&o.at),
                ),
            }
        }
        for (path, n) in added {
            self.push(
                Impact::Additive,
                ChangeKind::OperationAdded,
                path,
                format!("operation added (`{}`)", n.http),
                At::new(&n.at),
            );
        }
        moves
    }

    fn operation(&mut self, old_path: &str, path: &str, o: &Operation, n: &Operation) {
        let at = At::both(&o.at, &n.at);
        for (what, old_item, new_item) in [
            ("function", &o.function, &n.function),
            ("request builder", &o.request, &n.request),
        ] {
            if old_item != new_item && old_path == path {
                self.push(
                    Impact::Breaking,
                    ChangeKind::OperationItemRenamed,
                    path,
                    format!("{what} renamed to `{new_item}` (was `{old_item}`)"),
                    at,
                );
            }
        }
        if http_identity(&o.http) != http_identity(&n.http) {
            self.push(
                Impact::Behavior,
                ChangeKind::RequestChanged,
                path,
                format!("sends `{}` (was `{}`)", n.http, o.http),
                at,
            );
        }
        self.arguments(path, o, n);
        self.setters(o, n);
        match (&o.events, &n.events) {
            (None, Some(_)) => self.push(
                Impact::Breaking,
                ChangeKind::StreamingAdded,
                path,
                format!(
                    "streams server-sent events: gives `{}` (was `{}`)",
                    n.output, o.output
                ),
                at,
            ),
            (Some(_), None) => self.push(
                Impact::Breaking,
                ChangeKind::StreamingRemoved,
                path,
                format!(
                    "no longer streams events: gives `{}` (was `{}`)",
                    n.output, o.output
                ),
                at,
            ),
            (old_events, new_events) => {
                if o.output != n.output {
                    self.push(
                        Impact::Breaking,
                        ChangeKind::OutputTypeChanged,
                        path,
                        format!("gives `{}` (was `{}`)", n.output, o.output),
                        at,
                    );
                }
                if let (Some(old_events), Some(new_events)) = (old_events, new_events)
                    && old_events != new_events
                {
                    self.push(
                        Impact::Behavior,
                        ChangeKind::StreamingChanged,
                        path,
                        format!("events are read as {new_events} (was {old_events})"),
                        at,
                    );
                }
            }
        }
        if let (Some(old_enum), Some(new_enum)) = (&o.response_enum, &n.response_enum) {
            let kinds = [
                ChangeKind::SuccessStatusAdded,
                ChangeKind::SuccessStatusRemoved,
                ChangeKind::SuccessPayloadChanged,
            ];
            let enums = (old_enum.as_str(), new_enum.as_str());
            let shape = Variants {
                exhaustive: true,
                old_statuses: false,
                new_statuses: false,
            };
            self.responses(enums, &o.successes, &n.successes, kinds, shape);
        }
        let old_errors = o.error_enum.as_deref().unwrap_or_default();
        let new_errors = n.error_enum.as_deref().unwrap_or(old_errors);
        let kinds = [
            ChangeKind::ErrorStatusAdded,
            ChangeKind::ErrorStatusRemoved,
            ChangeKind::ErrorPayloadChanged,
        ];
        // Error enums are `#[non_exhaustive]`: a `match` on one has a `_` arm already.
        let shape = Variants {
            exhaustive: false,
            old_statuses: o.error_statuses,
            new_statuses: n.error_statuses,
        };
        self.responses((old_errors, new_errors), &o.errors, &n.errors, kinds, shape);
        if o.error_enum.is_some() && n.error_enum.is_some() && o.error_statuses != n.error_statuses
        {
            let message = match n.error_statuses {
                true => {
                    "is now `DeclaredStatus` (no declared error has a body any more): code matching its variants reads `.status()` instead"
                }
                false => {
                    "is now an enum of its own (a declared error has a body): code reading `.status()` on it matches its variants instead"
                }
            };
            self.push(
                Impact::Breaking,
                ChangeKind::ErrorTypeChanged,
                new_errors,
                message,
                at,
            );
        }
        self.operation_behavior(path, o, n, at);
    }

    /// What an operation does that its signature does not show.
    fn operation_behavior(&mut self, path: &str, o: &Operation, n: &Operation, at: At<'_>) {
        let text = |value: &Option<String>| {
            value
                .clone()
                .unwrap_or_else(|| "the client's default".to_owned())
        };
        match (&o.paging, &n.paging) {
            (None, Some(rule)) => self.push(
                Impact::Additive,
                ChangeKind::PagingAdded,
                path,
                format!("pages ({rule}): `.pages()` and `.items()` added"),
                at,
            ),
            (Some(rule), None) => self.push(
                Impact::Breaking,
                ChangeKind::PagingRemoved,
                path,
                format!("no longer pages: `.pages()` and `.items()` removed (was {rule})"),
                at,
            ),
            (Some(old_rule), Some(new_rule)) if old_rule != new_rule => self.push(
                Impact::Behavior,
                ChangeKind::PagingChanged,
                path,
                format!("pages by {new_rule} (was {old_rule})"),
                at,
            ),
            _ => {}
        }
        if o.security != n.security {
            let alternatives = |all: &[String]| match all.is_empty() {
                true => "no credentials".to_owned(),
                false => all.join(" or "),
            };
            self.push(
                Impact::Behavior,
                ChangeKind::SecurityChanged,
                path,
                format!(
                    "sends {} (was {})",
                    alternatives(&n.security),
                    alternatives(&o.security)
                ),
                at,
            );
        }
        if o.retries != n.retries {
            self.push(
                Impact::Behavior,
                ChangeKind::RetriesChanged,
                path,
                format!(
                    "retry policy: {} (was {})",
                    text(&n.retries),
                    text(&o.retries)
                ),
                at,
            );
        }
        if o.deprecated != n.deprecated {
            let message = match n.deprecated {
                true => "deprecated by the API: calls warn (`#[deprecated]`)",
                false => "no longer deprecated",
            };
            self.push(
                Impact::Additive,
                ChangeKind::DeprecationChanged,
                path,
                message,
                at,
            );
        }
    }

    /// Required arguments. Rust passes them by position, so an argument is the same one
    /// under another name when as many arguments went as came (a path variable renamed);
    /// what breaks callers is a change of arity, of a type, or of order.
    fn arguments(&mut self, path: &str, o: &Operation, n: &Operation) {
        let named = |op: &Operation, name: &str| op.arguments.iter().any(|(a, _)| a == name);
        let mut gone = Vec::new();
        for (name, param) in &o.arguments {
            match (named(n, name), n.setters.get(name)) {
                (true, _) => {}
                (false, Some(setter)) => self.push(
                    Impact::Breaking,
                    ChangeKind::ParameterMadeOptional,
                    path,
                    format!(
                        "`{name}` is now optional: the setter `.{name}()` (was a required argument)"
                    ),
                    At::both(&param.at, &setter.at),
                ),
                (false, None) => gone.push((name, param)),
            }
        }
        let mut came = Vec::new();
        for (name, param) in &n.arguments {
            match (named(o, name), o.setters.get(name)) {
                (true, _) => {}
                (false, Some(setter)) => self.push(
                    Impact::Breaking,
                    ChangeKind::ParameterMadeRequired,
                    path,
                    format!(
                        "`{name}` is now a required argument (`{}`; was the setter `.{name}()`)",
                        shown_ty(param)
                    ),
                    At::both(&setter.at, &param.at),
                ),
                (false, None) => came.push((name, param)),
            }
        }
        // Old name -> new name of every argument in both.
        let mut pairs: Vec<(&String, &String)> = o
            .arguments
            .iter()
            .filter(|(name, _)| named(n, name))
            .map(|(name, _)| (name, name))
            .collect();
        if gone.len() == came.len() {
            pairs.extend(
                gone.iter()
                    .zip(&came)
                    .map(|((old, _), (new, _))| (*old, *new)),
            );
        } else {
            for (name, param) in came {
                self.push(
                    Impact::Breaking,
                    ChangeKind::ArgumentAdded,
                    path,
                    format!(
                        "required argument `{name}: {}` added ({})",
                        shown_ty(param),
                        param.wire
                    ),
                    At::new(&param.at),
                );
            }
            for (name, param) in gone {
                self.push(
                    Impact::Breaking,
                    ChangeKind::ArgumentRemoved,
                    path,
                    format!("required argument `{name}` removed ({})", param.wire),
                    At::old(&param.at),
                );
            }
        }
        let find = |op: &Operation, name: &str| op.arguments.iter().position(|(a, _)| a == name);
        let mut order: Vec<(usize, usize)> = Vec::new();
        for (old_name, new_name) in &pairs {
            let (Some(i), Some(j)) = (find(o, old_name), find(n, new_name)) else {
                continue;
            };
            let (before, after) = (&o.arguments[i].1, &n.arguments[j].1);
            self.param(
                path,
                &format!("argument `{new_name}` "),
                before,
                after,
                true,
            );
            order.push((i, j));
        }
        order.sort();
        if order.windows(2).any(|w| w[0].1 > w[1].1) {
            let names = |op: &Operation| {
                let names: Vec<&str> = op.arguments.iter().map(|(a, _)| a.as_str()).collect();
                names.join(", ")
            };
            // Arguments that swap places with one of the same type still compile, with the
            // values in each other's place.
            let types = |op: &Operation| {
                op.arguments
                    .iter()
                    .map(|(_, p)| p.ty.clone())
                    .collect::<Vec<_>>()
            };
            let (impact, why) = match types(o) == types(n) {
                true => (
                    Impact::Behavior,
                    ": calls still compile, but pass each value to another parameter",
                ),
                false => (Impact::Breaking, ""),
            };
            self.push(
                impact,
                ChangeKind::ArgumentsReordered,
                path,
                format!(
                    "arguments come in the order ({}) (was ({})){why}",
                    names(n),
                    names(o)
                ),
                At::both(&o.at, &n.at),
            );
        }
    }

    fn setters(&mut self, o: &Operation, n: &Operation) {
        let is_argument = |op: &Operation, name: &str| op.arguments.iter().any(|(a, _)| a == name);
        for (name, param) in &n.setters {
            let item = format!("{}::{name}", n.request);
            match o.setters.get(name) {
                Some(before) => self.param(&item, "", before, param, false),
                // Reported as made optional.
                None if is_argument(o, name) => {}
                None => self.push(
                    Impact::Additive,
                    ChangeKind::SetterAdded,
                    item,
                    format!(
                        "optional setter `.{name}({})` added ({})",
                        setter_arg(param),
                        param.wire
                    ),
                    At::new(&param.at),
                ),
            }
        }
        for (name, param) in &o.setters {
            if n.setters.contains_key(name) || is_argument(n, name) {
                continue;
            }
            self.push(
                Impact::Breaking,
                ChangeKind::SetterRemoved,
                format!("{}::{name}", o.request),
                format!("optional setter `.{name}()` removed ({})", param.wire),
                At::old(&param.at),
            );
        }
    }

    /// An argument or setter in both.
    fn param(&mut self, item: &str, what: &str, o: &Param, n: &Param, argument: bool) {
        let at = At::both(&o.at, &n.at);
        if o.ty != n.ty {
            let kind = match argument {
                true => ChangeKind::ArgumentTypeChanged,
                false => ChangeKind::SetterTypeChanged,
            };
            self.push(
                Impact::Breaking,
                kind,
                item,
                format!("{what}takes `{}` (was `{}`)", shown_ty(n), shown_ty(o)),
                at,
            );
        }
        // A path parameter fills the template wherever it is named (`{id}`, `{petId}`).
        let path_variable = |p: &Param| p.wire.starts_with("path ");
        if o.wire != n.wire && !(path_variable(o) && path_variable(n)) {
            self.push(
                Impact::Behavior,
                ChangeKind::ParameterWireChanged,
                item,
                format!("{what}is sent as {} (was {})", n.wire, o.wire),
                at,
            );
        }
        self.limits(item, what, &o.limits, &n.limits, at);
    }

    /// The variants of a success or error enum; `exhaustive`: whether users' `match`es on
    /// it list every variant (then a variant added to it breaks them).
    fn responses(
        &mut self,
        (old_enum, new_enum): (&str, &str),
        old: &BTreeMap<String, Response>,
        new: &BTreeMap<String, Response>,
        [added, removed, changed]: [ChangeKind; 3],
        Variants {
            exhaustive,
            old_statuses,
            new_statuses,
        }: Variants,
    ) {
        // A status of an enum is its variant; `DeclaredStatus` has none to name.
        let item = |enum_path: &str, variant: &str, statuses: bool| match statuses {
            true => enum_path.to_owned(),
            false => format!("{enum_path}::{variant}"),
        };
        for (variant, n) in new {
            let item = item(new_enum, variant, new_statuses);
            let payload = |r: &Response| match &r.payload {
                Some(t) => format!("`{t}`"),
                None => "no payload".to_owned(),
            };
            match old.get(variant) {
                None => {
                    let (impact, why) = match exhaustive {
                        true => (
                            Impact::Breaking,
                            format!("; `match`es on `{new_enum}` without a `_` arm need it"),
                        ),
                        false => (Impact::Additive, String::new()),
                    };
                    self.push(
                        impact,
                        added,
                        item,
                        format!("status {} added ({}){why}", n.status, payload(n)),
                        At::new(&n.at),
                    );
                }
                Some(o) if o.payload != n.payload => self.push(
                    Impact::Breaking,
                    changed,
                    item,
                    format!(
                        "status {} carries {} (was {})",
                        n.status,
                        payload(n),
                        payload(o)
                    ),
                    At::both(&o.at, &n.at),
                ),
                Some(_) => {}
            }
        }
        for (variant, o) in old {
            if !new.contains_key(variant) {
                // Code that named the variant breaks; code reading a `DeclaredStatus`
                // compiles, and `from_error` no longer says the status is declared.
                let (impact, why) = match old_statuses && new_statuses {
                    true => (Impact::Behavior, "; `from_error` is `None` for it now"),
                    false => (Impact::Breaking, ""),
                };
                self.push(
                    impact,
                    removed,
                    item(old_enum, variant, old_statuses),
                    format!("status {} removed{why}", o.status),
                    At::old(&o.at),
                );
            }
        }
    }
}

/// What the statuses of a response type are, on each side of a diff: variants of an
/// enum (`exhaustive`: a success enum, matched without `_`), or, for `DeclaredStatus`
/// (`*_statuses`), statuses of a type that has no variants.
#[derive(Clone, Copy)]
struct Variants {
    exhaustive: bool,
    old_statuses: bool,
    new_statuses: bool,
}

/// The request an operation sends, whatever its path variables are called:
/// `GET /users/{id}` and `GET /users/{userId}` are the same request.
fn http_identity(http: &str) -> String {
    let mut out = String::with_capacity(http.len());
    let mut in_variable = false;
    for c in http.chars() {
        match c {
            '{' => {
                in_variable = true;
                out.push('{');
            }
            '}' => {
                in_variable = false;
                out.push('}');
            }
            _ if !in_variable => out.push(c),
            _ => {}
        }
    }
    out
}

/// The owner of an item path: `groups::Contacts` of `groups::Contacts::create`.
fn owner(path: &str) -> Option<&str> {
    path.rsplit_once("::").map(|(owner, _)| owner)
}

fn shown_ty(param: &Param) -> String {
    param.ty.clone().unwrap_or_else(|| "no value".to_owned())
}

fn setter_arg(param: &Param) -> &str {
    match &param.ty {
        Some(_) => "..",
        None => "",
    }
}
