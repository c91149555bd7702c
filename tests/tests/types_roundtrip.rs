//! Round trips for every family of schema constructs: each fixture under
//! `tests/fixtures/types/` is expanded with `generate!` inside a module that denies
//! every warning, and its models are serialized and deserialized.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// `json` -> model -> JSON gives `json` back, and the model equals `expected`.
fn round_trip<T>(json: Value) -> T
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let model: T =
        serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("decode {json}: {e}"));
    assert_eq!(serde_json::to_value(&model).unwrap(), json, "{model:?}");
    let again: T = serde_json::from_value(serde_json::to_value(&model).unwrap()).unwrap();
    assert_eq!(again, model);
    model
}

/// The violations of a failed build, as `(path, constraint)` pairs.
fn violations(err: &orq_runtime::ValidationError) -> Vec<(String, &'static str)> {
    err.violations
        .iter()
        .map(|v| (v.path.clone(), v.constraint))
        .collect()
}

mod presence {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/presence.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Inner, Thing};
    use orq_runtime::OptionalNullable;

    #[test]
    fn absent_null_and_value_each_survive() {
        let absent: Thing = round_trip(json!({"required_plain": "a", "required_nullable": null}));
        assert_eq!(absent.required_nullable, None);
        assert_eq!(absent.optional_plain, None);
        assert_eq!(absent.optional_nullable, OptionalNullable::Unset);
        assert_eq!(absent.nullable_ref, OptionalNullable::Unset);

        let null: Thing = round_trip(json!({
            "required_plain": "a", "required_nullable": null,
            "optional_nullable": null, "nullable_ref": null
        }));
        assert_eq!(null.optional_nullable, OptionalNullable::Null);
        assert_eq!(null.nullable_ref, OptionalNullable::Null);

        let value: Thing = round_trip(json!({
            "required_plain": "a", "required_nullable": "b", "optional_plain": 3,
            "optional_nullable": "c", "nullable_ref": {"x": 1},
            "nullable_items": [1, null, 3], "nullable_values": {"k": null, "v": "w"}
        }));
        assert_eq!(value.required_nullable.as_deref(), Some("b"));
        assert_eq!(value.optional_plain, Some(3));
        assert_eq!(value.optional_nullable, OptionalNullable::Value("c".into()));
        assert_eq!(
            value.nullable_ref,
            OptionalNullable::Value(Inner { x: Some(1) })
        );
        assert_eq!(value.nullable_items, Some(vec![Some(1), None, Some(3)]));
        assert_eq!(value.nullable_values.unwrap()["k"], None);
    }

    #[test]
    fn builders_send_required_nullable_as_null_and_leave_unset_out() {
        let thing = Thing::builder()
            .required_plain("a")
            .required_nullable(None)
            .optional_nullable(OptionalNullable::Null)
            .secret("s3cret")
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&thing).unwrap(),
            json!({"required_plain": "a", "required_nullable": null, "optional_nullable": null, "secret": "s3cret"})
        );
        let err = Thing::builder().build().unwrap_err();
        assert_eq!(
            violations(&err),
            [
                ("required_plain".to_string(), "required"),
                ("required_nullable".to_string(), "required"),
                ("secret".to_string(), "required"),
            ]
        );
    }

    /// On the wire: absent keys stay absent, `null` is sent, the read-only id is not.
    #[tokio::test]
    async fn the_wire_carries_exactly_what_was_set() {
        use orq_tests::{Recorder, Reply};
        let stored = json!({"required_plain": "a", "required_nullable": null, "id": "t-1", "optional_nullable": null});
        let server = Recorder::start(vec![Reply::json(200, stored)], None).await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let thing = Thing::builder()
            .required_plain("a")
            .required_nullable(None)
            .optional_nullable(OptionalNullable::Null)
            .secret("s")
            .build()
            .unwrap();
        let back = client.things().create_thing(thing).await.unwrap();
        assert_eq!(
            std::str::from_utf8(&server.requests()[0].body).unwrap(),
            r#"{"required_plain":"a","required_nullable":null,"optional_nullable":null,"secret":"s"}"#
        );
        assert_eq!(back.id.as_deref(), Some("t-1"));
        assert_eq!(
            (back.secret, back.optional_nullable),
            (None, OptionalNullable::Null)
        );
    }

    #[test]
    fn read_only_comes_back_and_write_only_may_be_missing() {
        let stored: Thing = round_trip(json!({
            "required_plain": "a", "required_nullable": null, "id": "t-1"
        }));
        assert_eq!(stored.id.as_deref(), Some("t-1"));
        assert_eq!(stored.secret, None);
    }
}

