//! Scalars, formats, arrays and their limits.

use openapiv3::{
    ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::members::{is_annotation_only, is_null_only};
use super::{Lowered, TypeSpace};
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Constraints, Docs, Note, NoteKind, Ty};

impl TypeSpace<'_> {
    pub(super) fn scalar_or_array(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        let mut c = Constraints::default();
        let mut format = None;
        let mut note = None;
        // A non-positive `multipleOf` is invalid JSON Schema but not worth refusing
        // the spec for: the one check is dropped, and the docs say so.
        let mut ignored_multiple_of = None;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length.map(|n| n as u64);
                c.max_length = s.max_length.map(|n| n as u64);
                (c.pattern, note) = checked_pattern(s.pattern.as_deref());
                let (ty, fmt) = string_type(&s.format);
                c.email = fmt.as_deref() == Some("email");
                format = fmt;
                ty
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
                c.multiple_of = i.multiple_of.map(|m| m as f64);
                if let Some(m) = i.multiple_of.filter(|&m| m <= 0) {
                    c.multiple_of = None;
                    ignored_multiple_of = Some(m.to_string());
                }
                format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        Some("int32".to_string())
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                        Some("int64".to_string())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                integer_type(&i.format)
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
                c.allowed = n
                    .enumeration
                    .iter()
                    .flatten()
                    .filter_map(|v| serde_json::Number::from_f64(*v))
                    .map(|v| v.to_string())
                    .collect();
                c.multiple_of = n.multiple_of;
                if let Some(m) = n.multiple_of.filter(|&m| !(m > 0.0 && m.is_finite())) {
                    c.multiple_of = None;
                    ignored_multiple_of = Some(m.to_string());
                }
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        format = Some("float".to_string());
                        Ty::F32
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Double) => {
                        format = Some("double".to_string());
                        Ty::F64
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => {
                        format = Some(f.clone());
                        Ty::F64
                    }
                    _ => Ty::F64,
                }
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                c.allowed = b
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| v.to_string())
                    .collect();
                Ty::Bool
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items.map(|n| n as u64);
                c.max_items = a.max_items.map(|n| n as u64);
                c.unique_items = a.unique_items;
                return self.array(a.items.as_ref(), c, at, hint, depth, diags);
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let mut rest = members.iter().enumerate().filter(|(_, m)| !is_null_only(m));
                return match rest.next() {
                    Some((i, member)) => {
                        let mut inner =
                            self.lower(member, &at.at(keyword).at(i), hint, depth + 1, diags);
                        inner.docs = Docs::default();
                        inner
                    }
                    None => Lowered::plain(Ty::Json),
                };
            }
            SchemaKind::AllOf { all_of } => {
                if let Some(inner) = self.scalar_all_of(all_of, at, hint, depth, diags) {
                    return inner;
                }
                note = Some(NoteKind::MixedAllOf);
                Ty::Json
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("array") || any.items.is_some() => {
                c.min_items = any.min_items.map(|n| n as u64);
                c.max_items = any.max_items.map(|n| n as u64);
                c.unique_items = any.unique_items.unwrap_or(false);
                return self.array(any.items.as_ref(), c, at, hint, depth, diags);
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => {
                c.min_length = any.min_length.map(|n| n as u64);
                c.max_length = any.max_length.map(|n| n as u64);
                (c.pattern, note) = checked_pattern(any.pattern.as_deref());
                let (ty, fmt) = match &any.format {
                    Some(f) => string_type(&VariantOrUnknownOrEmpty::Unknown(f.clone())),
                    None => (Ty::String, None),
                };
                c.email = fmt.as_deref() == Some("email");
                format = fmt;
                ty
            }
            // `not` and untyped schemas accept any JSON value; say so where the spec
            // said more.
            SchemaKind::Not { .. } => {
                note = Some(NoteKind::NotModelled);
                Ty::Json
            }
            _ => Ty::Json,
        };
        let mut lowered = Lowered::plain(ty);
        lowered.constraints = c;
        lowered.docs.format = format;
        let note_at = match &note {
            Some(NoteKind::PatternUnchecked { .. }) => at.at("pattern"),
            _ => at.clone(),
        };
        let ignored = ignored_multiple_of.map(|value| Note {
            at: at.at("multipleOf"),
            kind: NoteKind::IgnoredMultipleOf { value },
        });
        lowered.docs.notes = note
            .map(|kind| Note { at: note_at, kind })
            .into_iter()
            .chain(ignored)
            .collect();
        lowered
    }

    /// The value of an `allOf` that is not an object: one member plus annotations
    /// (`allOf: [$ref]` with a description or `nullable`), or members that are all
    /// scalars of one JSON type (`[{$ref: Status}, {type: string, nullable: true}]`),
    /// where the narrowest member wins (an enum, then a format, `integer` over `number`)
    /// and keeps the limits of the others. `None` when the members are of several types.
    fn scalar_all_of(
        &mut self,
        all_of: &[ReferenceOr<Schema>],
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Option<Lowered> {
        let members: Vec<(usize, &ReferenceOr<Schema>)> = all_of
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_annotation_only(m))
            .collect();
        let mut ranked = Vec::new();
        if members.len() > 1 {
            for (i, member) in &members {
                let schema = self.resolve(member, &at.at("allOf").at(*i), diags)?;
                ranked.push((*i, scalar_rank(&schema)?));
            }
            let family = ranked.first().map(|(_, (family, _))| *family);
            if ranked.iter().any(|(_, (f, _))| Some(*f) != family) {
                return None;
            }
        }
        // The first of the narrowest; the only member when there is one.
        let chosen = ranked
            .iter()
            .rev()
            .max_by_key(|(_, (_, rank))| *rank)
            .map(|(i, _)| *i)
            .or(members.first().map(|(i, _)| *i));
        let Some(chosen) = chosen else {
            // Only annotations: any value.
            return Some(Lowered::plain(Ty::Json));
        };
        let member_at = |i: usize| at.at("allOf").at(i);
        let mut inner = self.lower(&all_of[chosen], &member_at(chosen), hint, depth + 1, diags);
        inner.docs = Docs::default();
        for &(i, (_, rank)) in &ranked {
            // An inline enum other than the chosen one would only add an unused type.
            let inline_enum = rank == ENUM_RANK && matches!(all_of[i], ReferenceOr::Item(_));
            if i != chosen && !inline_enum {
                let other = self.lower(&all_of[i], &member_at(i), hint, depth + 1, diags);
                if let Some(pattern) = tighten(&mut inner.constraints, &other.constraints) {
                    inner.docs.notes.push(Note {
                        at: member_at(i).at("pattern"),
                        kind: NoteKind::ExtraPattern { pattern },
                    });
                }
                inner.nullable |= other.nullable;
            }
        }
        Some(inner)
    }

    /// An array of `items` (any JSON value when absent) with the array's own `limits`.
    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        limits: Constraints,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        let item = match items {
            Some(items) => self.lower(
                items,
                &at.at("items"),
                &format!("{hint} Item"),
                depth + 1,
                diags,
            ),
            None => Lowered::plain(Ty::Json),
        };
        Lowered {
            ty: Ty::Vec(Box::new(nullable_ty(item.ty, item.nullable))),
            constraints: limits,
            item_constraints: item.constraints,
            ..Lowered::plain(Ty::Json)
        }
    }
}

