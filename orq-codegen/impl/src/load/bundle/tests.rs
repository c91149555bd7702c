//! Unit tests of bundling: names, cycles, copies, errors, bounds.

use super::*;
use serde_json::json;

/// A folder with `files` written in it (paths may have folders), removed on drop.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("orq-codegen-bundle-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            std::fs::write(path, text).expect("write");
        }
        Folder(dir)
    }

    /// Bundle `spec.yaml` of the folder: the document, what was read, the problems.
    fn bundle(&self) -> (Value, Sources, Vec<String>) {
        let spec = self.0.join("spec.yaml");
        let text = std::fs::read_to_string(&spec).expect("spec.yaml");
        let mut diags = Diagnostics::new(&spec);
        let mut doc = parse_yaml(&text, &mut diags).expect("spec.yaml parses");
        let sources = bundle(&mut doc, &spec, &mut diags);
        let dir = self.0.display().to_string();
        let problems = diags
            .into_vec()
            .into_iter()
            .map(|d| d.to_string().replace(&dir, "DIR"))
            .collect();
        (doc, sources, problems)
    }

    fn shown(&self, sources: &Sources) -> Vec<String> {
        sources
            .files
            .iter()
            .map(|f| f.strip_prefix(&self.0).unwrap_or(f).display().to_string())
            .collect()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn targets_are_copied_into_components_under_their_own_names() {
    let spec = format!(
        "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - $ref: 'shared/params.yaml#/limit'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'models/pet.yaml#/Pet'}}\n"
    );
    let folder = Folder::new(
        "hoist",
        &[
            ("spec.yaml", &spec),
            (
                "models/pet.yaml",
                "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n    tag: {$ref: 'tag.json'}\nOwner: {type: string}\n",
            ),
            ("models/tag.json", r#"{"type": "string", "maxLength": 9}"#),
            (
                "shared/params.yaml",
                "limit: {name: limit, in: query, schema: {$ref: '../models/pet.yaml#/Owner'}}\n",
            ),
        ],
    );
    let (doc, sources, problems) = folder.bundle();
    assert!(problems.is_empty(), "{problems:#?}");
    let op = &doc["paths"]["/pets"]["get"];
    assert_eq!(
        op["parameters"][0],
        json!({"$ref": "#/components/parameters/limit"})
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    let components = &doc["components"];
    assert_eq!(
        components["parameters"]["limit"]["schema"],
        json!({"$ref": "#/components/schemas/Owner"})
    );
    assert_eq!(
        components["schemas"]["Pet"]["properties"],
        json!({"owner": {"$ref": "#/components/schemas/Owner"}, "tag": {"$ref": "#/components/schemas/tag"}})
    );
    assert_eq!(
        components["schemas"]["tag"],
        json!({"type": "string", "maxLength": 9})
    );
    assert_eq!(components["schemas"]["Owner"], json!({"type": "string"}));
    assert_eq!(
        folder.shown(&sources),
        [
            "spec.yaml",
            "shared/params.yaml",
            "models/pet.yaml",
            "models/tag.json"
        ]
    );
}

#[test]
fn a_component_that_is_a_ref_gives_the_target_its_name() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    List: {{type: array, items: {{$ref: 'pet.yaml'}}}}\n    Pet: {{$ref: 'pet.yaml'}}\n    Alias: {{$ref: 'pet.yaml'}}\n"
    );
    let folder = Folder::new(
        "entry",
        &[
            ("spec.yaml", &spec),
            (
                "pet.yaml",
                "type: object\nproperties:\n  name: {type: string}\n",
            ),
        ],
    );
    let (doc, _, problems) = folder.bundle();
    assert!(problems.is_empty(), "{problems:#?}");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["List"]["items"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        schemas["Pet"]["properties"]["name"],
        json!({"type": "string"})
    );
    assert_eq!(
        schemas["Alias"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(schemas.as_object().map(|s| s.len()), Some(3), "{schemas}");
}

#[test]
fn names_taken_are_made_unique_deterministically() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Item: {{type: integer}}\n    A: {{$ref: 'a/items.yaml#/Item'}}\n    B: {{$ref: 'b/items.yaml#/Item'}}\n    C: {{$ref: 'c/items.yaml#/Item'}}\n    D: {{type: object, properties: {{x: {{$ref: 'a/items.yaml#/Item'}}}}}}\n"
    );
    let folder = Folder::new(
        "names",
        &[
            ("spec.yaml", &spec),
            ("a/items.yaml", "Item: {type: string}\n"),
            ("b/items.yaml", "Item: {type: boolean}\n"),
            ("c/items.yaml", "Item: {type: number}\n"),
        ],
    );
    let first = folder.bundle();
    assert!(first.2.is_empty(), "{:#?}", first.2);
    let schemas = &first.0["components"]["schemas"];
    // The spec's own `Item` keeps its name; `A` is the first to take `a/items.yaml`'s.
    assert_eq!(schemas["Item"], json!({"type": "integer"}));
    assert_eq!(schemas["A"], json!({"type": "string"}));
    assert_eq!(
        schemas["D"]["properties"]["x"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(schemas["B"], json!({"type": "boolean"}));
    let folder_two = Folder::new(
        "names-unique",
        &[
            (
                "spec.yaml",
                &format!(
                    "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Item: {{type: integer}}\n    D: {{type: object, properties: {{a: {{$ref: 'a/items.yaml#/Item'}}, b: {{$ref: 'b/items.yaml#/Item'}}, c: {{$ref: 'c/items.yaml#/Item'}}}}}}\n"
                ),
            ),
            ("a/items.yaml", "Item: {type: string}\n"),
            ("b/items.yaml", "Item: {type: boolean}\n"),
            ("c/items.yaml", "Item: {type: number}\n"),
        ],
    );
    let (doc, _, problems) = folder_two.bundle();
    assert!(problems.is_empty(), "{problems:#?}");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["D"]["properties"],
        json!({
            "a": {"$ref": "#/components/schemas/items_Item"},
            "b": {"$ref": "#/components/schemas/Item_2"},
            "c": {"$ref": "#/components/schemas/Item_3"},
        })
    );
    assert_eq!(schemas["Item_3"], json!({"type": "number"}));
    assert_eq!(
        folder_two.bundle().0,
        doc,
        "the same files give the same document"
    );
}

#[test]
fn cycles_across_files_become_cycles_of_components() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Node: {{type: object, properties: {{next: {{$ref: 'b.yaml#/Link'}}}}}}\n"
    );
    let folder = Folder::new(
        "cycle",
        &[
            ("spec.yaml", &spec),
            (
                "b.yaml",
                "Link:\n  type: object\n  properties:\n    node: {$ref: 'spec.yaml#/components/schemas/Node'}\n    other: {$ref: 'c.json#/Other'}\n",
            ),
            (
                "c.json",
                r#"{"Other": {"type": "object", "properties": {"back": {"$ref": "b.yaml#/Link"}}}}"#,
            ),
        ],
    );
    let (doc, sources, problems) = folder.bundle();
    assert!(problems.is_empty(), "{problems:#?}");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Link"]["properties"],
        json!({"node": {"$ref": "#/components/schemas/Node"}, "other": {"$ref": "#/components/schemas/Other"}})
    );
    assert_eq!(
        schemas["Other"]["properties"]["back"],
        json!({"$ref": "#/components/schemas/Link"})
    );
    assert_eq!(sources.files.len(), 3);
}

