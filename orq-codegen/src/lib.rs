//! `generate!`: a typed async Rust SDK from an OpenAPI document, at compile time.
//!
//! ```
//! mod pets {
//!     orq_codegen::generate!(spec = "docs/pets.yaml", client = "Pets");
//! }
//!
//! # async fn run() -> Result<(), orq_runtime::Error> {
//! let client = pets::Pets::builder().bearer("token").build()?;
//! let page = client.pets().list().limit(10).status(pets::models::PetStatus::Available).await?;
//! # Ok(()) }
//! ```
//!
//! The options of the macro are listed on [`generate!`]; below is the guide to the
//! generator (the runtime's pages, about errors, retries, streams, files and the mock
//! server, are the documentation of [`orq-runtime`](https://docs.rs/orq-runtime)). Each page
//! is a file under `docs/` in the repository.
//!
// The pages are Markdown files under the repository's `docs/` (linked here, so the package
// carries them); `links.md` points the links between pages at their rustdoc places. Their
// examples are compiled as doctests of this crate, with `docs/pets.yaml` as the spec.
#![doc = include_str!("../docs/links.md")]
#![doc = include_str!("../docs/your-spec.md")]
#![doc = include_str!("../docs/cli-and-build-rs.md")]
#![doc = include_str!("../docs/spec-changes.md")]
#![doc = include_str!("../docs/diagnostics.md")]
#![doc = include_str!("../docs/type-mapping.md")]
#![doc = include_str!("../docs/architecture.md")]
#![doc = include_str!("../docs/packages.md")]
#![doc = include_str!("../docs/compile-cost.md")]
#![doc = include_str!("../docs/tests.md")]
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token, braced, bracketed};

use orq_codegen_impl::Settings;

/// Generate models, client, groups and standalone functions from an OpenAPI document.
///
/// `generate!(spec = "path", option = value, ..)` in a module of its own (see the crate
/// documentation for an example and the guide). The path is relative to the calling crate's `CARGO_MANIFEST_DIR`; `.yaml`, `.yml` and
/// `.json` documents are accepted, and `$ref`s to other files (relative to the file that holds
/// them) are followed. The expansion includes the spec and every file it refers to with
/// `include_bytes!`, so editing any of them regenerates the SDK on the next build. Options:
///
/// - `spec = "path"` (required): the Swagger 2.0 or OpenAPI 3.0/3.1 document.
/// - `client = "Name"`: the client type (default `Client`).
/// - `env_prefix = "NAME"`: prefix of the variables `from_env` reads (default: the client name in SCREAMING_SNAKE_CASE).
/// - `derive = ["Eq", "Hash"]`: extra derives on every model.
/// - `tags = ["people"]`, `operations = ["getAll"]`: generate only these operations and
///   the models they use (an operation's tag is its first; untagged operations, methods
///   of the client itself, are selected by `operations` only).
/// - `replace = { Schema = "my::Type" }`: use an existing type for a component schema.
/// - `runtime = "::orq_runtime"`: the runtime crate path.
/// - `doc_tests = "my_crate::api"` (or `["my_crate::api", "orq_runtime"]`): compile each
///   operation's rustdoc example as a `no_run` doctest, naming the SDK (and the runtime's
///   types, re-exported there or at the second path) by that path; without it the examples
///   are shown but not compiled, so a large SDK adds no doctests.
/// - `response_builders = true`: builders for every struct, also those only responses
///   carry (by default only types a request can send get one), e.g. to build mock replies.
/// - `mock = true` (or `mock = "feature"`: only when the calling crate's cargo feature is on):
///   a `mock` module with a typed mock server of the API, for tests (needs `orq-runtime`'s
///   feature `mock`).
/// - `features = "tags"`: each group (tag) is a cargo feature of the calling crate: its
///   methods, requests, error enums, mock handlers and the models only it reaches are
///   compiled only when the feature is on (models several groups reach when any of them
///   is); operations without tags under the feature `untagged`. `orq-codegen features
///   <spec>` prints the `[features]` table the crate declares.
/// - `models_only = true`: only the `models` module (the types and their serde impls: no
///   builders, checks, client or operations); the floor `bench/compile.sh` compares the
///   SDK's compile time with.
/// - `surface = "api.surface"`: a committed file recording the SDK's API surface. When a
///   spec change changes the API, the build warns (a `deprecated` warning at this option
///   that lists every change) until the file records the new surface:
///   `ORQ_SURFACE=update cargo build` writes it.
///
/// **Expansion cache.** An expansion is kept in the target directory (next to the build
/// of the generator) and used again while the spec and every file its `$ref`s lead to,
/// the options and the generator are byte for byte the same, so rebuilding a crate whose
/// spec did not change does not read and generate it again. `ORQ_CODEGEN_CACHE=off`
/// turns it off; `ORQ_CODEGEN_CACHE=/some/dir` keeps it elsewhere. See
/// [`orq_codegen_impl::cache`]. `ORQ_CODEGEN_TIMINGS=1` makes every expansion print how
/// long it took and whether it came from the cache.
///
/// The macro is a thin shim over [`orq_codegen_impl`]: spec problems become compile errors
/// at the spec path that name the file, the place in the spec (line:column or a JSON
/// pointer) and what to do, all reported at once; the parts of the spec that are fine
/// still generate, so one problem is one error and not fifty.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let started = std::time::Instant::now();
    let input: proc_macro2::TokenStream = input.into();
    let mut source = Source::default();
    // The generator is built and fuzzed never to panic; should it anyway, the user gets a
    // located error asking for a report instead of a bare "proc macro panicked".
    let expanded =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| expand(input, &mut source)));
    if std::env::var_os(TIMINGS_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!(
            "orq-codegen: {} expanded in {:.3} s ({})",
            source.spec.display(),
            started.elapsed().as_secs_f64(),
            source.how
        );
    }
    match expanded {
        Ok(Ok(tokens)) => tokens.into(),
        Ok(Err(err)) => err.to_compile_error().into(),
        Err(_) => syn::Error::new(
            Span::call_site(),
            "orq-codegen hit an internal error on this spec; please report it with the spec attached",
        )
        .to_compile_error()
        .into(),
    }
}