/// The rank of an enum in [`scalar_rank`]: nothing is narrower.
const ENUM_RANK: u8 = 4;

/// The JSON type of a scalar schema (`integer` counts as a `number`) and how narrow it
/// is: an enum, then a format, then `integer` over `number`; `None` for anything else.
fn scalar_rank(schema: &Schema) -> Option<(&'static str, u8)> {
    let (family, integer, format, enumerated) = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => (
            "string",
            false,
            !matches!(s.format, VariantOrUnknownOrEmpty::Empty),
            !s.enumeration.is_empty(),
        ),
        SchemaKind::Type(Type::Integer(i)) => (
            "number",
            true,
            !matches!(i.format, VariantOrUnknownOrEmpty::Empty),
            !i.enumeration.is_empty(),
        ),
        SchemaKind::Type(Type::Number(n)) => (
            "number",
            false,
            !matches!(n.format, VariantOrUnknownOrEmpty::Empty),
            !n.enumeration.is_empty(),
        ),
        SchemaKind::Type(Type::Boolean(b)) => ("boolean", false, false, !b.enumeration.is_empty()),
        SchemaKind::Any(any) if any.properties.is_empty() && any.items.is_none() => {
            let family = match any.typ.as_deref()? {
                "string" => "string",
                "integer" | "number" => "number",
                "boolean" => "boolean",
                _ => return None,
            };
            (
                family,
                any.typ.as_deref() == Some("integer"),
                any.format.is_some(),
                !any.enumeration.is_empty(),
            )
        }
        _ => return None,
    };
    let rank = if enumerated {
        ENUM_RANK
    } else {
        1 + u8::from(integer) + u8::from(format)
    };
    Some((family, rank))
}