mod formats {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/formats.yaml", client = "Api");
    }
    use super::*;
    use api::models::Formats;
    use orq_runtime::{Base64Bytes, Binary};

    #[test]
    fn every_format_round_trips_with_its_rust_type() {
        let formats: Formats = round_trip(json!({
            "date_time": "2026-02-09T20:45:05.252Z",
            "date": "2026-02-09",
            "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "ulid": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "uri": "https://example.com/a?b=c",
            "email": "jane@example.com",
            "password": "hunter2",
            "int8": -128, "int16": 32767, "int32": -2147483648, "int64": 9007199254740993i64,
            "uint8": 255, "uint16": 65535, "uint32": 4294967295u32, "uint64": 18446744073709551615u64,
            "integer": -1,
            "float": 1.5, "double": 0.1, "number": 2.25,
            "byte": "aGVsbG8=",
            "binary": "PK\u{3}\u{4}",
            "unknown_string_format": "x", "unknown_integer_format": 7, "unknown_number_format": 1.25,
            "boolean": true,
            "dates": ["2026-01-01", "2026-12-31"]
        }));
        let chrono::DateTime::<chrono::Utc> { .. } = formats.date_time;
        assert_eq!(formats.date_time.timestamp_millis(), 1770669905252);
        assert_eq!(
            formats.date,
            chrono::NaiveDate::from_ymd_opt(2026, 2, 9).unwrap()
        );
        assert_eq!(
            formats.uuid,
            uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap()
        );
        let _: &String = formats.ulid.as_ref().unwrap();
        assert_eq!(
            formats.uri.as_ref().unwrap().to_url().unwrap().host_str(),
            Some("example.com")
        );
        let (_, _, _, _): (i8, i16, i32, i64) = (
            formats.int8.unwrap(),
            formats.int16.unwrap(),
            formats.int32.unwrap(),
            formats.int64.unwrap(),
        );
        let (_, _, _, _): (u8, u16, u32, u64) = (
            formats.uint8.unwrap(),
            formats.uint16.unwrap(),
            formats.uint32.unwrap(),
            formats.uint64.unwrap(),
        );
        assert_eq!(formats.uint64, Some(u64::MAX));
        let (_, _): (f32, f64) = (formats.float.unwrap(), formats.double.unwrap());
        assert_eq!(formats.byte, Some(Base64Bytes(b"hello".to_vec())));
        assert_eq!(formats.binary.as_deref(), Some(&b"PK\x03\x04"[..]));
        let _: Option<Binary> = formats.binary;
        let (_, _, _): (Option<String>, Option<i64>, Option<f64>) = (
            formats.unknown_string_format,
            formats.unknown_integer_format,
            formats.unknown_number_format,
        );
        assert_eq!(formats.dates.unwrap().len(), 2);
    }

    #[test]
    fn bad_values_of_typed_formats_are_decode_errors_not_panics() {
        for (field, bad) in [
            ("uuid", json!("nope")),
            ("date", json!("09/02/2026")),
            ("date_time", json!("yesterday")),
        ] {
            let mut value = json!({"date_time": "2026-02-09T20:45:05Z", "date": "2026-02-09", "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8"});
            value[field] = bad;
            assert!(serde_json::from_value::<Formats>(value).is_err(), "{field}");
        }
        let base = json!({"date_time": "2026-02-09T20:45:05Z", "date": "2026-02-09", "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8", "byte": "!!"});
        assert!(serde_json::from_value::<Formats>(base).is_err());
    }

    /// Typed parameters travel in their JSON text form (RFC 3339 date-times, hyphenated
    /// UUIDs); a binary body comes back as bytes.
    #[tokio::test]
    async fn typed_parameters_and_binary_bodies_on_the_wire() {
        use orq_tests::{Recorder, Reply};
        let mut reply = Reply::text(200, "");
        reply.body = vec![0, 159, 146, 150];
        reply.headers = vec![("content-type".into(), "application/octet-stream".into())];
        let server = Recorder::start(vec![reply], None).await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let id = uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
        let since = chrono::DateTime::parse_from_rfc3339("2026-02-09T20:45:05.252Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let file = client.formats().get_file(id).since(since).await.unwrap();
        assert_eq!(&file.bytes().await.unwrap()[..], &[0, 159, 146, 150]);
        assert_eq!(
            server.requests()[0].uri,
            "/files/67e55044-10b1-426f-9247-bb680e5fe0c8?since=2026-02-09T20%3A45%3A05.252Z"
        );
    }

    #[test]
    fn email_is_checked_before_sending() {
        let build = |email: &str| {
            Formats::builder()
                .date_time(chrono::Utc::now())
                .date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
                .uuid(uuid::Uuid::nil())
                .email(email)
                .build()
        };
        assert!(build("jane@example.com").is_ok());
        let err = build("not an email").unwrap_err();
        assert_eq!(violations(&err), [("email".to_string(), "format")]);
    }

    /// Setters of dates, date-times and UUIDs take text; what does not parse is a
    /// violation `build()` reports at that field (not also as missing), never a panic.
    #[tokio::test]
    async fn text_for_typed_formats_is_parsed_by_build() {
        use orq_tests::{Recorder, Reply};
        let from_text = Formats::builder()
            .date_time("2026-02-09T20:45:05.252Z")
            .date("2026-02-09")
            .uuid("67e55044-10b1-426f-9247-bb680e5fe0c8")
            .dates(["2026-01-01", "2026-12-31"])
            .build()
            .unwrap();
        assert_eq!(from_text.date_time.timestamp_millis(), 1770669905252);
        assert_eq!(from_text.dates.as_ref().map(Vec::len), Some(2));
        let err = Formats::builder()
            .date_time("yesterday")
            .date("2026-02-09")
            .uuid("nope")
            .dates(["2026-01-01", "31/12/2026"])
            .build()
            .unwrap_err();
        assert_eq!(
            violations(&err),
            [
                ("date_time".to_string(), "format"),
                ("uuid".to_string(), "format"),
                ("dates[1]".to_string(), "format"),
            ]
        );
        assert!(err.to_string().contains("`nope` is not a UUID"), "{err}");
        // Given to an operation unbuilt, the same builder fails the call before sending.
        let server = Recorder::start(vec![], Some(Reply::json(200, json!({})))).await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let call = client
            .formats()
            .echo_formats(Formats::builder().date_time("yesterday"));
        let err = call.await.unwrap_err();
        assert!(
            matches!(err, orq_runtime::Error::InvalidRequest(_)),
            "{err:?}"
        );
        assert!(server.requests().is_empty());
    }
}

