//! Two API surfaces -> what changed for the SDK's users, each change classified.
//!
//! A change *breaks the build* when code that uses the SDK as documented may stop
//! compiling: an item removed or renamed, a type changed, an argument added, a variant
//! added to an enum users `match` on exhaustively (string enums, unions, and the success
//! and error enums of operations are exhaustive). It *changes behaviour at run time* when
//! that code still compiles but does something else: another request is sent, a value
//! is checked differently, `build()` now requires a field, a server moved. Everything
//! else is *additive*: new items that existing code does not see (a field added to a
//! struct is additive because structs are built with their builders).
//!
//! Items are matched by Rust path; an operation that lost its path is matched by its
//! request (method and path template) and reported renamed, a model by its place in the
//! spec.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::surface::{
    Alias, Enum, Field, Model, Operation, Param, Response, Struct, Surface, Union,
};

pub mod report;

/// How a change affects code that uses the SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code using the SDK may stop compiling.
    Breaking,
    /// It compiles, but does something else at run time.
    Behavior,
    /// New items only.
    Additive,
}

impl Impact {
    /// Every impact, most severe first.
    pub const ALL: [Impact; 3] = [Impact::Breaking, Impact::Behavior, Impact::Additive];

    /// What it means, as a heading: `breaks the build`.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaks the build",
            Impact::Behavior => "changes behaviour at run time",
            Impact::Additive => "additive",
        }
    }
}

macro_rules! change_kinds {
    ($($(#[$doc:meta])* $kind:ident = $name:literal,)*) => {
        /// What changed. Its `as_str` is the stable name tools read (`--format json`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $($(#[$doc])* $kind,)*
        }

        impl ChangeKind {
            /// Every kind of change.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$kind,)*];

            /// The kind's stable name, `operation_removed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeKind::$kind => $name,)*
                }
            }
        }
    };
}