/// `limits` narrowed by `other`'s (both hold in an `allOf`): the larger minimum, the
/// smaller maximum, a check `limits` lacks. Returns `other`'s pattern when `limits`
/// already has another one (one is checked per value).
fn tighten(limits: &mut Constraints, other: &Constraints) -> Option<String> {
    let larger = |a: Option<u64>, b: Option<u64>| a.max(b);
    let smaller = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    limits.min_length = larger(limits.min_length, other.min_length);
    limits.max_length = smaller(limits.max_length, other.max_length);
    limits.min_items = larger(limits.min_items, other.min_items);
    limits.max_items = smaller(limits.max_items, other.max_items);
    limits.min_properties = larger(limits.min_properties, other.min_properties);
    limits.max_properties = smaller(limits.max_properties, other.max_properties);
    limits.minimum = match (limits.minimum, other.minimum) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 || (b.0 == a.0 && b.1) {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    };
    limits.maximum = match (limits.maximum, other.maximum) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 || (b.0 == a.0 && b.1) {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    };
    let mut dropped = None;
    match (&limits.pattern, &other.pattern) {
        (None, _) => limits.pattern.clone_from(&other.pattern),
        (Some(kept), Some(second)) if kept != second => dropped = Some(second.clone()),
        _ => {}
    }
    if limits.multiple_of.is_none() {
        limits.multiple_of = other.multiple_of;
    }
    if limits.allowed.is_empty() {
        limits.allowed.clone_from(&other.allowed);
    }
    limits.unique_items |= other.unique_items;
    limits.email |= other.email;
    dropped
}

/// The `pattern` the client checks, or the note saying why it does not: JSON Schema
/// patterns are ECMA-262 regular expressions, compiled here as the runtime compiles them
/// (`regress`, Unicode mode first).
fn checked_pattern(pattern: Option<&str>) -> (Option<String>, Option<NoteKind>) {
    let Some(pattern) = pattern else {
        return (None, None);
    };
    let compiled =
        regress::Regex::with_flags(pattern, "u").or_else(|_| regress::Regex::new(pattern));
    match compiled {
        Ok(_) => (Some(pattern.to_string()), None),
        Err(err) => (
            None,
            Some(NoteKind::PatternUnchecked {
                pattern: pattern.to_string(),
                reason: err.to_string(),
            }),
        ),
    }
}

/// `T`, or `Option<T>` for items and map values that may be `null`.
pub(super) fn nullable_ty(ty: Ty, nullable: bool) -> Ty {
    if nullable && !matches!(ty, Ty::Json | Ty::Nullable(_)) {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// Integer formats; unknown ones fall back to `i64`.
pub(super) fn integer_type(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "int8" => Ty::I8,
            "int16" => Ty::I16,
            "int32" => Ty::I32,
            "uint8" => Ty::U8,
            "uint16" => Ty::U16,
            "uint32" => Ty::U32,
            "uint64" | "uint" => Ty::U64,
            _ => Ty::I64,
        },
        _ => Ty::I64,
    }
}