mod constraints {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/constraints.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Limits, LimitsLevel};
    use orq_runtime::OptionalNullable;
    use orq_tests::{Recorder, Reply};

    fn valid() -> api::models::builder::Limits {
        Limits::builder().name("abc")
    }

    #[test]
    fn a_valid_value_builds() {
        let limits = valid()
            .slug("a-1")
            .code("ABC")
            .count(10)
            .ratio(0.5)
            .step(15)
            .tags(["a", "b"])
            .scores(vec![Some(1), None])
            .labels(
                [("k".to_string(), "v".to_string())]
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .level(LimitsLevel::High)
            .email(OptionalNullable::Null)
            .factor(1.0)
            .flag(true)
            .build()
            .unwrap();
        assert_eq!(limits.name, "abc");
    }

    #[test]
    fn every_broken_limit_is_reported_with_field_and_keyword() {
        let err = Limits::builder()
            .name("a")
            .slug("Not A Slug")
            .code("abc")
            .count(11)
            .ratio(0.0)
            .step(7)
            .tags(["same", "same", "toolong", "x"])
            .scores(vec![Some(-1), None])
            .labels(std::collections::BTreeMap::new())
            .level(orq_runtime::Open::<LimitsLevel>::from_wire("medium"))
            .email("nope")
            .factor(1.5)
            .flag(false)
            .build()
            .unwrap_err();
        let found = violations(&err);
        for expected in [
            ("name", "minLength"),
            ("slug", "pattern"),
            ("code", "pattern"),
            ("count", "maximum"),
            ("ratio", "exclusiveMinimum"),
            ("step", "multipleOf"),
            ("tags", "maxItems"),
            ("tags", "uniqueItems"),
            ("tags[2]", "maxLength"),
            ("scores[0]", "minimum"),
            ("labels", "minProperties"),
            ("email", "format"),
            ("factor", "enum"),
            ("flag", "enum"),
        ] {
            assert!(
                found.contains(&(expected.0.to_string(), expected.1)),
                "missing {expected:?} in {found:?}"
            );
        }
        let message = err.to_string();
        assert!(
            message.contains("name: must be at least 2 characters (got 1)"),
            "{message}"
        );
        let err = valid()
            .name("abcdef")
            .tags(Vec::<String>::new())
            .build()
            .unwrap_err();
        assert_eq!(
            violations(&err),
            [
                ("name".to_string(), "maxLength"),
                ("tags".to_string(), "minItems")
            ]
        );
    }

    #[test]
    fn responses_that_break_limits_are_kept() {
        let limits: Limits =
            round_trip(json!({"name": "x", "count": 99, "tags": ["a", "a"], "level": "extreme"}));
        assert_eq!(limits.count, Some(99));
        assert_eq!(
            limits.level,
            Some(orq_runtime::Open::<LimitsLevel>::Unknown("extreme".into()))
        );
    }

    #[tokio::test]
    async fn nothing_invalid_leaves_the_client() {
        let server = Recorder::start(
            vec![],
            Some(Reply::json(200, json!({"name": "x", "count": 500}))),
        )
        .await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let bad = Limits {
            name: "a".into(),
            ..valid().build().unwrap()
        };
        let err = client.limits().send_limits(bad).await.unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
        let err = client
            .limits()
            .send_limits(valid().build().unwrap())
            .page(500)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("page"), "{err}");
        assert!(server.requests().is_empty());
        let echoed = client
            .limits()
            .send_limits(valid().build().unwrap())
            .page(2)
            .await
            .unwrap();
        assert_eq!(echoed.count, Some(500), "a response over the limit is kept");
        assert_eq!(server.requests()[0].json(), json!({"name": "abc"}));
    }
}

