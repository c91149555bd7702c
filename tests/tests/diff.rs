//! `orq-codegen diff`: the fixture pairs of `tests/fixtures/diff/` (one per family of
//! changes, each with the classification it must get), Markdown reports of a pair made
//! from the orq spec and of one made from DocSpace, multi-file specs, and the build
//! setting's recorded surface file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orq_codegen_impl::diff::report::{Format, Report, Side};
use orq_codegen_impl::diff::{Change, ChangeKind, diff};
use orq_codegen_impl::record::Recorded;
use orq_codegen_impl::{Settings, Surface, surface_file};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn surface(spec: &Path, settings: &Settings) -> Surface {
    surface_file(spec, settings).unwrap_or_else(|d| panic!("{}: {d:#?}", spec.display()))
}

/// `impact kind item`, as the fixtures' `expected.txt` list them.
fn listed(changes: &[Change]) -> Vec<String> {
    let impact = |c: &Change| match c.impact {
        orq_codegen_impl::diff::Impact::Breaking => "breaking",
        orq_codegen_impl::diff::Impact::Behavior => "behavior",
        orq_codegen_impl::diff::Impact::Additive => "additive",
    };
    changes
        .iter()
        .map(|c| format!("{} {} {}", impact(c), c.kind.as_str(), c.item))
        .collect()
}

fn pairs() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/diff");
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/diff")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn every_fixture_pair_gets_its_expected_changes() {
    let settings = Settings::new();
    let pairs = pairs();
    assert!(pairs.len() >= 15, "{pairs:?}");
    for pair in pairs {
        let old = surface(&pair.join("old.yaml"), &settings);
        let new = surface(&pair.join("new.yaml"), &settings);
        let found = listed(&diff(&old, &new));
        let expected = std::fs::read_to_string(pair.join("expected.txt")).expect("expected.txt");
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(found, expected, "{}", pair.display());
        // Each change says where it is in the spec it is in.
        for change in diff(&old, &new) {
            assert!(
                change.old_at.is_some() || change.new_at.is_some(),
                "{change:?}"
            );
        }
        assert!(diff(&new, &new).is_empty(), "{}", pair.display());
    }
}

#[test]
fn every_kind_of_change_has_a_fixture_pair() {
    let mut seen = BTreeSet::new();
    for pair in pairs() {
        let expected = std::fs::read_to_string(pair.join("expected.txt")).expect("expected.txt");
        for line in expected.lines() {
            if let Some(kind) = line.split(' ').nth(1) {
                seen.insert(kind.to_owned());
            }
        }
    }
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !seen.contains(*k))
        .collect();
    assert!(missing.is_empty(), "no fixture pair shows {missing:?}");
}

fn markdown(old: (&str, &Surface), new: (&str, &Surface)) -> String {
    let side = |(spec, surface): (&str, &Surface)| Side {
        spec: spec.to_owned(),
        title: surface.client.title.clone(),
        version: surface.client.version.clone(),
    };
    let (old_side, new_side) = (side(old), side(new));
    let changes = diff(old.1, new.1);
    Report {
        old: &old_side,
        new: &new_side,
        changes: &changes,
    }
    .render(Format::Markdown)
}

#[test]
fn the_orq_spec_and_its_next_version() {
    let settings = Settings::new().with_client_name("Orq");
    let old = surface(&root().join("spec/orq.yaml"), &settings);
    let new = surface(&root().join("tests/fixtures/diff/orq-next.yaml"), &settings);
    insta::assert_snapshot!(
        "diff_orq",
        markdown(
            ("spec/orq.yaml", &old),
            ("tests/fixtures/diff/orq-next.yaml", &new)
        )
    );
}

/// DocSpace with the changes of the issue: an operation removed, a parameter made
/// required, a field's type changed, an enum value added. The spec is edited as a YAML
/// value; the old side is the same value written back unedited, so that only the edits
/// differ.
#[cfg(docspace)]
#[test]
fn docspace_edited() {
    use serde_yaml::Value;
    let spec = std::env::var("ORQ_DOCSPACE_SPEC").expect("ORQ_DOCSPACE_SPEC");
    let text = std::fs::read_to_string(&spec).expect("the DocSpace spec");
    let mut doc: Value = serde_yaml::from_str(&text).expect("DocSpace parses");
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, doc: &Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_yaml::to_string(doc).expect("YAML")).expect("write");
        path
    };
    let old_path = write("docspace.yaml", &doc);

    let paths = &mut doc["paths"];
    // An operation removed: `DELETE /api/2.0/people/@self`.
    let profile = paths["/api/2.0/people/@self"]
        .as_mapping_mut()
        .expect("the @self path");
    profile.remove("delete").expect("deleteProfile");
    // A parameter made required: `email` of `GET /api/2.0/people/email`.
    let params = paths["/api/2.0/people/email"]["get"]["parameters"]
        .as_sequence_mut()
        .expect("parameters");
    let email = params
        .iter_mut()
        .find(|p| p["name"] == "email")
        .expect("the email parameter");
    email["required"] = Value::Bool(true);
    let schemas = &mut doc["components"]["schemas"];
    // A field's type changed: `UpdateMemberRequestDto.userId` is a UUID.
    schemas["UpdateMemberRequestDto"]["properties"]["userId"]["format"] = "uuid".into();
    // An enum value added: `EmployeeType` gets `Collaborator`.
    schemas["EmployeeType"]["enum"]
        .as_sequence_mut()
        .expect("EmployeeType values")
        .push("Collaborator".into());
    let new_path = write("docspace-next.yaml", &doc);

    let settings = Settings::new().with_client_name("DocSpace");
    let old = surface(&old_path, &settings);
    let new = surface(&new_path, &settings);
    insta::assert_snapshot!(
        "diff_docspace",
        markdown(("docspace.yaml", &old), ("docspace-next.yaml", &new))
    );
}