change_kinds! {
    /// A server was added to `SERVERS`.
    ServerAdded = "server_added",
    /// A server was removed from `SERVERS` (`server_url_for` of its index now fails).
    ServerRemoved = "server_removed",
    /// A server's URL or variables changed.
    ServerChanged = "server_changed",
    /// `DEFAULT_SERVER_URL` changed: requests go elsewhere unless a server is set.
    DefaultServerChanged = "default_server_changed",
    /// What `from_env` reads changed.
    CredentialChanged = "credential_changed",
    /// A group accessor was added.
    GroupAdded = "group_added",
    /// A group accessor was removed.
    GroupRemoved = "group_removed",
    /// A group accessor was renamed (its operations moved to another tag).
    GroupRenamed = "group_renamed",
    /// An operation was added.
    OperationAdded = "operation_added",
    /// An operation was removed.
    OperationRemoved = "operation_removed",
    /// An operation's method was renamed or moved to another group.
    OperationRenamed = "operation_renamed",
    /// An operation's function or request builder was renamed.
    OperationItemRenamed = "operation_item_renamed",
    /// An operation sends another request (method or path).
    RequestChanged = "request_changed",
    /// A required argument was added.
    ArgumentAdded = "argument_added",
    /// A required argument was removed.
    ArgumentRemoved = "argument_removed",
    /// The required arguments come in another order.
    ArgumentsReordered = "arguments_reordered",
    /// A required argument's type changed.
    ArgumentTypeChanged = "argument_type_changed",
    /// An optional parameter (a setter) became a required argument.
    ParameterMadeRequired = "parameter_made_required",
    /// A required argument became optional (a setter).
    ParameterMadeOptional = "parameter_made_optional",
    /// An optional setter was added.
    SetterAdded = "setter_added",
    /// An optional setter was removed.
    SetterRemoved = "setter_removed",
    /// An optional setter's type changed.
    SetterTypeChanged = "setter_type_changed",
    /// A parameter travels elsewhere or is written differently (location, name, style,
    /// media type).
    ParameterWireChanged = "parameter_wire_changed",
    /// The checks on a value changed (lengths, ranges, patterns, items).
    LimitsChanged = "limits_changed",
    /// What awaiting an operation gives changed.
    OutputTypeChanged = "output_type_changed",
    /// A success status was added to an operation's response enum.
    SuccessStatusAdded = "success_status_added",
    /// A success status was removed from an operation's response enum.
    SuccessStatusRemoved = "success_status_removed",
    /// A success status's payload type changed.
    SuccessPayloadChanged = "success_payload_changed",
    /// An error status was declared.
    ErrorStatusAdded = "error_status_added",
    /// An error status is no longer declared.
    ErrorStatusRemoved = "error_status_removed",
    /// An error status's payload type changed.
    ErrorPayloadChanged = "error_payload_changed",
    /// An operation pages now (`.pages()`, `.items()`).
    PagingAdded = "paging_added",
    /// An operation no longer pages.
    PagingRemoved = "paging_removed",
    /// An operation pages by another rule.
    PagingChanged = "paging_changed",
    /// An operation's success is a stream of server-sent events now.
    StreamingAdded = "streaming_added",
    /// An operation's success is no longer a stream of events.
    StreamingRemoved = "streaming_removed",
    /// An operation's events are read differently (JSON or text, the end sentinel).
    StreamingChanged = "streaming_changed",
    /// An operation sends other credentials.
    SecurityChanged = "security_changed",
    /// An operation's declared retry policy changed.
    RetriesChanged = "retries_changed",
    /// An operation was deprecated, or is no longer.
    DeprecationChanged = "deprecation_changed",
    /// A model was added.
    ModelAdded = "model_added",
    /// A model was removed.
    ModelRemoved = "model_removed",
    /// A model was renamed (the same schema has another Rust name).
    ModelRenamed = "model_renamed",
    /// A model is another kind of type (struct, enum, alias, union).
    ModelKindChanged = "model_kind_changed",
    /// A struct got `builder()`.
    BuilderAdded = "builder_added",
    /// A struct lost `builder()`.
    BuilderRemoved = "builder_removed",
    /// A field was added.
    FieldAdded = "field_added",
    /// A field was removed.
    FieldRemoved = "field_removed",
    /// A field's type changed.
    FieldTypeChanged = "field_type_changed",
    /// A field's required/optional or nullable state changed.
    FieldPresenceChanged = "field_presence_changed",
    /// A field's JSON key, `readOnly` or `writeOnly` changed.
    FieldWireChanged = "field_wire_changed",
    /// An enum value was added.
    EnumValueAdded = "enum_value_added",
    /// An enum value was removed.
    EnumValueRemoved = "enum_value_removed",
    /// An enum variant stands for another wire value.
    EnumValueChanged = "enum_value_changed",
    /// A union member was added.
    UnionMemberAdded = "union_member_added",
    /// A union member was removed.
    UnionMemberRemoved = "union_member_removed",
    /// A union member's type changed.
    UnionMemberTypeChanged = "union_member_type_changed",
    /// A union picks its member differently (discriminator, tags, `anyOf`/`oneOf`).
    UnionDispatchChanged = "union_dispatch_changed",
    /// The type an alias names changed.
    AliasTypeChanged = "alias_type_changed",
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One change, with the Rust item it touches and where it is in each spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects code that uses the SDK.
    pub impact: Impact,
    /// What changed.
    pub kind: ChangeKind,
    /// The Rust item, by its path in the SDK: `groups::Contacts::create`,
    /// `models::CreateContactRequestBody::email`.
    pub item: String,
    /// What changed, in words (Rust in backticks).
    pub message: String,
    /// Where it was in the old spec (none: it is new).
    pub old: Option<String>,
    /// Where it is in the new spec (none: it is gone).
    pub new: Option<String>,
}