mod enums {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/enums.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Color, Holder, HolderMaybe, HolderMode, Priority};
    use orq_runtime::Open;

    #[test]
    fn known_values_and_awkward_names_round_trip() {
        for (wire, color) in [
            ("red", Color::Red),
            ("Red", Color::Red2),
            ("RED", Color::Red3),
            ("dark_red", Color::DarkRed),
            ("dark-red", Color::DarkRed2),
            ("darkRed", Color::DarkRed3),
            ("", Color::Empty),
            ("1", Color::V1),
            ("Self", Color::Self_),
            ("self", Color::Self_2),
            ("null", Color::Null),
            ("Unknown", Color::Unknown2),
            ("-", Color::U002D),
            ("a b", Color::AB),
            ("über", Color::U00fcBer),
        ] {
            assert_eq!(round_trip::<Color>(json!(wire)), color);
            assert_eq!(color.as_str(), wire);
            assert_eq!(color.to_string(), wire);
        }
        for (wire, priority) in [
            (1, Priority::V1),
            (-1, Priority::VMinus1),
            (0, Priority::V0),
        ] {
            assert_eq!(round_trip::<Priority>(json!(wire)), priority);
            assert_eq!(priority.as_i64(), wire);
        }
    }

    #[test]
    fn unknown_values_round_trip() {
        assert_eq!(
            round_trip::<Open<Color>>(json!("ultraviolet")),
            Open::Unknown("ultraviolet".into())
        );
        assert_eq!(round_trip::<Priority>(json!(42)), Priority::Unknown(42));
        let holder: Holder = round_trip(json!({
            "color": "teal", "priority": 9, "mode": "warp", "maybe": null, "colors": ["red", "teal"]
        }));
        assert_eq!(holder.mode, Some(Open::Unknown("warp".into())));
        assert_eq!(holder.color.as_ref().and_then(Open::known), None);
        let colors = holder.colors.unwrap();
        assert!(colors[0] == Color::Red);
        assert_eq!(colors[1], Open::<Color>::Unknown("teal".into()));
        let _: Option<HolderMode> = None;
        let holder: Holder = round_trip(json!({"maybe": "yes"}));
        assert_eq!(
            holder.maybe,
            orq_runtime::OptionalNullable::Value(Open::Known(HolderMaybe::Yes))
        );
    }

    /// Enums are open both ways: a value newer than this spec (typically one the
    /// server sent) goes back as it is, so read-modify-write keeps working when the
    /// server adds a value.
    #[test]
    fn unknown_values_round_trip_into_requests() {
        let holder = Holder::builder()
            .color(Open::<Color>::from_wire("teal"))
            .build()
            .expect("an Unknown value is not a violation");
        assert_eq!(
            serde_json::to_value(&holder).unwrap()["color"],
            json!("teal")
        );
        assert!(Holder::builder().color(Color::Null).build().is_ok());
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        let typo = "rde".parse::<Color>().unwrap_err();
        assert_eq!(typo.value(), "rde");
        assert_eq!(typo.enum_name(), "Color");
        assert_eq!(Open::<Color>::from_wire("red"), Open::Known(Color::Red));
    }
}

