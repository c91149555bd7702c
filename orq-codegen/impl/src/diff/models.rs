//! Models: matched by name, then by their place in the spec; fields, values, members.

use std::collections::BTreeMap;

use super::{At, ChangeKind, Differ, Impact};
use crate::surface::{Alias, Enum, Field, Model, Struct, Surface, Union};

impl Differ {
    /// Models matched by name, then the rest by their place in the spec.
    pub(super) fn models(&mut self, old: &Surface, new: &Surface) {
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

fn kind_text(model: &Model) -> &'static str {
    match model {
        Model::Struct(_) => "a struct",
        Model::Enum(e) if e.integer => "an integer enum",
        Model::Enum(_) => "a string enum",
        Model::Alias(_) => "a type alias",
        Model::Union(_) => "a union (an enum of members)",
    }
}