/// With this variable set (not `0`), every expansion prints one line on standard error:
/// the spec, how long the macro took and whether the expansion came from the cache. For
/// measuring builds (`bench/compile.sh` reads it); cargo shows the line with the build's.
const TIMINGS_VAR: &str = "ORQ_CODEGEN_TIMINGS";

/// What an expansion read and where its code came from, for [`TIMINGS_VAR`].
#[derive(Default)]
struct Source {
    spec: PathBuf,
    how: &'static str,
}

struct Args {
    spec: LitStr,
    settings: Settings,
    /// `surface = "path"`: the surface file as written.
    surface: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut spec = None;
        let mut surface = None;
        let mut settings = Settings::new();
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "spec" => spec = Some(input.parse::<LitStr>()?),
                "surface" => surface = Some(input.parse::<LitStr>()?),
                "client" => settings = settings.with_client_name(ident_value(input)?),
                "env_prefix" => {
                    settings = settings.with_env_prefix(input.parse::<LitStr>()?.value())
                }
                "runtime" => {
                    settings = settings.with_runtime_path(input.parse::<LitStr>()?.value())
                }
                "doc_tests" => {
                    // `"sdk::path"` (which re-exports the runtime's types, as orq-client
                    // does) or `["sdk::path", "runtime::path"]`.
                    let paths: Vec<LitStr> = if input.peek(syn::token::Bracket) {
                        list(input)?.into_iter().collect()
                    } else {
                        vec![input.parse::<LitStr>()?]
                    };
                    for path in &paths {
                        path.parse::<syn::Path>()?;
                    }
                    let (sdk, runtime) = match paths.as_slice() {
                        [both] => (both, both),
                        [sdk, runtime] => (sdk, runtime),
                        _ => {
                            return Err(syn::Error::new(
                                key.span(),
                                "`doc_tests` takes a path, or a list of two: the SDK's and the runtime's",
                            ));
                        }
                    };
                    settings = settings.with_doc_tests(sdk.value(), runtime.value());
                }
                "response_builders" => {
                    settings = settings.with_response_builders(input.parse::<syn::LitBool>()?.value)
                }
                "models_only" => {
                    settings = settings.with_models_only(input.parse::<syn::LitBool>()?.value)
                }
                "mock" => {
                    // `true`/`false`, or the cargo feature that gates the module.
                    settings = if input.peek(LitStr) {
                        settings.with_mock_feature(input.parse::<LitStr>()?.value())
                    } else {
                        settings.with_mock(input.parse::<syn::LitBool>()?.value)
                    }
                }
                "features" => {
                    // What becomes a cargo feature: `"tags"`, each group.
                    let value = input.parse::<LitStr>()?;
                    if value.value() != "tags" {
                        return Err(syn::Error::new(
                            value.span(),
                            "expected `features = \"tags\"` (each group a cargo feature)",
                        ));
                    }
                    settings = settings.with_features_per_tag(true);
                }
                "derive" => {
                    for path in list(input)? {
                        settings = settings.with_derive(path.value());
                    }
                }
                "tags" => {
                    for tag in list(input)? {
                        settings = settings.with_tag(tag.value());
                    }
                }
                "operations" => {
                    for op in list(input)? {
                        settings = settings.with_operation(op.value());
                    }
                }
                "replace" => {
                    let content;
                    braced!(content in input);
                    while !content.is_empty() {
                        let schema: syn::Ident = content.parse()?;
                        content.parse::<Token![=]>()?;
                        let path: LitStr = content.parse()?;
                        path.parse::<syn::Path>()?;
                        settings = settings.with_replacement(schema.to_string(), path.value());
                        if !content.is_empty() {
                            content.parse::<Token![,]>()?;
                        }
                    }
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`; expected one of: spec, client, env_prefix, derive, tags, operations, replace, runtime, response_builders, doc_tests, mock, features, surface, models_only"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let spec = spec.ok_or_else(|| {
            syn::Error::new(
                Span::call_site(),
                "missing `spec = \"path/to/openapi.yaml\"`",
            )
        })?;
        Ok(Args {
            spec,
            settings,
            surface,
        })
    }
}