/// The changes from `old` to `new`: most severe first, then by item.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut differ = Differ {
        changes: Vec::new(),
    };
    differ.client(old, new);
    let moves = differ.operations(old, new);
    differ.groups(old, new, &moves);
    differ.models(old, new);
    let mut changes = differ.changes;
    changes.sort_by(|a, b| {
        (a.impact, &a.item, a.kind, &a.message).cmp(&(b.impact, &b.item, b.kind, &b.message))
    });
    changes
}

/// How many changes have each impact: `[breaking, behavior, additive]`.
pub fn counts(changes: &[Change]) -> [usize; 3] {
    Impact::ALL.map(|impact| changes.iter().filter(|c| c.impact == impact).count())
}

struct Differ {
    changes: Vec<Change>,
}

/// Where an item is in the old and the new spec.
#[derive(Clone, Copy)]
struct At<'a> {
    old: Option<&'a str>,
    new: Option<&'a str>,
}

impl<'a> At<'a> {
    fn both(old: &'a str, new: &'a str) -> Self {
        At {
            old: Some(old),
            new: Some(new),
        }
    }

    fn old(old: &'a str) -> Self {
        At {
            old: Some(old),
            new: None,
        }
    }

    fn new(new: &'a str) -> Self {
        At {
            old: None,
            new: Some(new),
        }
    }
}

impl Differ {
    fn push(
        &mut self,
        impact: Impact,
        kind: ChangeKind,
        item: impl Into<String>,
        message: impl Into<String>,
        at: At<'_>,
    ) {
        self.changes.push(Change {
            impact,
            kind,
            item: item.into(),
            message: message.into(),
            old: at.old.map(str::to_owned),
            new: at.new.map(str::to_owned),
        });
    }

    fn client(&mut self, old: &Surface, new: &Surface) {
        let (o, n) = (&old.client, &new.client);
        if (&o.env_prefix, &o.credential) != (&n.env_prefix, &n.credential) {
            self.push(
                Impact::Behavior,
                ChangeKind::CredentialChanged,
                new.client_item("from_env"),
                format!(
                    "reads `{}_API_KEY` as {} (was `{}_API_KEY` as {})",
                    n.env_prefix,
                    credential(&n.credential),
                    o.env_prefix,
                    credential(&o.credential)
                ),
                At::both(
                    "#/components/securitySchemes",
                    "#/components/securitySchemes",
                ),
            );
        }
        if o.default_server != n.default_server {
            self.push(
                Impact::Behavior,
                ChangeKind::DefaultServerChanged,
                new.client_item("DEFAULT_SERVER_URL"),
                format!(
                    "requests go to `{}` (was `{}`) unless the client sets a server",
                    n.default_server, o.default_server
                ),
                At::both("#/servers", "#/servers"),
            );
        }
        let servers = new.client_item("SERVERS");
        for index in 0..old.servers.len().max(new.servers.len()) {
            let at = format!("#/servers/{index}");
            match (old.servers.get(index), new.servers.get(index)) {
                (Some(o), Some(n)) if o != n => self.push(
                    Impact::Behavior,
                    ChangeKind::ServerChanged,
                    &servers,
                    format!(
                        "server {index} is `{}` (was `{}`)",
                        server_text(n),
                        server_text(o)
                    ),
                    At::both(&at, &at),
                ),
                (None, Some(n)) => self.push(
                    Impact::Additive,
                    ChangeKind::ServerAdded,
                    &servers,
                    format!("server {index} added: `{}`", server_text(n)),
                    At::new(&at),
                ),
                (Some(o), None) => self.push(
                    Impact::Behavior,
                    ChangeKind::ServerRemoved,
                    &servers,
                    format!(
                        "server {index} (`{}`) removed: `server_url_for({index}, ..)` now fails",
                        server_text(o)
                    ),
                    At::old(&at),
                ),
                _ => {}
            }
        }
    }