#[test]
fn path_items_are_copied_in_place_with_their_refs_relative_to_their_file() {
    let spec = format!("{HEAD}paths:\n  /a:\n    $ref: 'paths/a.yaml'\n");
    let folder = Folder::new(
        "inline",
        &[
            ("spec.yaml", &spec),
            (
                "paths/a.yaml",
                "get:\n  responses:\n    '200': {$ref: '../responses.yaml#/ok'}\n",
            ),
            ("responses.yaml", "ok: {description: fine}\n"),
        ],
    );
    let (doc, sources, problems) = folder.bundle();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(
        doc["paths"]["/a"],
        json!({"get": {"responses": {"200": {"$ref": "#/components/responses/ok"}}}})
    );
    assert_eq!(
        doc["components"]["responses"]["ok"],
        json!({"description": "fine"})
    );
    let moved = sources.locate(Diagnostic {
        severity: crate::diag::Severity::Error,
        file: folder.0.join("spec.yaml"),
        location: Location::Pointer("#/paths/~1a/get/responses".into()),
        message: "m".into(),
        help: None,
    });
    assert_eq!(moved.file, folder.0.join("paths/a.yaml"));
    assert_eq!(moved.location, Location::Pointer("#/get/responses".into()));
    let hoisted = sources.locate(Diagnostic {
        severity: crate::diag::Severity::Error,
        file: folder.0.join("spec.yaml"),
        location: Location::Pointer("#/components/responses/ok/description".into()),
        message: "m".into(),
        help: None,
    });
    assert_eq!(hoisted.file, folder.0.join("responses.yaml"));
    assert_eq!(
        hoisted.location,
        Location::Pointer("#/ok/description".into())
    );
}