/// String enums on the wire (a real server on 127.0.0.1): a known value decodes to
/// `Known`, one a newer server added survives a read-modify-write unchanged, and the
/// closed enum is an ordinary `Copy` Rust enum.
mod enums_on_the_wire {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/enums.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Color, Holder, HolderMode};
    use orq_runtime::{Open, UnknownVariant};
    use orq_tests::{Recorder, Reply};
    use std::collections::HashSet;

    #[tokio::test]
    async fn unknown_values_survive_a_read_modify_write() {
        let stored =
            json!({"color": "dark-red", "mode": "warp", "colors": ["red", "teal"], "maybe": "yes"});
        let server = Recorder::start(
            vec![
                Reply::json(200, stored.clone()),
                Reply::json(200, json!({})),
            ],
            None,
        )
        .await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        // Read: a parameter takes the variant; the known value decodes to `Known`.
        let mut holder = client.enums().send_enums().color(Color::Red).await.unwrap();
        assert!(holder.color.as_ref().is_some_and(|c| *c == Color::DarkRed2));
        assert_eq!(
            holder.color.as_ref().and_then(Open::known),
            Some(Color::DarkRed2)
        );
        assert_eq!(holder.mode, Some(Open::Unknown("warp".into())));
        // Modify one field, write the rest back as it came.
        holder.color = Some(Color::Self_.into());
        client.enums().send_enums().body(holder).await.unwrap();
        let sent = server.requests();
        assert!(sent[0].uri.ends_with("?color=red"), "{}", sent[0].uri);
        let mut expected = stored;
        expected["color"] = json!("Self");
        assert_eq!(sent[1].json(), expected, "unknown values go back unchanged");
    }

    #[test]
    fn string_enums_are_copy_hashable_and_parse_strictly() {
        let mode = HolderMode::Fast;
        let copied = mode;
        assert_eq!(mode, copied, "Copy: `mode` is still usable");
        let set: HashSet<Color> = Color::ALL.iter().copied().collect();
        assert_eq!(set.len(), Color::ALL.len());
        assert_eq!("a b".parse::<Color>(), Ok(Color::AB));
        let typo: UnknownVariant = "Dark-Red".parse::<Color>().unwrap_err();
        assert!(
            typo.to_string()
                .contains("`Dark-Red` is not a value of `Color`"),
            "{typo}"
        );
        let as_error: &dyn std::error::Error = &typo;
        assert!(!as_error.to_string().is_empty());
        assert_eq!(format!("{}", HolderMode::Slow), "slow");
        assert_eq!(AsRef::<str>::as_ref(&Color::U00fcBer), "über");
        // Deserializing the closed enum itself refuses a value it does not know.
        assert!(serde_json::from_value::<HolderMode>(json!("warp")).is_err());
        let holder = Holder::builder()
            .mode(HolderMode::Slow)
            .colors([Color::Red, Color::Red2])
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&holder).unwrap(),
            json!({"mode": "slow", "colors": ["red", "Red"]})
        );
    }
}