    /// Operations matched by path, then the rest by request; returns which group
    /// struct each moved operation went from and to.
    fn operations(&mut self, old: &Surface, new: &Surface) -> BTreeSet<(String, String)> {
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
            self.responses(enums, &o.successes, &n.successes, kinds, true);
        }
        let old_errors = o.error_enum.as_deref().unwrap_or_default();
        let new_errors = n.error_enum.as_deref().unwrap_or(old_errors);
        let kinds = [
            ChangeKind::ErrorStatusAdded,
            ChangeKind::ErrorStatusRemoved,
            ChangeKind::ErrorPayloadChanged,
        ];
        let existed = o.error_enum.is_some();
        self.responses(
            (old_errors, new_errors),
            &o.errors,
            &n.errors,
            kinds,
            existed,
        );
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

    fn limits(&mut self, item: &str, what: &str, old: &[String], new: &[String], at: At<'_>) {
        if old == new {
            return;
        }
        let text = |lines: &[String]| match lines.is_empty() {
            true => "nothing".to_owned(),
            false => {
                let lines: Vec<&str> = lines.iter().map(|l| l.trim_end_matches('.')).collect();
                lines.join("; ")
            }
        };
        self.push(
            Impact::Behavior,
            ChangeKind::LimitsChanged,
            item,
            format!("{what}is checked for: {} (was: {})", text(new), text(old)),
            at,
        );
    }

    /// The variants of a success or error enum; `existed`: whether the old enum did
    /// (a variant added to an enum users match on breaks their `match`es).
    fn responses(
        &mut self,
        (old_enum, new_enum): (&str, &str),
        old: &BTreeMap<String, Response>,
        new: &BTreeMap<String, Response>,
        [added, removed, changed]: [ChangeKind; 3],
        existed: bool,
    ) {
        for (variant, n) in new {
            let item = format!("{new_enum}::{variant}");
            let payload = |r: &Response| match &r.payload {
                Some(t) => format!("`{t}`"),
                None => "no payload".to_owned(),
            };
            match old.get(variant) {
                None => {
                    let (impact, why) = match existed {
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
                self.push(
                    Impact::Breaking,
                    removed,
                    format!("{old_enum}::{variant}"),
                    format!("status {} removed", o.status),
                    At::old(&o.at),
                );
            }
        }
    }

    /// Group accessors; a removed group whose operations all moved to one added group
    /// was renamed.
    fn groups(&mut self, old: &Surface, new: &Surface, moves: &BTreeSet<(String, String)>) {
        let group_at = |tag: &str| format!("tag `{tag}`");
        let added: BTreeMap<&String, _> = new
            .groups
            .iter()
            .filter(|(name, _)| !old.groups.contains_key(*name))
            .collect();
        let mut renamed_to = BTreeSet::new();
        for (name, o) in &old.groups {
            if new.groups.contains_key(name) {
                continue;
            }
            let targets: BTreeSet<&String> = moves
                .iter()
                .filter(|(from, _)| *from == o.type_path)
                .map(|(_, to)| to)
                .collect();
            let target = match targets.len() {
                1 => added
                    .iter()
                    .find(|(_, n)| targets.contains(&n.type_path))
                    .map(|(new_name, n)| (*new_name, *n)),
                _ => None,
            };
            let old_at = group_at(&o.tag);
            match target {
                Some((new_name, n)) => {
                    renamed_to.insert(new_name.clone());
                    let new_at = group_at(&n.tag);
                    self.push(
                        Impact::Breaking,
                        ChangeKind::GroupRenamed,
                        new.client_item(new_name),
                        format!(
                            "group renamed from `{}` (`{}`, tag `{}`) to `{}`",
                            old.client_item(name),
                            o.type_path,
                            o.tag,
                            n.type_path
                        ),
                        At::both(&old_at, &new_at),
                    );
                }
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::GroupRemoved,
                    old.client_item(name),
                    format!("group removed (`{}`, tag `{}`)", o.type_path, o.tag),
                    At::old(&old_at),
                ),
            }
        }
        for (name, n) in added {
            if renamed_to.contains(name) {
                continue;
            }
            let at = group_at(&n.tag);
            self.push(
                Impact::Additive,
                ChangeKind::GroupAdded,
                new.client_item(name),
                format!("group added (`{}`, tag `{}`)", n.type_path, n.tag),
                At::new(&at),
            );
        }
    }

    /// Models matched by name, then the rest by their place in the spec.
    fn models(&mut self, old: &Surface, new: &Surface) {
        let mut added: BTreeMap<&String, &Model> = BTreeMap::new();
        for (name, n) in &new.models {
            match old.models.get(name) {
                Some(o) => self.model(name, o, n),
                None => {
                    added.insert(name, n);
                }
            }
        }
        for (name, o) in &old.models {
            if new.models.contains_key(name) {
                continue;
            }
            let renamed = added
                .iter()
                .find(|(_, n)| n.at() == o.at() && n.kind() == o.kind())
                .map(|(new_name, n)| (*new_name, *n));
            match renamed {
                Some((new_name, n)) => {
                    added.remove(new_name);
                    self.push(
                        Impact::Breaking,
                        ChangeKind::ModelRenamed,
                        format!("models::{new_name}"),
                        format!("renamed from `models::{name}`"),
                        At::both(o.at(), n.at()),
                    );
                    self.model(new_name, o, n);
                }
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::ModelRemoved,
                    format!("models::{name}"),
                    format!("{} removed", o.kind()),
                    At::old(o.at()),
                ),
            }
        }
        for (name, n) in added {
            self.push(
                Impact::Additive,
                ChangeKind::ModelAdded,
                format!("models::{name}"),
                format!("{} added", n.kind()),
                At::new(n.at()),
            );
        }
    }