#[test]
fn a_ref_that_cannot_be_followed_is_one_error_where_it_is_written() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'gone.yaml#/p'\n        - {{name: q, in: query}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'parts.yaml#/Thing'}}\n  /b:\n    $ref: 'https://example.com/paths.yaml#/b'\n"
    );
    let folder = Folder::new(
        "errors",
        &[
            ("spec.yaml", &spec),
            (
                "parts.yaml",
                "Thing:\n  type: object\n  properties:\n    x: {$ref: 'sub/../missing.json'}\n    y: {$ref: '#/Nothing'}\n    z: {$ref: 'broken.yaml#/z'}\n    w: {$ref: '#anchor'}\n",
            ),
            ("broken.yaml", "z: [unclosed\n"),
        ],
    );
    let (doc, _, problems) = folder.bundle();
    assert_eq!(problems.len(), 7, "{problems:#?}");
    let expected = [
        "DIR/spec.yaml at #/paths/~1a/get/parameters/0/$ref: `$ref` `gone.yaml#/p` points at the file `DIR/gone.yaml`, which cannot be read: ",
        "DIR/spec.yaml at #/paths/~1b/$ref: `$ref` `https://example.com/paths.yaml#/b` points at a remote document, which orq-codegen does not fetch\n  help: there is no network at build time",
        "DIR/parts.yaml at #/Thing/properties/x/$ref: `$ref` `sub/../missing.json` points at the file `DIR/missing.json`, which cannot be read: ",
        "DIR/parts.yaml at #/Thing/properties/y/$ref: `$ref` `#/Nothing` points at `#/Nothing` in `DIR/parts.yaml`, which has nothing there",
        "DIR/broken.yaml:2:1: YAML syntax error: ",
        "DIR/parts.yaml at #/Thing/properties/z/$ref: `$ref` `broken.yaml#/z` points at the file `DIR/broken.yaml`, which does not parse\n  help: fix the problem reported in that file",
        "DIR/parts.yaml at #/Thing/properties/w/$ref: the fragment of `$ref` `#anchor` is not a JSON pointer",
    ];
    for (found, expected) in problems.iter().zip(expected) {
        assert!(
            found.starts_with(expected),
            "{found}\n  expected: {expected}"
        );
    }
    assert!(
        problems[2].contains(
            "help: the path is relative to the file that holds the `$ref` (DIR/parts.yaml)"
        ),
        "{}",
        problems[2]
    );
    // What failed is gone, so each problem is one error.
    let op = &doc["paths"]["/a"]["get"];
    assert_eq!(op["parameters"], json!([{"name": "q", "in": "query"}]));
    assert_eq!(
        doc["components"]["schemas"]["Thing"]["properties"],
        json!({"x": {}, "y": {}, "z": {}, "w": {}})
    );
    assert!(doc["paths"].get("/b").is_none());
}