mod composition {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        // `Owner` only comes in responses; the tests build it.
        orq_codegen::generate!(
            spec = "fixtures/types/composition.yaml",
            client = "Api",
            response_builders = true
        );
    }
    use super::*;
    use api::models::{
        Cat, Closed, Contact, ContactEmail, Dog, IdOrName, Open, Owner, OwnerMaybePet, Pet, Shape,
        TypedExtra,
    };
    use orq_runtime::OptionalNullable;

    /// A tagged union goes out with its tag and comes back typed.
    #[tokio::test]
    async fn unions_on_the_wire() {
        use orq_tests::{Recorder, Reply};
        let reply = json!({"pet": {"pet_type": "dog", "name": "Rex"}, "shape": {"kind": "Circle", "radius": 1.5}, "id": 7});
        let server = Recorder::start(
            vec![Reply::json(200, reply.clone()), Reply::json(200, reply)],
            None,
        )
        .await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let cat = Cat::builder().name("Tom").pet_type("cat").build().unwrap();
        let owner = client.pets().add_pet(Pet::Cat(cat)).await.unwrap();
        assert_eq!(
            server.requests()[0].json(),
            json!({"name": "Tom", "pet_type": "cat"})
        );
        assert!(matches!(owner.pet, Pet::Dog(_)));
        assert!(matches!(owner.shape, Some(Shape::Circle(_))));
        assert_eq!(owner.id, Some(IdOrName::Integer(7)));
        // A value no member fits (say, a pet type the server added) goes back as it is.
        client
            .pets()
            .add_pet(Pet::Unknown(json!({"pet_type": "bird"})))
            .await
            .unwrap();
        assert_eq!(server.requests()[1].json(), json!({"pet_type": "bird"}));
    }

    #[test]
    fn all_of_is_one_struct() {
        let cat: Cat = round_trip(json!({"name": "Tom", "pet_type": "cat", "lives": 9}));
        assert_eq!((cat.name.as_str(), cat.lives), ("Tom", Some(9)));
        let err = Cat::builder().pet_type("cat").name("").build().unwrap_err();
        assert_eq!(violations(&err), [("name".to_string(), "minLength")]);
    }

    #[test]
    fn one_of_with_discriminator_and_mapping() {
        let cat: Pet = round_trip(json!({"name": "Tom", "pet_type": "cat", "lives": 9}));
        assert!(matches!(cat, Pet::Cat(Cat { lives: Some(9), .. })));
        let dog: Pet = round_trip(json!({"name": "Rex", "pet_type": "dog", "bark": true}));
        assert!(matches!(
            dog,
            Pet::Dog(Dog {
                bark: Some(true),
                ..
            })
        ));
        let bird: Pet = round_trip(json!({"name": "Tweety", "pet_type": "bird"}));
        assert!(matches!(bird, Pet::Unknown(_)));
        // The tag selects the member; a member that does not decode is an error, not a guess.
        assert!(serde_json::from_value::<Pet>(json!({"pet_type": "cat"})).is_err());
    }

    #[test]
    fn one_of_with_discriminator_without_mapping_adds_the_tag() {
        let circle: Shape = round_trip(json!({"kind": "Circle", "radius": 2.0}));
        assert!(matches!(circle, Shape::Circle(_)));
        let square = Shape::Square(api::models::Square { side: Some(1.0) });
        assert_eq!(
            serde_json::to_value(&square).unwrap(),
            json!({"kind": "Square", "side": 1.0})
        );
        let other: Shape = round_trip(json!({"kind": "Hexagon"}));
        assert!(matches!(other, Shape::Unknown(_)));
    }

    #[test]
    fn a_base_schema_with_a_discriminator_is_a_union_of_its_subtypes() {
        use api::models::{Animal, Zoo};
        let zoo: Zoo = round_trip(json!({"animals": [
            {"kind": "lion", "name": "Leo", "mane": true},
            {"kind": "Snake", "venomous": false},
            {"kind": "fish", "fins": 4}
        ]}));
        let animals = zoo.animals.unwrap();
        assert!(matches!(&animals[0], Animal::Lion(lion) if lion.mane == Some(true)));
        assert!(matches!(&animals[1], Animal::Snake(snake) if snake.venomous == Some(false)));
        assert!(matches!(&animals[2], Animal::Unknown(_)));
    }

    #[test]
    fn one_of_and_any_of_without_discriminator_are_untagged() {
        assert_eq!(round_trip::<IdOrName>(json!(7)), IdOrName::Integer(7));
        assert_eq!(
            round_trip::<IdOrName>(json!("seven")),
            IdOrName::String("seven".into())
        );
        assert_eq!(
            round_trip::<IdOrName>(json!(true)),
            IdOrName::Unknown(json!(true))
        );
        let email: Contact = round_trip(json!({"email": "a@example.com"}));
        assert!(matches!(email, Contact::Email(_)));
        let phone: Contact = round_trip(json!({"phone": "+1 555"}));
        assert!(matches!(phone, Contact::Phone(_)));
        assert!(matches!(
            round_trip::<Contact>(json!({"fax": "1"})),
            Contact::Unknown(_)
        ));
    }

    #[test]
    fn unions_are_validated_through_their_members() {
        let owner = Owner::builder()
            .pet(Pet::Cat(Cat {
                name: "".into(),
                pet_type: "cat".into(),
                lives: None,
            }))
            .contact(Contact::Email(ContactEmail {
                email: "nope".into(),
            }))
            .id(IdOrName::String(String::new()))
            // Open: a value no member fits is sent as it is, not a violation.
            .shape(Shape::Unknown(json!({})))
            .build()
            .unwrap_err();
        assert_eq!(
            violations(&owner),
            [
                ("pet.name".to_string(), "minLength"),
                ("id".to_string(), "minLength"),
                ("contact.email".to_string(), "format"),
            ]
        );
    }

    #[test]
    fn nullable_unions_and_nullable_ref_wrappers() {
        let owner: Owner = round_trip(json!({
            "pet": {"name": "Tom", "pet_type": "cat"},
            "maybe_pet": null, "best_friend": null
        }));
        assert_eq!(owner.maybe_pet, OptionalNullable::Null);
        assert_eq!(owner.best_friend, OptionalNullable::Null);
        let owner: Owner = round_trip(json!({
            "pet": {"name": "Tom", "pet_type": "cat"},
            "maybe_pet": {"name": "Rex", "pet_type": "dog", "bark": false},
            "best_friend": {"name": "Rex", "pet_type": "dog"}
        }));
        assert!(matches!(
            owner.maybe_pet,
            OptionalNullable::Value(OwnerMaybePet::Dog(_))
        ));
        assert!(owner.best_friend.is_value());
        // Without a discriminator, the member that keeps every key wins; on a tie, the first.
        let tie: OwnerMaybePet = round_trip(json!({"name": "Rex", "pet_type": "dog"}));
        assert!(matches!(tie, OwnerMaybePet::Cat(_)));
    }

    #[test]
    fn free_form_objects_and_additional_properties() {
        let owner: Owner = round_trip(json!({
            "pet": {"name": "Tom", "pet_type": "cat"},
            "free_form": {"a": [1, {"b": null}]},
            "anything": null,
            "counts": {"x": 1, "y": 2},
            "open": {"known": "k", "extra": {"deep": true}, "n": 1},
            "typed_extra": {"known": "k", "a": 1, "b": 2}
        }));
        assert_eq!(owner.anything, OptionalNullable::Null);
        assert_eq!(owner.counts.unwrap()["y"], 2);
        let open: Open = owner.open.unwrap();
        assert_eq!(open.additional_properties["extra"], json!({"deep": true}));
        let typed: TypedExtra = owner.typed_extra.unwrap();
        assert_eq!(typed.additional_properties["b"], 2);
        let anything: Owner =
            round_trip(json!({"pet": {"name": "T", "pet_type": "cat"}, "anything": [1, "two"]}));
        assert_eq!(
            anything.anything,
            OptionalNullable::Value(json!([1, "two"]))
        );
        // `additionalProperties: false`: nothing extra is kept (or sent).
        let closed: Closed = serde_json::from_value(json!({"known": "k", "extra": 1})).unwrap();
        assert_eq!(
            serde_json::to_value(&closed).unwrap(),
            json!({"known": "k"})
        );
    }
}