/// A change inside a file the spec refers to is placed in that file.
#[test]
fn changes_in_other_files_of_a_spec_are_placed_in_them() {
    let source = root().join("tests/fixtures/multifile");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&source, dir.path());
    let settings = Settings::new().with_client_name("Multifile");
    let spec = dir.path().join("openapi.yaml");
    let old = surface(&spec, &settings);
    let models = dir.path().join("resources/droplets/models.yml");
    let text = std::fs::read_to_string(&models).expect("models.yml");
    assert!(text.contains("    name:\n      type: string"), "{text}");
    std::fs::write(
        &models,
        text.replacen(
            "    name:\n      type: string",
            "    name:\n      type: integer",
            1,
        ),
    )
    .expect("edit models.yml");
    let new = surface(&spec, &settings);
    let changes = diff(&old, &new);
    let change = changes
        .iter()
        .find(|c| c.kind == ChangeKind::FieldTypeChanged)
        .unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!(change.item, "models::Droplet::name");
    assert_eq!(
        change.new_at.as_deref(),
        Some("resources/droplets/models.yml#/droplet/properties/name"),
        "{change:#?}"
    );
    assert_eq!(change.old_at, change.new_at);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// The build setting: the surface file missing, written, current, then stale with the
/// changes a spec edit made, as `expand_file` (the macro and `build.rs`) and
/// `check_file` (the CLI) see it.
#[test]
fn the_surface_file_follows_the_spec_once_updated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("orq.yaml");
    std::fs::copy(root().join("spec/orq.yaml"), &spec).expect("copy the spec");
    let file = dir.path().join("orq.surface");
    let settings = Settings::new()
        .with_client_name("Orq")
        .with_surface_file(&file);
    let check = |settings: &Settings| {
        orq_codegen_impl::expand_file(&spec, settings)
            .surface
            .expect("the setting is on")
    };
    let missing = check(&settings);
    assert_eq!(missing.recorded, Recorded::Missing);
    assert_eq!(
        missing.message(Path::new("orq.surface")),
        ["the API surface file orq.surface does not exist yet"]
    );
    missing.update().expect("write the file");
    let current = check(&settings);
    assert!(current.is_current(), "{:?}", current.recorded);
    assert!(current.message(&file).is_empty());
    // Byte for byte what `orq-codegen diff` reads as the old side.
    let recorded = std::fs::read_to_string(&file).expect("the file");
    assert_eq!(
        orq_codegen_impl::surface::file::parse(&recorded).expect("parses"),
        surface(&spec, &Settings::new().with_client_name("Orq"))
    );

    std::fs::copy(root().join("tests/fixtures/diff/orq-next.yaml"), &spec).expect("next");
    let stale = check(&settings);
    assert_eq!(stale.recorded, Recorded::Stale);
    let lines = stale.message(Path::new("orq.surface"));
    assert_eq!(
        lines[0],
        "the spec changed the SDK's API since orq.surface: 7 changes: 1 breaks the build, 2 change behaviour at run time, 4 additive"
    );
    assert!(
        lines.contains(&"  breaks the build: models::CreateContactRequestBody::email: now optional (was optional, nullable): `Option<String>` (was `OptionalNullable<String>`)".to_owned()),
        "{lines:#?}"
    );
    // `check` sees the same.
    let checked = orq_codegen_impl::check_file(&spec, &settings).expect("checks");
    assert_eq!(checked.surface.expect("on").changes, stale.changes);

    std::fs::write(&file, "# orq-codegen API surface 1\nwidget x - {}\n").expect("garble");
    let unreadable = check(&settings);
    assert!(
        matches!(&unreadable.recorded, Recorded::Unreadable(why) if why.contains("line 2")),
        "{:?}",
        unreadable.recorded
    );
    // Off: nothing is computed.
    let off = orq_codegen_impl::expand_file(&spec, &Settings::new().with_client_name("Orq"));
    assert!(off.surface.is_none());
}

/// The guide's example of the Markdown report is the report as it is.
#[test]
fn the_guide_shows_the_reports_as_they_are() {
    let page = root().join("docs/spec-changes.md");
    let page = std::fs::read_to_string(&page).expect("docs/spec-changes.md");
    for snapshot in ["diff__diff_orq.snap", "diff__diff_docspace.snap"] {
        let path = root().join("tests/tests/snapshots").join(snapshot);
        let text = std::fs::read_to_string(&path).expect("the snapshot");
        let body = text.splitn(3, "---\n").nth(2).expect("a snapshot body");
        assert!(
            page.contains(body.trim_end()),
            "docs/spec-changes.md shows another report than {}",
            path.display()
        );
    }
}