#[test]
fn a_remote_component_is_one_error_and_no_file() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Remote: {{$ref: 'https://example.com/a.yaml#/A'}}\n    Local: {{$ref: 'a.yaml#/A'}}\n"
    );
    let folder = Folder::new(
        "remote-component",
        &[("spec.yaml", &spec), ("a.yaml", "A: {type: string}\n")],
    );
    let (doc, sources, problems) = folder.bundle();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("DIR/spec.yaml at #/components/schemas/Remote/$ref: "),
        "{}",
        problems[0]
    );
    assert_eq!(folder.shown(&sources), ["spec.yaml", "a.yaml"]);
    assert_eq!(doc["components"]["schemas"]["Remote"], json!({}));
    assert_eq!(
        doc["components"]["schemas"]["Local"],
        json!({"type": "string"})
    );
}

#[test]
fn copies_that_multiply_are_bounded() {
    // Each file's callback has two path items that are the next file: 2^20 copies.
    let mut files = vec![(
        "spec.yaml".to_string(),
        format!("{HEAD}paths:\n  /a: {{$ref: 'f0.yaml'}}\n"),
    )];
    for i in 0..20 {
        let next = format!("f{}.yaml", i + 1);
        files.push((
            format!("f{i}.yaml"),
            format!("post:\n  responses: {{}}\n  callbacks:\n    c:\n      a: {{$ref: '{next}'}}\n      b: {{$ref: '{next}'}}\n"),
        ));
    }
    files.push(("f20.yaml".into(), "get: {responses: {}}\n".into()));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let folder = Folder::new("multiply", &files);
    let started = std::time::Instant::now();
    let (_, _, problems) = folder.bundle();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "no hang"
    );
    assert_eq!(
        problems.len(),
        1,
        "reported once, not {} times",
        problems.len()
    );
    assert!(
        problems[0].contains("more than 10000 path items"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_loop_of_copied_targets_is_an_error() {
    let spec = format!("{HEAD}paths:\n  /a: {{$ref: 'a.yaml'}}\n");
    let folder = Folder::new(
        "loop",
        &[
            ("spec.yaml", &spec),
            ("a.yaml", "$ref: 'b.yaml'\n"),
            ("b.yaml", "$ref: 'a.yaml'\n"),
        ],
    );
    let (_, _, problems) = folder.bundle();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("DIR/b.yaml at #/$ref: `$ref` `a.yaml` leads back to itself"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_document_without_refs_to_other_files_is_left_alone() {
    let mut diags = Diagnostics::new(Path::new("x.yaml"));
    let mut doc = json!({"paths": {"/a": {"$ref": "#/x"}}, "components": {"examples": {"e": {"value": {"$ref": "other.yaml"}}}}});
    let before = doc.clone();
    let sources = bundle(&mut doc, Path::new("x.yaml"), &mut diags);
    assert!(diags.is_empty());
    assert_eq!(doc, before, "data inside examples is never followed");
    assert_eq!(sources.files, [PathBuf::from("x.yaml")]);
}

#[test]
fn paths_and_fragments_are_decoded_and_normalized() {
    assert_eq!(
        split("my%20models.yaml#/components/schemas/A%7EB"),
        Some(("my models.yaml".into(), "/components/schemas/A~B".into()))
    );
    assert_eq!(split("x.yaml#name"), None);
    assert_eq!(split("x.json"), Some(("x.json".into(), String::new())));
    assert_eq!(
        normalize(Path::new("a/./b/../../c/d")),
        PathBuf::from("c/d")
    );
    assert_eq!(normalize(Path::new("../a/../b")), PathBuf::from("../b"));
    assert_eq!(uri_scheme("https://x/y.yaml"), Some("https"));
    assert_eq!(uri_scheme("urn:x"), Some("urn"));
    assert_eq!(uri_scheme("C:/specs/a.yaml"), None);
    assert_eq!(uri_scheme("a.yaml#/b:c"), None);
}
