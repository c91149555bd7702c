//! Inheritance by discriminator (`fixtures/inheritance.yaml`, in the shapes Java and C#
//! services publish): each child is a struct with its base's fields and its own, the base
//! an enum over the children tagged by the discriminator, with an `Unknown` that keeps
//! the raw JSON. Called against an axum server on 127.0.0.1 and the typed mock server.

#[deny(warnings)]
#[allow(dead_code)]
mod shelter {
    orq_codegen::generate!(
        spec = "fixtures/inheritance.yaml",
        client = "Shelter",
        mock = true
    );
}

use orq_runtime::Open;
use orq_tests::{Recorder, Reply};
use serde_json::{Value, json};
use shelter::models::{
    Cat, Channel, Circle, Dog, Email, Notification, Owner, Pet, Puppy, Shape, Square, Tag,
};

fn client(server: &Recorder) -> shelter::Shelter {
    shelter::Shelter::builder()
        .server_url(server.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_list_of_mixed_children_decodes_into_their_variants() {
    let parrot = json!({"petType": "parrot", "name": "Polly", "words": 12});
    let pets = json!([
        {"petType": "cat", "name": "Tom", "lives": 9},
        {"petType": "kitty", "name": "Kit"},
        {"petType": "dog", "name": "Rex", "goodBoy": true},
        {"petType": "Puppy", "name": "Bit", "goodBoy": false, "ageWeeks": 8},
        {"petType": "Hamster", "name": "Ham"},
        parrot.clone()
    ]);
    let server = Recorder::start(vec![Reply::json(200, pets.clone())], None).await;
    let pets_read = client(&server).pets().list_pets().await.unwrap();
    let [
        Pet::Cat(tom),
        Pet::Cat(kit),
        Pet::Dog(rex),
        Pet::Puppy(bit),
        Pet::Hamster(ham),
        Pet::Unknown(unknown),
    ] = pets_read.as_slice()
    else {
        panic!("{pets_read:?}");
    };
    assert_eq!((tom.name.as_str(), tom.lives), ("Tom", Some(9)));
    // A second mapping value of the same child keeps its value.
    assert_eq!(kit.pet_type, "kitty");
    assert_eq!(rex.good_boy, Some(true));
    // The grandchild: found by scanning, named by its schema, with every level's fields.
    assert_eq!(
        (bit.name.as_str(), bit.good_boy, bit.age_weeks),
        ("Bit", Some(false), Some(8))
    );
    // A child with nothing of its own is a struct of the base's fields.
    assert_eq!(ham.name, "Ham");
    // A kind this client does not know is kept whole.
    assert_eq!(unknown, &parrot);
    // And everything is written back as it came.
    assert_eq!(serde_json::to_value(&pets_read).unwrap(), pets);
}

#[tokio::test]
async fn an_unknown_child_is_sent_back_unchanged_and_a_known_one_with_its_tag_once() {
    let parrot = json!({"petType": "parrot", "name": "Polly", "words": 12});
    let server = Recorder::start(
        vec![
            Reply::json(201, parrot.clone()),
            Reply::json(201, json!({"petType": "cat", "name": "Tom"})),
        ],
        None,
    )
    .await;
    let client = client(&server);
    let stored = client
        .pets()
        .add_pet(Pet::Unknown(parrot.clone()))
        .await
        .unwrap();
    assert_eq!(stored, Pet::Unknown(parrot.clone()));
    assert_eq!(server.requests()[0].json(), parrot);
    // The builder fills in the child's own tag; the enum writes it once.
    let tom = Cat::builder().name("Tom").build().unwrap();
    assert_eq!(tom.pet_type, "cat");
    let stored = client.pets().add_pet(Pet::Cat(tom)).await.unwrap();
    assert!(matches!(stored, Pet::Cat(ref cat) if cat.name == "Tom"));
    let sent = &server.requests()[1];
    assert_eq!(sent.json(), json!({"petType": "cat", "name": "Tom"}));
    let text = String::from_utf8(sent.body.to_vec()).unwrap();
    assert_eq!(text.matches("petType").count(), 1, "{text}");
}

#[tokio::test]
async fn a_child_used_directly_is_a_struct_that_carries_its_tag() {
    let server = Recorder::start(
        vec![Reply::json(
            201,
            json!({"petType": "cat", "name": "Tom", "lives": 3}),
        )],
        None,
    )
    .await;
    let cat = client(&server)
        .pets()
        .add_cat(Cat::builder().name("Tom").lives(3))
        .await
        .unwrap();
    assert_eq!(cat.lives, Some(3));
    assert_eq!(
        server.requests()[0].json(),
        json!({"petType": "cat", "name": "Tom", "lives": 3})
    );
    // The base's limits are the child's: `name` has `minLength: 1`, `lives` a maximum.
    let err = Cat::builder().name("").lives(10).build().unwrap_err();
    let found: Vec<(&str, &str)> = err
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.constraint))
        .collect();
    assert_eq!(found, [("name", "minLength"), ("lives", "maximum")]);
    // A caller may still set another of the child's values.
    let kit = Cat::builder()
        .name("Kit")
        .pet_type("kitty")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(Pet::Cat(kit)).unwrap(),
        json!({"petType": "kitty", "name": "Kit"})
    );
}