/// String formats -> (Rust type, the format as documented); unknown ones stay `String`.
/// `ulid` stays a `String` on purpose: APIs prefix ULIDs (`contact_01H...`), which a
/// `Ulid` type would reject.
pub(super) fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> (Ty, Option<String>) {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
            (Ty::DateTime, Some("date-time (RFC 3339)".into()))
        }
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => (Ty::Date, Some("date".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => (Ty::Base64, Some("byte".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => (Ty::Binary, Some("binary".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
            (Ty::String, Some("password".into()))
        }
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uri" | "url" => (Ty::Url, Some(f.clone())),
            "uuid" => (Ty::Uuid, Some(f.clone())),
            "byte" => (Ty::Base64, Some(f.clone())),
            "binary" => (Ty::Binary, Some(f.clone())),
            "date-time" => (Ty::DateTime, Some("date-time (RFC 3339)".into())),
            "date" => (Ty::Date, Some(f.clone())),
            _ => (Ty::String, Some(f.clone())),
        },
        VariantOrUnknownOrEmpty::Empty => (Ty::String, None),
    }
}

/// Documentation from schema data; `format` when the Rust type does not carry it.
pub fn docs_of(data: &SchemaData, format: Option<String>) -> Docs {
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        example: data.example.as_ref().map(render_json),
        default: data.default.as_ref().map(render_json),
        format,
        deprecated: data.deprecated,
        notes: Vec::new(),
    }
}

/// The docs of a schema at a place of use: its own, completed by what its inline `allOf`
/// members say (`allOf: [{$ref: Status}, {nullable: true, description: ..}]`).
pub fn schema_docs(schema: &Schema, format: Option<String>) -> Docs {
    let mut docs = docs_of(&schema.schema_data, format);
    if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
        for member in all_of {
            let ReferenceOr::Item(member) = member else {
                continue;
            };
            let data = &member.schema_data;
            if docs.description.is_none() {
                docs.description.clone_from(&data.description);
            }
            if docs.example.is_none() {
                docs.example = data.example.as_ref().map(render_json);
            }
            if docs.default.is_none() {
                docs.default = data.default.as_ref().map(render_json);
            }
            docs.deprecated |= data.deprecated;
        }
    }
    docs
}