fn ident_value(input: ParseStream) -> syn::Result<String> {
    let lit: LitStr = input.parse()?;
    let value = lit.value();
    syn::parse_str::<syn::Ident>(&value).map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`{value}` is not a valid Rust type name"),
        )
    })?;
    Ok(value)
}

fn list(input: ParseStream) -> syn::Result<Punctuated<LitStr, Token![,]>> {
    let content;
    bracketed!(content in input);
    Punctuated::parse_terminated(&content)
}

fn expand(
    input: proc_macro2::TokenStream,
    source: &mut Source,
) -> syn::Result<proc_macro2::TokenStream> {
    let Args {
        spec,
        settings,
        surface,
    } = syn::parse2(input)?;
    let path = resolve(&spec.value());
    let settings = match &surface {
        Some(file) => settings.with_surface_file(resolve(&file.value())),
        None => settings,
    };
    // A missing file cannot be included; its diagnostic says so instead.
    let settings = if path.is_file() {
        settings.with_include_spec(path.display().to_string())
    } else {
        settings
    };
    // An unchanged spec expands from the cache of earlier expansions (see
    // `orq_codegen_impl::cache`; `ORQ_CODEGEN_CACHE=off` turns it off).
    use orq_codegen_impl::cache::{Cache, Outcome};
    source.spec = path.clone();
    let generated = match Cache::for_macro() {
        Some(cache) => {
            let (generated, outcome) = cache.expand(&path, &settings);
            source.how = match outcome {
                Outcome::Hit => "from the cache",
                Outcome::Stored => "generated, then cached",
                Outcome::NotStored => "generated, not cached",
            };
            generated
        }
        None => {
            source.how = "generated, cache off";
            orq_codegen_impl::expand_file(&path, &settings)
        }
    };
    // The spec path as written in the call (and the files its `$ref`s point at relative to
    // the crate), so messages are short and stable.
    let shown = Path::new(&spec.value()).to_path_buf();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    // Degradations are not errors: the rustdoc of the affected items and of the client
    // type lists them (stable Rust has no warning a proc macro can emit under its own
    // lint name; see the guide's page on diagnostics, docs/diagnostics.md).
    let errors = generated
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let d = d.shown_as(&path, &shown, manifest_dir.as_deref());
            syn::Error::new(spec.span(), d.to_string()).to_compile_error()
        });
    let surface = match (&generated.surface, &surface) {
        (Some(check), Some(file)) => surface_items(check, file),
        _ => proc_macro2::TokenStream::new(),
    };
    // Errors first, then the code for everything that did generate, so uses of the SDK
    // do not cascade into more errors.
    let tokens = generated.tokens;
    Ok(quote!(#(#errors)* #tokens #surface))
}

/// The build setting `surface`: the file and `ORQ_SURFACE` tracked by the build, and the
/// file written (`ORQ_SURFACE=update`) or what changed since it shown as a warning.
///
/// Stable Rust gives proc macros no warning of their own, so the warning is the use of a
/// `#[deprecated]` item whose note lists the changes, spanned at the option. Unlike a
/// degradation (which the user cannot fix, and whose warning could be silenced only by
/// allowing `deprecated` on the whole SDK, hiding the spec's real deprecations) it goes
/// away by doing what it says: recording the reviewed surface.
fn surface_items(
    check: &orq_codegen_impl::SurfaceCheck,
    file: &LitStr,
) -> proc_macro2::TokenStream {
    use orq_codegen_impl::record::{UPDATE_VAR, update_requested};
    let tracked = check
        .file
        .is_file()
        .then(|| check.file.display().to_string())
        .map(|path| {
            quote!(
                const _: &[u8] = include_bytes!(#path);
            )
        });
    // `option_env!` makes cargo rebuild the crate when the variable changes.
    let tracking = quote! {
        #tracked
        const _: ::core::option::Option<&str> = ::core::option_env!(#UPDATE_VAR);
    };
    if update_requested() {
        return match check.update() {
            Ok(()) => tracking,
            Err(err) => {
                let message = format!("cannot write {}: {err}", file.value());
                let error = syn::Error::new(file.span(), message).to_compile_error();
                quote!(#tracking #error)
            }
        };
    }
    let mut lines = check.message(Path::new(&file.value()));
    if lines.is_empty() {
        return tracking;
    }
    lines.push(format!(
        "record the new surface once reviewed: `{UPDATE_VAR}=update cargo build`"
    ));
    let note = lines.join("\n");
    let warning = proc_macro2::Ident::new("API_SURFACE_CHANGED", file.span());
    quote! {
        #tracking
        const _: () = {
            #[deprecated(note = #note)]
            #[allow(non_upper_case_globals)]
            const API_SURFACE_CHANGED: () = ();
            #warning
        };
    }
}

fn resolve(spec: &str) -> PathBuf {
    let relative = Path::new(spec);
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Path::new(&dir).join(relative),
        None => relative.to_path_buf(),
    }
}
