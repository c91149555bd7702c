use super::*;

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "orq-codegen-cache-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of the multi-file fixture (a spec and nine files its `$ref`s lead to).
fn multifile(into: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("dir");
        for entry in std::fs::read_dir(from).expect("fixture").flatten() {
            let path = entry.path();
            let target = to.join(entry.file_name());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).expect("copy");
            }
        }
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/multifile");
    let spec = into.join("spec");
    copy(&fixture, &spec);
    spec.join("openapi.yaml")
}

fn settings(spec: &Path) -> Settings {
    Settings::new()
        .with_client_name("Droplets")
        .with_include_spec(spec.display().to_string())
}

fn entries(cache: &Cache) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache.dir())
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Everything a generation produced, comparable.
fn seen(generated: &Generated) -> (String, Vec<Diagnostic>, Vec<PathBuf>) {
    (
        generated.tokens.to_string(),
        generated.diagnostics.clone(),
        generated.files.clone(),
    )
}

#[test]
fn a_hit_gives_back_exactly_what_was_generated() {
    let scratch = Scratch::new("hit");
    let spec = multifile(&scratch.0);
    let cache = Cache::in_dir(scratch.0.join("cache"));
    let settings = settings(&spec);
    let (first, outcome) = cache.expand(&spec, &settings);
    assert_eq!(outcome, Outcome::Stored);
    let (second, outcome) = cache.expand(&spec, &settings);
    assert_eq!(outcome, Outcome::Hit);
    assert_eq!(seen(&first), seen(&second));
    assert_eq!(seen(&first), seen(&crate::expand_file(&spec, &settings)));
    assert_eq!(
        first.files.len(),
        10,
        "the spec and every file it refers to"
    );
    // The formatted SDK too, as the CLI and the snapshots print it.
    let format = |g: &Generated| crate::format_tokens(&g.tokens).expect("parses");
    assert_eq!(format(&first), format(&second));
    assert_eq!(
        entries(&cache).len(),
        1,
        "one entry, no temporary file left"
    );
}

#[test]
fn a_changed_byte_in_any_file_a_changed_setting_or_generator_is_a_miss() {
    let scratch = Scratch::new("miss");
    let spec = multifile(&scratch.0);
    let cache = Cache::in_dir(scratch.0.join("cache"));
    let settings = settings(&spec);
    assert_eq!(cache.expand(&spec, &settings).1, Outcome::Stored);

    // A file the spec's `$ref`s lead to (two levels down), one byte.
    let models = spec
        .parent()
        .expect("dir")
        .join("resources/networks/models.json");
    let original = std::fs::read_to_string(&models).expect("models");
    let changed = original.replacen("\"description\": \"", "\"description\": \"!", 1);
    assert_ne!(original, changed, "the fixture has a description to change");
    std::fs::write(&models, &changed).expect("write");
    let (generated, outcome) = cache.expand(&spec, &settings);
    assert_eq!(outcome, Outcome::Stored, "a miss, generated again");
    assert_eq!(
        seen(&generated),
        seen(&crate::expand_file(&spec, &settings))
    );
    // The same entry (same spec bytes) now records the new file: a hit again.
    assert_eq!(cache.expand(&spec, &settings).1, Outcome::Hit);

    // Another setting.
    let other = settings.clone().with_derive("Eq");
    assert_eq!(cache.expand(&spec, &other).1, Outcome::Stored);
    assert_eq!(cache.expand(&spec, &settings).1, Outcome::Hit, "both kept");

    // The spec itself.
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(&spec, format!("{text}\n# edited\n")).expect("write");
    assert_eq!(cache.expand(&spec, &settings).1, Outcome::Stored);

    // Another generator (another version, sources or build).
    let newer = Cache {
        generator: format!("{} and then some", cache.generator),
        ..cache.clone()
    };
    assert_eq!(newer.expand(&spec, &settings).1, Outcome::Stored);
    assert_eq!(newer.expand(&spec, &settings).1, Outcome::Hit);
}

#[test]
fn a_damaged_entry_is_never_trusted() {
    let scratch = Scratch::new("damaged");
    let spec = multifile(&scratch.0);
    let cache = Cache::in_dir(scratch.0.join("cache"));
    let settings = settings(&spec);
    let (fresh, _) = cache.expand(&spec, &settings);
    let [entry] = entries(&cache).try_into().expect("one entry");
    let whole = std::fs::read(&entry).expect("entry");
    let damages: Vec<Vec<u8>> = vec![
        // A byte flipped inside the tokens (a name in the middle of the SDK).
        {
            let mut bytes = whole.clone();
            let at = bytes.len() / 2;
            bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
            bytes
        },
        // Cut short.
        whole[..whole.len() - 10].to_vec(),
        // Something appended.
        [whole.as_slice(), b" fn x() {}"].concat(),
        // Not an entry at all.
        b"garbage".to_vec(),
        Vec::new(),
    ];
    for damaged in damages {
        std::fs::write(&entry, &damaged).expect("damage");
        let (generated, outcome) = cache.expand(&spec, &settings);
        assert_eq!(outcome, Outcome::Stored, "regenerated and stored anew");
        assert_eq!(seen(&generated), seen(&fresh));
        assert_eq!(std::fs::read(&entry).expect("entry"), whole, "repaired");
    }
}