fn render_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::ir::{Note, NoteKind, Ty, TypeKind};
    use crate::lower::types::lower_test_schemas;

    #[test]
    fn formats_choose_rust_types_and_unknown_ones_stay_strings() {
        let (types, problems) = lower_test_schemas(
            r##"
Formats:
  type: object
  properties:
    at: {type: string, format: date-time}
    day: {type: string, format: date}
    id: {type: string, format: uuid}
    link: {type: string, format: uri}
    blob: {type: string, format: byte}
    raw: {type: string, format: binary}
    ulid: {type: string, format: ulid}
    small: {type: integer, format: int32}
    big: {type: integer, format: uint64}
    other: {type: integer, format: weird}
    ratio: {type: number, format: float}
    names: {type: array, items: {type: string, nullable: true}}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let TypeKind::Struct(s) = &types["Formats"].kind else {
            panic!()
        };
        let tys: Vec<&Ty> = s.fields.iter().map(|f| &f.ty).collect();
        assert_eq!(
            tys,
            [
                &Ty::DateTime,
                &Ty::Date,
                &Ty::Uuid,
                &Ty::Url,
                &Ty::Base64,
                &Ty::Binary,
                &Ty::String,
                &Ty::I32,
                &Ty::U64,
                &Ty::I64,
                &Ty::F32,
                &Ty::Vec(Box::new(Ty::Nullable(Box::new(Ty::String)))),
            ]
        );
        assert_eq!(s.fields[6].docs.format.as_deref(), Some("ulid"));
    }

    #[test]
    fn non_positive_multiple_of_is_dropped_with_a_note() {
        let (types, problems) = lower_test_schemas(
            r##"
Steps:
  type: object
  properties:
    negative: {type: integer, multipleOf: -1}
    zero: {type: number, multipleOf: 0}
    fine: {type: integer, multipleOf: 5}
"##,
        );
        assert!(problems.is_empty(), "not an error: {problems:?}");
        let TypeKind::Struct(s) = &types["Steps"].kind else {
            panic!()
        };
        for field in &s.fields[..2] {
            assert_eq!(field.constraints.multiple_of, None, "{}", field.json_name);
            assert!(
                matches!(
                    field.docs.notes.as_slice(),
                    [Note {
                        kind: NoteKind::IgnoredMultipleOf { .. },
                        ..
                    }]
                ),
                "{:?}",
                field.docs.notes
            );
        }
        assert_eq!(s.fields[2].constraints.multiple_of, Some(5.0));
        assert!(s.fields[2].docs.notes.is_empty());
    }

    #[test]
    fn an_all_of_of_scalars_of_one_type_is_its_narrowest_member_with_every_limit() {
        let (types, problems) = lower_test_schemas(
            r##"
Status: {type: string, enum: [active, archived]}
Holder:
  type: object
  required: [status]
  properties:
    status:
      allOf:
        - $ref: "#/components/schemas/Status"
        - type: string
          nullable: true
          description: Where the item stands.
    code:
      allOf:
        - {type: string, minLength: 2, maxLength: 8}
        - {type: string, maxLength: 4, pattern: "^[a-z]+$"}
        - {type: string, pattern: "^[a-y]+$"}
    count:
      allOf:
        - {type: number, maximum: 10}
        - {type: integer, format: int32, minimum: 1}
    odd:
      allOf:
        - {type: string}
        - {type: integer}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let TypeKind::Struct(s) = &types["Holder"].kind else {
            panic!()
        };
        let status = &s.fields[0];
        assert_eq!(status.ty, Ty::Named("Status".into()));
        assert_eq!(status.presence, crate::ir::Presence::RequiredNullable);
        assert_eq!(
            status.docs.description.as_deref(),
            Some("Where the item stands.")
        );
        assert!(status.docs.notes.is_empty(), "{:?}", status.docs.notes);
        let code = &s.fields[1];
        assert_eq!(code.ty, Ty::String);
        let limits = &code.constraints;
        assert_eq!((limits.min_length, limits.max_length), (Some(2), Some(4)));
        assert_eq!(limits.pattern.as_deref(), Some("^[a-z]+$"));
        // One pattern is checked per value; the other is said.
        assert_eq!(
            code.docs.notes,
            [Note {
                at: crate::diag::Ptr::root()
                    .at("components")
                    .at("schemas")
                    .at("Holder")
                    .at("properties")
                    .at("code")
                    .at("allOf")
                    .at(2)
                    .at("pattern"),
                kind: NoteKind::ExtraPattern {
                    pattern: "^[a-y]+$".into()
                }
            }]
        );
        let count = &s.fields[2];
        assert_eq!(count.ty, Ty::I32, "integer is narrower than number");
        assert_eq!(
            (count.constraints.minimum, count.constraints.maximum),
            (Some((1.0, false)), Some((10.0, false)))
        );
        let odd = &s.fields[3];
        assert_eq!(
            odd.ty,
            Ty::Json,
            "a string and an integer have no common value"
        );
        assert_eq!(odd.docs.notes[0].kind, NoteKind::MixedAllOf);
        // Only the component enum: the scalar member added no type.
        assert_eq!(types.len(), 2, "{:?}", types.keys());
    }

    #[test]
    fn limits_are_kept_for_the_value_and_its_items() {
        let (types, _) = lower_test_schemas(
            r##"
Limited:
  type: object
  properties:
    code: {type: string, minLength: 2, maxLength: 4, pattern: "^[A-Z]+$"}
    count: {type: integer, minimum: 1, maximum: 9, exclusiveMaximum: true}
    tags:
      type: array
      minItems: 1
      uniqueItems: true
      items: {type: string, maxLength: 3}
    mail: {type: string, format: email}
"##,
        );
        let TypeKind::Struct(s) = &types["Limited"].kind else {
            panic!()
        };
        let code = &s.fields[0].constraints;
        assert_eq!((code.min_length, code.max_length), (Some(2), Some(4)));
        assert_eq!(code.pattern.as_deref(), Some("^[A-Z]+$"));
        assert_eq!(s.fields[1].constraints.maximum, Some((9.0, true)));
        assert_eq!(s.fields[2].constraints.min_items, Some(1));
        assert!(s.fields[2].constraints.unique_items);
        assert_eq!(s.fields[2].item_constraints.max_length, Some(3));
        assert!(s.fields[3].constraints.email);
    }
}