    fn model(&mut self, name: &str, old: &Model, new: &Model) {
        let item = format!("models::{name}");
        let at = At::both(old.at(), new.at());
        match (old, new) {
            (Model::Struct(o), Model::Struct(n)) => self.structs(&item, o, n),
            (Model::Enum(o), Model::Enum(n)) if o.integer == n.integer => self.enums(&item, o, n),
            (Model::Alias(o), Model::Alias(n)) => self.aliases(&item, o, n),
            (Model::Union(o), Model::Union(n)) => self.unions(&item, o, n),
            _ => self.push(
                Impact::Breaking,
                ChangeKind::ModelKindChanged,
                item,
                format!("is {} now (was {})", kind_text(new), kind_text(old)),
                at,
            ),
        }
    }

    fn structs(&mut self, item: &str, o: &Struct, n: &Struct) {
        let at = At::both(&o.at, &n.at);
        match (o.builder, n.builder) {
            (false, true) => self.push(
                Impact::Additive,
                ChangeKind::BuilderAdded,
                item,
                "`builder()` added (a request sends it now)",
                at,
            ),
            (true, false) => self.push(
                Impact::Breaking,
                ChangeKind::BuilderRemoved,
                item,
                "`builder()` removed (only responses carry it now)",
                at,
            ),
            _ => {}
        }
        // Fields are matched by Rust name: that is what code names. A JSON key that moved
        // to another field is a wire change of each.
        let mut added: BTreeMap<&String, &Field> = BTreeMap::new();
        for (name, field) in &n.fields {
            match o.fields.get(name) {
                Some(before) => {
                    let builder = o.builder && n.builder;
                    self.field(&format!("{item}::{name}"), before, field, builder)
                }
                None => {
                    added.insert(name, field);
                }
            }
        }
        for (name, before) in &o.fields {
            if !n.fields.contains_key(name) {
                self.push(
                    Impact::Breaking,
                    ChangeKind::FieldRemoved,
                    format!("{item}::{name}"),
                    format!("field removed (`{}`, JSON `{}`)", before.ty, before.json),
                    At::old(&before.at),
                );
            }
        }
        for (name, field) in added {
            let (impact, why) = match field.build_requires && n.builder {
                true => (
                    Impact::Behavior,
                    ": `build()` fails without it, so code that builds this model must set it",
                ),
                false => (Impact::Additive, ""),
            };
            self.push(
                impact,
                ChangeKind::FieldAdded,
                format!("{item}::{name}"),
                format!(
                    "{} field added (`{}`, JSON `{}`){why}",
                    field.presence, field.ty, field.json
                ),
                At::new(&field.at),
            );
        }
    }