mod recursion {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/recursion.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Deep, Expr, Left, Node};

    #[test]
    fn self_and_mutually_recursive_schemas() {
        let node: Node = round_trip(json!({
            "value": 1,
            "parent": {"value": 0, "parent": {"value": -1}},
            "children": [{"value": 2, "children": [{"value": 3}]}],
            "by_name": {"a": {"value": 4}}
        }));
        assert_eq!(
            node.parent.as_ref().unwrap().parent.as_ref().unwrap().value,
            -1
        );
        let left: Left = round_trip(json!({"right": {"left": {"right": {}}}}));
        assert!(left.right.unwrap().left.is_some());
    }

    #[test]
    fn recursion_through_a_union() {
        let expr: Expr = round_trip(json!({
            "left": {"value": 1.0},
            "right": {"left": {"value": 2.0}, "right": {"value": 3.0}}
        }));
        let Expr::Sum(sum) = expr else {
            panic!("a sum")
        };
        assert!(matches!(*sum.right, Expr::Sum(_)));
    }

    #[test]
    fn unions_that_list_themselves_terminate() {
        use api::models::{Loop, LoopBack};
        assert_eq!(round_trip::<Loop>(json!("s")), Loop::String("s".into()));
        assert_eq!(round_trip::<LoopBack>(json!(1)), LoopBack::Integer(1));
        assert!(matches!(round_trip::<Loop>(json!(true)), Loop::Unknown(_)));
    }

    #[test]
    fn forty_levels_of_inline_objects_get_named_types() {
        let mut json = json!("bottom");
        for level in (0..40).rev() {
            json = json!({ format!("leaf{level}"): format!("l{level}"), "next": json });
        }
        let deep: Deep = round_trip(json);
        assert_eq!(deep.leaf0.as_deref(), Some("l0"));
    }
}

mod names {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/names.yaml", client = "Api");
    }
    use super::*;
    use api::models::{
        Box, FooBar, FooBar2, Keywords, Option, Result, Self_, Type1stPlace, Unnamed,
    };

    #[test]
    fn std_names_keywords_and_punctuation() {
        let option: Option = round_trip(json!({
            "value": {"text": "t"}, "items": [{"text": "u"}], "boxed": {"inner": {"inner": {}}}
        }));
        let _: &Box = option.boxed.as_ref().unwrap();
        let _: Result = round_trip(json!({"ok": true, "option": {}}));
        let _: Self_ = round_trip(json!({"self": "me"}));
        let _: Type1stPlace = round_trip(json!({"rank": 1}));
        let _: Unnamed = round_trip(json!({"empty": ""}));
        let _: (FooBar, FooBar2) = (round_trip(json!({"a": "1"})), round_trip(json!({"b": "2"})));
        let keywords: Keywords = round_trip(json!({
            "type": "t", "self": "s", "Self": "S", "super": "u", "crate": "c", "fn": "f",
            "async": "a", "gen": "g", "": "empty", "1": "one", "2fa": true, "foo-bar": "1",
            "fooBar": "2", "foo_bar": "3", "$ref": "r", "@type": "at", "名前": "name",
            "additional_properties": "ap", "inline": {"deeper": {"leaf": "l"}}
        }));
        assert_eq!(keywords.r#type.as_deref(), Some("t"));
        assert_eq!(keywords.self_2.as_deref(), Some("S"));
        assert_eq!(keywords.value.as_deref(), Some("empty"));
        assert_eq!(keywords._1.as_deref(), Some("one"));
        assert_eq!(
            (
                keywords.foo_bar.as_deref(),
                keywords.foo_bar_2.as_deref(),
                keywords.foo_bar_3.as_deref()
            ),
            (Some("1"), Some("2"), Some("3"))
        );
        assert_eq!(keywords.u540d_u524d.as_deref(), Some("name"));
    }
}