#[tokio::test]
async fn nullable_and_optional_uses_of_the_base() {
    let owner = json!({
        "name": "Ann",
        "favorite": {"petType": "dog", "name": "Rex"},
        "previous": null,
        "pets": [{"petType": "cat", "name": "Tom"}, {"petType": "ferret", "name": "F"}]
    });
    let server = Recorder::start(vec![Reply::json(200, owner.clone())], None).await;
    let read: Owner = client(&server).owners().get_owner("ann").await.unwrap();
    assert!(matches!(read.favorite, Pet::Dog(_)));
    assert_eq!(read.previous, None);
    assert_eq!(read.next, None);
    let pets = read.pets.as_deref().unwrap_or_default();
    assert!(matches!(pets, [Pet::Cat(_), Pet::Unknown(_)]));
    assert_eq!(serde_json::to_value(&read).unwrap(), owner);
    let with_previous: Owner = serde_json::from_value(json!({
        "name": "Bo", "favorite": {"petType": "cat", "name": "Tom"},
        "previous": {"petType": "Puppy", "name": "Bit"}, "next": {"petType": "kitty", "name": "Kit"}
    }))
    .unwrap();
    assert!(matches!(with_previous.previous, Some(Pet::Puppy(_))));
    assert!(matches!(with_previous.next, Some(Pet::Cat(_))));
}

#[tokio::test]
async fn one_of_bases_extended_back_and_enum_tags() {
    let shapes = json!([
        {"type": "Circle", "radius": 1.5},
        {"type": "Square", "side": 2.0},
        {"type": "Hexagon", "side": 1.0}
    ]);
    let notifications = json!([
        {"channel": "Email", "text": "Hi", "subject": "Hello"},
        {"channel": "Sms", "number": "+1 555"},
        {"channel": "Fax", "text": "?"}
    ]);
    let server = Recorder::start(
        vec![Reply::json(200, shapes), Reply::json(200, notifications)],
        None,
    )
    .await;
    let client = client(&server);
    let shapes = client.drawing().list_shapes().await.unwrap();
    assert!(matches!(
        shapes.as_slice(),
        [
            Shape::Circle(Circle { radius: Some(r), .. }),
            Shape::Square(Square { side: Some(_), .. }),
            Shape::Unknown(_)
        ] if *r == 1.5
    ));
    let notifications = client.notifications().list_notifications().await.unwrap();
    let [
        Notification::Email(email),
        Notification::Sms(_),
        Notification::Unknown(fax),
    ] = notifications.as_slice()
    else {
        panic!("{notifications:?}");
    };
    assert_eq!(email.channel, Open::Known(Channel::Email));
    assert_eq!(email.subject.as_deref(), Some("Hello"));
    assert_eq!(fax["channel"], "Fax");
    // Children of a `oneOf` base are plain structs too, their tag theirs.
    let email = Email {
        channel: Channel::Email.into(),
        text: None,
        subject: Some("s".into()),
    };
    assert_eq!(
        serde_json::to_value(Notification::Email(email)).unwrap(),
        json!({"channel": "Email", "subject": "s"})
    );
    // A base without children stays a struct.
    let tag: Tag = serde_json::from_value(json!({"kind": "color", "label": "red"})).unwrap();
    assert_eq!(tag.kind, "color");
}

#[tokio::test]
async fn the_mock_server_answers_with_typed_children() {
    use shelter::mock::MockServer;
    let server = MockServer::start().await;
    let parrot: Value = json!({"petType": "parrot", "name": "Polly"});
    let unknown = parrot.clone();
    server.pets().list_pets(move |_| {
        let unknown = unknown.clone();
        async move {
            Ok(vec![
                Pet::Dog(Dog {
                    pet_type: "dog".into(),
                    name: "Rex".into(),
                    good_boy: Some(true),
                }),
                Pet::Puppy(Puppy {
                    pet_type: "Puppy".into(),
                    name: "Bit".into(),
                    good_boy: None,
                    age_weeks: Some(8),
                }),
                Pet::Unknown(unknown),
            ])
        }
    });
    server
        .pets()
        .add_pet(|request| async move { Ok(request.body) });
    let client = server.client();
    let pets = client.pets().list_pets().await.unwrap();
    assert!(
        matches!(pets.as_slice(), [Pet::Dog(_), Pet::Puppy(_), Pet::Unknown(p)] if *p == parrot)
    );
    let tom = Cat::builder().name("Tom").build().unwrap();
    let echoed = client.pets().add_pet(Pet::Cat(tom.clone())).await.unwrap();
    assert_eq!(echoed, Pet::Cat(tom));
    // The mock server checks the child's limits like the client does.
    let empty = Cat {
        pet_type: "cat".into(),
        name: String::new(),
        lives: None,
    };
    let err = client.pets().add_pet(Pet::Cat(empty)).await.unwrap_err();
    assert!(
        matches!(err, orq_runtime::Error::InvalidRequest(_)),
        "{err}"
    );
}