    /// A field in both; `builder`: whether the struct has a builder on both sides.
    fn field(&mut self, item: &str, o: &Field, n: &Field, builder: bool) {
        let at = At::both(&o.at, &n.at);
        let build = |f: &Field| match f.build_requires {
            true => ", `build()` requires it",
            false => "",
        };
        let presence_changed = o.presence != n.presence || o.build_requires != n.build_requires;
        let presence = match presence_changed {
            true => format!(
                "; now {}{} (was {}{})",
                n.presence,
                build(n),
                o.presence,
                build(o)
            ),
            false => String::new(),
        };
        if value_type(o) != value_type(n) {
            self.push(
                Impact::Breaking,
                ChangeKind::FieldTypeChanged,
                item,
                format!("type is `{}` (was `{}`){presence}", n.ty, o.ty),
                at,
            );
        } else if presence_changed {
            // `Option<T>` either way (optional, or required and nullable) still compiles.
            let (impact, types) = match o.ty == n.ty {
                true => (Impact::Behavior, format!("still `{}`", n.ty)),
                false => (Impact::Breaking, format!("`{}` (was `{}`)", n.ty, o.ty)),
            };
            self.push(
                impact,
                ChangeKind::FieldPresenceChanged,
                item,
                format!(
                    "now {}{} (was {}{}): {types}",
                    n.presence,
                    build(n),
                    o.presence,
                    build(o)
                ),
                at,
            );
        }
        let wire = |f: &Field| {
            let mut text = format!("JSON `{}`", f.json);
            if f.read_only {
                text.push_str(", read-only");
            }
            if f.write_only {
                text.push_str(", write-only");
            }
            text
        };
        if wire(o) != wire(n) {
            // The builder has no setter for a read-only field.
            let (impact, why) = match (o.read_only, n.read_only, builder) {
                (false, true, true) => (
                    Impact::Breaking,
                    ": the builder no longer sets it and requests leave it out",
                ),
                (true, false, true) => (
                    Impact::Behavior,
                    ": the builder sets it and requests send it when set",
                ),
                _ => (Impact::Behavior, ""),
            };
            self.push(
                impact,
                ChangeKind::FieldWireChanged,
                item,
                format!("{} (was {}){why}", wire(n), wire(o)),
                at,
            );
        }
        self.limits(item, "", &o.limits, &n.limits, at);
    }