#[test]
fn expansions_with_errors_are_not_stored() {
    let scratch = Scratch::new("errors");
    let spec = scratch.0.join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n",
    )
    .expect("spec");
    let cache = Cache::in_dir(scratch.0.join("cache"));
    for _ in 0..2 {
        let (generated, outcome) = cache.expand(&spec, &Settings::new());
        assert!(generated.has_errors());
        assert_eq!(outcome, Outcome::NotStored);
    }
    let (missing, outcome) = cache.expand(&scratch.0.join("nothing.yaml"), &Settings::new());
    assert!(missing.has_errors());
    assert_eq!(outcome, Outcome::NotStored);
    assert!(entries(&cache).is_empty());
}

#[test]
fn the_surface_check_of_a_hit_reads_the_surface_file_as_it_is_now() {
    let scratch = Scratch::new("surface");
    let spec = multifile(&scratch.0);
    let file = scratch.0.join("api.surface");
    let settings = settings(&spec).with_surface_file(&file);
    let cache = Cache::in_dir(scratch.0.join("cache"));
    let (first, _) = cache.expand(&spec, &settings);
    let first = first.surface.expect("a surface check");
    assert_eq!(first.recorded, crate::record::Recorded::Missing);
    first.update().expect("write the surface file");
    let (second, outcome) = cache.expand(&spec, &settings);
    assert_eq!(outcome, Outcome::Hit);
    let second = second.surface.expect("a surface check");
    assert_eq!(second.recorded, crate::record::Recorded::Current);
    assert_eq!(second.text, first.text);
    // A stale file: the changes, as a fresh expansion finds them.
    // The spec as it was before `Backup` had a size.
    let stale = first
        .text
        .lines()
        .filter(|l| !l.starts_with("field models::Backup size_gigabytes"))
        .collect::<Vec<_>>();
    std::fs::write(&file, stale.join("\n") + "\n").expect("edit");
    let (hit, outcome) = cache.expand(&spec, &settings);
    assert_eq!(outcome, Outcome::Hit);
    let fresh = crate::expand_file(&spec, &settings).surface.expect("check");
    let hit = hit.surface.expect("check");
    assert_eq!(hit.recorded, crate::record::Recorded::Stale);
    assert!(!hit.changes.is_empty());
    assert_eq!(
        (hit.recorded, hit.changes, hit.text),
        (fresh.recorded, fresh.changes, fresh.text)
    );
}

#[test]
fn the_least_recently_used_entries_go_first() {
    let scratch = Scratch::new("evict");
    let spec = multifile(&scratch.0);
    let cache = Cache {
        max_entries: 2,
        ..Cache::in_dir(scratch.0.join("cache"))
    };
    let clients = ["A", "B", "C"];
    let with = |client: &str| settings(&spec).with_client_name(client);
    for client in &clients[..2] {
        assert_eq!(cache.expand(&spec, &with(client)).1, Outcome::Stored);
        // File times have coarse resolution on some file systems.
        std::thread::sleep(Duration::from_millis(20));
    }
    // A is used again, so B is the least recently used when C comes in.
    assert_eq!(cache.expand(&spec, &with("A")).1, Outcome::Hit);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(cache.expand(&spec, &with("C")).1, Outcome::Stored);
    assert_eq!(entries(&cache).len(), 2);
    assert_eq!(cache.expand(&spec, &with("A")).1, Outcome::Hit);
    assert_eq!(cache.expand(&spec, &with("C")).1, Outcome::Hit);
    assert_eq!(
        cache.expand(&spec, &with("B")).1,
        Outcome::Stored,
        "evicted"
    );

    // Bounded by bytes too: an entry alone larger than the bound is not written.
    let tiny = Cache {
        max_bytes: 1000,
        ..Cache::in_dir(scratch.0.join("tiny"))
    };
    assert_eq!(tiny.expand(&spec, &with("A")).1, Outcome::NotStored);
    assert!(entries(&tiny).is_empty());
}

#[test]
fn builds_expanding_at_once_share_one_whole_entry() {
    let scratch = Scratch::new("concurrent");
    let spec = multifile(&scratch.0);
    let cache = Cache::in_dir(scratch.0.join("cache"));
    let settings = settings(&spec);
    let expected = seen(&crate::expand_file(&spec, &settings));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..3)
                        .map(|_| seen(&cache.expand(&spec, &settings).0))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for result in worker.join().expect("no panic") {
                assert_eq!(result, expected);
            }
        }
    });
    let [_entry] = entries(&cache)
        .try_into()
        .expect("one entry, no temporary file");
    assert_eq!(cache.expand(&spec, &settings).1, Outcome::Hit);
}

#[test]
fn the_cache_is_off_moved_or_next_to_the_build() {
    let scratch = Scratch::new("location");
    let out_dir = scratch.0.as_path();
    let default = Some(out_dir.join("expansions"));
    let var = |value: &str| Some(OsString::from(value));
    assert_eq!(location(None, out_dir), default);
    assert_eq!(location(var(""), out_dir), default);
    assert_eq!(location(var("on"), out_dir), default);
    for off in ["off", "OFF", "0", "false", "no"] {
        assert_eq!(location(var(off), out_dir), None, "{off}");
    }
    let elsewhere = scratch.0.join("elsewhere");
    assert_eq!(
        location(Some(elsewhere.clone().into_os_string()), out_dir),
        Some(elsewhere)
    );
    let relative = location(var("some/dir"), out_dir).expect("a directory");
    assert!(relative.is_absolute() && relative.ends_with("some/dir"));
    // A build directory that does not exist here (a binary built elsewhere): off.
    assert_eq!(location(None, &scratch.0.join("gone")), None);
}