mod defaults {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/defaults.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Contact, NewContact};

    #[test]
    fn unset_fields_with_defaults_are_not_sent() {
        let new = NewContact::builder().name("Jane").build().unwrap();
        assert_eq!(serde_json::to_value(&new).unwrap(), json!({"name": "Jane"}));
    }

    #[test]
    fn defaults_never_become_data_the_server_did_not_send() {
        let contact: Contact = round_trip(json!({"id": "c1"}));
        assert_eq!(
            (contact.created, contact.updated, contact.tags),
            (None, None, None)
        );
    }

    /// Seed 003: the orq spec gives `created`/`updated` a `default` that is only the
    /// date its docs were generated; a response without them must not gain it.
    #[test]
    fn orq_response_without_timestamps_stays_without_them() {
        let body: orq_client::models::CreateContactResponseBody =
            round_trip(json!({"_id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV", "external_id": "u1"}));
        assert_eq!((body.created, body.updated), (None, None));
    }
}

mod scalar_all_of {
    #[deny(warnings)]
    #[allow(dead_code)]
    mod api {
        orq_codegen::generate!(spec = "fixtures/types/scalar_all_of.yaml", client = "Api");
    }
    use super::*;
    use api::models::{Item, ItemUpdate, Status};
    use orq_runtime::{Open, OptionalNullable};

    /// `allOf` of scalars is its narrowest member: the enum (nullable), the constrained
    /// string alias, the integer; on the wire both ways.
    #[tokio::test]
    async fn the_narrowest_member_types_the_value_on_the_wire() {
        use orq_tests::{Recorder, Reply};
        let item = json!({"status": null, "sku": "ABC-12", "quantity": 3, "previous": "draft"});
        let server = Recorder::start(
            vec![Reply::json(200, item.clone()), Reply::json(200, item)],
            None,
        )
        .await;
        let client = api::Api::builder()
            .server_url(server.url())
            .build()
            .unwrap();
        let got: Item = client.items().get_item("i1").await.unwrap();
        assert_eq!(got.status, None);
        assert_eq!(got.previous, Some(Open::Known(Status::Draft)));
        assert_eq!(got.quantity, Some(3i32));
        let update = ItemUpdate::builder()
            .status(OptionalNullable::Null)
            .quantity(7);
        client.items().update_item("i1", update).await.unwrap();
        assert_eq!(
            server.requests()[1].json(),
            json!({"status": null, "quantity": 7})
        );
        let archived = ItemUpdate::builder()
            .status(Open::Known(Status::Archived))
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&archived).unwrap(),
            json!({"status": "archived"})
        );
    }

    /// The limits of every member are checked: the alias's pattern and the other
    /// member's length, the bounds from both integer members.
    #[test]
    fn every_member_limits_the_value() {
        let item: Item = round_trip(json!({"status": "active", "sku": "ABC-1"}));
        assert_eq!(item.status, Some(Open::Known(Status::Active)));
        let err = ItemUpdate::builder().quantity(1001).build().unwrap_err();
        assert_eq!(violations(&err), [("quantity".to_string(), "maximum")]);
        let err = ItemUpdate::builder().quantity(-1).build().unwrap_err();
        assert_eq!(violations(&err), [("quantity".to_string(), "minimum")]);
        use orq_runtime::__private::Validate;
        let long = Item {
            status: None,
            sku: "ABCD-1234567890".into(),
            quantity: None,
            previous: None,
        };
        let err = long.validate().unwrap_err();
        assert_eq!(
            violations(&err),
            [
                ("sku".to_string(), "maxLength"),
                ("sku".to_string(), "pattern")
            ]
        );
    }
}