    fn enums(&mut self, item: &str, o: &Enum, n: &Enum) {
        let at = At::both(&o.at, &n.at);
        let held = match n.integer {
            true => "`Unknown`",
            false => "`Open::Unknown`",
        };
        for (variant, wire) in &n.values {
            match o.values.get(variant) {
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::EnumValueAdded,
                    format!("{item}::{variant}"),
                    format!(
                        "value `{wire}` added: `match`es on `{item}` without a `_` arm need it, and the value (so far {held}) reads as this variant"
                    ),
                    at,
                ),
                Some(before) if before != wire => self.push(
                    Impact::Behavior,
                    ChangeKind::EnumValueChanged,
                    format!("{item}::{variant}"),
                    format!("stands for `{wire}` (was `{before}`)"),
                    at,
                ),
                Some(_) => {}
            }
        }
        for (variant, wire) in &o.values {
            if !n.values.contains_key(variant) {
                self.push(
                    Impact::Breaking,
                    ChangeKind::EnumValueRemoved,
                    format!("{item}::{variant}"),
                    format!("value `{wire}` removed (the server's `{wire}` now reads as {held})"),
                    at,
                );
            }
        }
    }

    fn aliases(&mut self, item: &str, o: &Alias, n: &Alias) {
        let at = At::both(&o.at, &n.at);
        if o.ty != n.ty {
            self.push(
                Impact::Breaking,
                ChangeKind::AliasTypeChanged,
                item,
                format!("names `{}` (was `{}`)", n.ty, o.ty),
                at,
            );
        }
        self.limits(item, "", &o.limits, &n.limits, at);
    }

    fn unions(&mut self, item: &str, o: &Union, n: &Union) {
        let at = At::both(&o.at, &n.at);
        let dispatch = |u: &Union| {
            let mut text = match u.any_of {
                true => "anyOf".to_owned(),
                false => "oneOf".to_owned(),
            };
            if let Some(property) = &u.discriminator {
                text.push_str(&format!(", chosen by `{property}`"));
            }
            text
        };
        if dispatch(o) != dispatch(n) {
            self.push(
                Impact::Behavior,
                ChangeKind::UnionDispatchChanged,
                item,
                format!("{} (was {})", dispatch(n), dispatch(o)),
                at,
            );
        }
        for (variant, member) in &n.members {
            let variant_item = format!("{item}::{variant}");
            match o.members.get(variant) {
                None => self.push(
                    Impact::Breaking,
                    ChangeKind::UnionMemberAdded,
                    variant_item,
                    format!(
                        "member `{}` added: `match`es on `{item}` without a `_` arm need it",
                        member.ty
                    ),
                    at,
                ),
                Some(before) => {
                    if before.ty != member.ty {
                        self.push(
                            Impact::Breaking,
                            ChangeKind::UnionMemberTypeChanged,
                            &variant_item,
                            format!("holds `{}` (was `{}`)", member.ty, before.ty),
                            at,
                        );
                    }
                    if before.tags != member.tags {
                        self.push(
                            Impact::Behavior,
                            ChangeKind::UnionDispatchChanged,
                            &variant_item,
                            format!(
                                "chosen by the tags [{}] (was [{}])",
                                member.tags.join(", "),
                                before.tags.join(", ")
                            ),
                            at,
                        );
                    }
                }
            }
        }
        for (variant, member) in &o.members {
            if !n.members.contains_key(variant) {
                self.push(
                    Impact::Breaking,
                    ChangeKind::UnionMemberRemoved,
                    format!("{item}::{variant}"),
                    format!("member `{}` removed", member.ty),
                    at,
                );
            }
        }
    }
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

/// A field's type without its presence wrapper (`String` of `OptionalNullable<String>`).
fn value_type(field: &Field) -> &str {
    let wrapper = match field.presence.as_str() {
        "required" => return &field.ty,
        "optional, nullable" => "OptionalNullable<",
        _ => "Option<",
    };
    field
        .ty
        .strip_prefix(wrapper)
        .and_then(|rest| rest.strip_suffix('>'))
        .unwrap_or(&field.ty)
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

fn credential(kind: &str) -> &str {
    match kind {
        "bearer" => "a bearer token",
        "api key" => "an API key",
        _ => "nothing (the spec declares no credential)",
    }
}

fn server_text(server: &crate::surface::Server) -> String {
    let mut text = server.url.clone();
    if !server.variables.is_empty() {
        let vars: Vec<String> = server
            .variables
            .iter()
            .map(|(name, value)| match server.allowed.get(name) {
                Some(allowed) => format!("{name} = {value} of {}", allowed.join("|")),
                None => format!("{name} = {value}"),
            })
            .collect();
        text.push_str(&format!(" ({})", vars.join(", ")));
    }
    text
}

fn kind_text(model: &Model) -> &'static str {
    match model {
        Model::Struct(_) => "a struct",
        Model::Enum(e) if e.integer => "an integer enum",
        Model::Enum(_) => "a string enum",
        Model::Alias(_) => "a type alias",
        Model::Union(_) => "a union (an enum of members)",
    }
}

#[cfg(test)]
mod tests;
