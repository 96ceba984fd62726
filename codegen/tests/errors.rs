//! A broken or untranslatable spec fails with an error that names the file and the place
//! (line and column, JSON pointer, or operation), never with a panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use graph_online_meetings_codegen::{CodegenError, generate};

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(name)
}

fn generate_err(name: &str) -> CodegenError {
    match generate(&spec(name)) {
        Ok(_) => panic!("{name}: expected an error, generation succeeded"),
        Err(err) => err,
    }
}

#[test]
fn the_small_spec_generates_in_yaml_and_in_json() {
    let from_yaml = generate(&spec("small.yaml")).expect("small.yaml generates");
    let from_json = generate(&spec("small.json")).expect("small.json generates");
    assert_eq!(
        from_yaml, from_json,
        "YAML and JSON of one document generate the same code"
    );
    assert!(
        from_yaml.contains("pub struct Thing"),
        "the schema became a struct"
    );
    assert!(
        from_yaml.contains("pub async fn create_or_get_thing"),
        "the operation became a method"
    );
}

#[test]
fn json_syntax_error_names_file_line_and_column() {
    let path = spec("broken.json");
    let err = graph_online_meetings_codegen::generate_from_str(
        &path,
        "{\n  \"openapi\": \"3.0.3\",\n  oops\n}",
    )
    .expect_err("broken JSON is an error");
    let CodegenError::Syntax { line, column, .. } = &err else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert_eq!((*line, *column), (3, 3), "{err}");
}

/// The broken specs of the corpus: each must fail with an error that names the file, the
/// place (a JSON pointer, or a line and column) and what is wrong. A file added to
/// `tests/specs/` must be listed here or in [`GENERATING`]
/// (`the_corpus_is_listed_whole`).
const BROKEN: &[(&str, &str, &str)] = &[
    // Hand-editing and syncing mistakes in the document.
    ("empty.yaml", ":1:1:", "the file is empty"),
    ("syntax_error.yaml", ":116:10:", "syntax error"),
    (
        "duplicate_key.yaml",
        ":32:3:",
        "duplicate mapping key: /me/things",
    ),
    ("swagger2.yaml", "at /swagger:", "Swagger 2.0"),
    ("openapi31.yaml", "at /openapi:", "`3.1.0` is not supported"),
    (
        "missing_operation_id.yaml",
        "at /paths/~1me~1things/post/operationId:",
        "needs a string `operationId`",
    ),
    (
        "duplicate_operation_id.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/operationId:",
        "`create_thing` is already used at /paths/~1me~1things/post",
    ),
    (
        "parameter_twice.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/1:",
        "path parameter `userId` is declared twice",
    ),
    (
        "parameter_without_placeholder.yaml",
        "at /paths/~1users~1things~1createOrGet/post/parameters/0:",
        "has no `{userId}` in the path",
    ),
    (
        "placeholder_without_parameter.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post:",
        "has `{userId}` but no path parameter `userId`",
    ),
    (
        "path_parameter_not_required.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/0/required:",
        "must have `required: true`",
    ),
    (
        "dangling_ref.yaml",
        "at /components/schemas/thing/properties/inner/allOf/0/$ref:",
        "`$ref: #/components/schemas/innerr` points at nothing",
    ),
    (
        "dangling_parameter_ref.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/0/$ref:",
        "`$ref: #/components/parameters/userID` points at nothing",
    ),
    (
        "ref_cycle.yaml",
        "at /components/schemas/inner:",
        "`$ref` cycle through 2 schemas: inner → innerAlias → inner",
    ),
    (
        "case_differing_properties.yaml",
        "at /components/schemas/inner/properties/DisplayName:",
        "`displayName` and `DisplayName` become the same Rust field",
    ),
    (
        "case_differing_schemas.yaml",
        "at /components/schemas/inner:",
        "`Inner` and `inner` become the same Rust type",
    ),
    (
        "colliding.yaml",
        "at /components/schemas/thing/properties/odataType:",
        "`@odata.type` and `odataType` become the same Rust field",
    ),
    (
        "reserved_property.yaml",
        "at /components/schemas/thing/properties/explicitNulls:",
        "becomes the Rust field `explicit_nulls`, which the lossless models add",
    ),
    (
        "too_many_properties.yaml",
        "at /components/schemas/thing/properties:",
        "72 properties in one schema",
    ),
    (
        "empty_enum.yaml",
        "at /components/schemas/role/enum:",
        "an enum with no members",
    ),
    (
        "allof_conflicting_types.yaml",
        "at /components/schemas/thing/properties/count/allOf/1/type:",
        "both `integer` (at /components/schemas/thing/properties/count/allOf/0/type) and `string`",
    ),
    (
        "response_without_content.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/responses:",
        "success responses (201, 200) have 2 different body types",
    ),
    (
        "success_default.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/responses:",
        "(default, 200 + 201) have 2 different body types",
    ),
    (
        "no_success_response.yaml",
        "at /paths/~1me~1things/post/responses:",
        "documents no success status",
    ),
    // Shapes the generator would mistranslate.
    (
        "nullable_anyof.yaml",
        "at /components/schemas/thing/properties/inner/anyOf/1:",
        "write `allOf: [{$ref: ...}]`",
    ),
    (
        "pattern.yaml",
        "at /components/schemas/thing/properties/externalId/pattern:",
        "remove the pattern",
    ),
    (
        "integer_enum.yaml",
        "at /components/schemas/role/enum/2:",
        "enum member 3 is not a string",
    ),
    // Operation facts missing or contradicting the operation.
    (
        "idempotency_key_not_in_body.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/x-idempotency-key:",
        "`x-idempotency-key: externalID` is not a property of the request body",
    ),
    (
        "idempotency_key_without_idempotent.yaml",
        "at /paths/~1users~1{userId}~1things~1createOrGet/post/x-idempotency-key:",
        "has an `x-idempotency-key` but `x-idempotent: false`",
    ),
    (
        "idempotent_false_on_get.yaml",
        "at /paths/~1me~1things~1{thingId}/get/x-idempotent:",
        "GET is idempotent by HTTP's definition",
    ),
    (
        "permissions_typo.yaml",
        "at /paths/~1me~1things/post/x-permissions/delgated:",
        "unknown key `delgated`",
    ),
    (
        "permissions_empty.yaml",
        "at /paths/~1me~1things/post/x-permissions:",
        "no permission allows it",
    ),
];

/// The specs of the corpus that generate code (`scripts/corpus-compiles.sh`, run by CI,
/// builds the client crate with each one's schemas in it).
const GENERATING: &[&str] = &["small.yaml", "small.json", "keyword_names.yaml"];

/// The spec saved as Latin-1: its expected line and column are counted by its own test.
/// (The 50 MB spec is not in the directory: its test writes it to a temporary one.)
const NON_UTF8: &str = "non_utf8.yaml";

#[test]
fn every_broken_spec_names_the_file_and_the_place() {
    assert!(
        BROKEN.len() + 1 >= 25,
        "the corpus has at least 25 broken specs"
    );
    for (name, place, what) in BROKEN {
        let shown = graph_online_meetings_codegen::report(&generate_err(name));
        let file = spec(name).display().to_string();
        assert!(
            shown.starts_with(&format!("{file}{place}"))
                || shown.starts_with(&format!("{file}: {place}")),
            "{name}: the error should start with the file and `{place}`: {shown}"
        );
        assert!(shown.contains(what), "{name}: should say `{what}`: {shown}");
    }
}

#[test]
fn the_corpus_is_listed_whole() {
    let mut listed: Vec<&str> = BROKEN.iter().map(|(name, _, _)| *name).collect();
    listed.extend(GENERATING);
    listed.push(NON_UTF8);
    listed.sort_unstable();
    let mut present: Vec<String> = std::fs::read_dir(spec(""))
        .expect("tests/specs")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    present.sort_unstable();
    assert_eq!(listed, present, "every file of tests/specs is listed once");
}

/// The first byte that is not UTF-8 is found by its line and column, counted here from
/// the file's bytes.
#[test]
fn a_non_utf8_spec_names_the_line_and_column_of_the_bad_byte() {
    let bytes = std::fs::read(spec(NON_UTF8)).expect("the file");
    let bad = std::str::from_utf8(&bytes)
        .expect_err("not UTF-8")
        .valid_up_to();
    let line = bytes[..bad].iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = bytes[..bad]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = bad - line_start + 1; // the line is ASCII up to the bad byte
    let shown = generate_err(NON_UTF8).to_string();
    assert!(
        shown.contains(&format!("{NON_UTF8}:{line}:{column}: syntax error")),
        "{shown}"
    );
    assert!(shown.contains(&format!("0x{:02X}", bytes[bad])), "{shown}");
}

#[test]
fn a_50_mb_spec_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("corpus-50mb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("huge.yaml");
    // The small spec, then 50 MB of comment lines: valid YAML a maintainer could make by
    // pointing the sync at the wrong file.
    let mut text = std::fs::read_to_string(spec("small.yaml")).expect("the small spec");
    let line = format!("# {}\n", "x".repeat(98));
    text.reserve(50 * 1024 * 1024);
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    std::fs::write(&path, &text).expect("write 50 MB");
    let outcome = generate(&path);
    std::fs::remove_dir_all(&dir).expect("clean up");
    let err = outcome.expect_err("a 50 MB spec is refused");
    let CodegenError::TooLarge { size, limit, .. } = &err else {
        panic!("expected TooLarge, got {err:?}");
    };
    assert_eq!(*size, text.len() as u64);
    assert_eq!(*limit, graph_online_meetings_codegen::MAX_SPEC_BYTES);
    assert!(err.to_string().contains("huge.yaml"), "{err}");
}

/// A machine-made chain of aliases: found in one walk, and the message shows its ends
/// rather than thousands of names.
#[test]
fn a_long_ref_cycle_is_named_by_its_ends() {
    let mut text = std::fs::read_to_string(spec("small.yaml")).expect("the small spec");
    for i in 0..1000 {
        text.push_str(&format!(
            "    alias{i}:\n      allOf:\n        - $ref: '#/components/schemas/alias{}'\n",
            (i + 1) % 1000
        ));
    }
    let shown = graph_online_meetings_codegen::generate_from_str(&spec("chain.yaml"), &text)
        .expect_err("a cycle")
        .to_string();
    assert!(shown.contains("at /components/schemas/alias0:"), "{shown}");
    assert!(
        shown.contains("cycle through 1000 schemas: alias0 → alias1 → alias2 → alias3 → alias4 → … → alias996 → alias997 → alias998 → alias999 → alias0"),
        "{shown}"
    );
}

#[test]
fn specs_that_generate_escape_rust_keywords() {
    for name in GENERATING {
        generate(&spec(name)).unwrap_or_else(|err| panic!("{name}: {err}"));
    }
    let code = generate(&spec("keyword_names.yaml")).expect("generates");
    for expected in [
        "pub struct Self_",
        "pub enum Type",
        "Crate,",
        "pub self_: ::std::option::Option<::std::string::String>",
        "rename = \"self\"",
        "pub type_: ::std::option::Option<::std::string::String>",
        "pub match_: ::std::option::Option<i32>",
        "pub fn_: ::std::option::Option<::std::string::String>",
    ] {
        assert!(
            code.contains(expected),
            "keyword_names.yaml: no `{expected}`"
        );
    }
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let shown = generate_err("no-such-spec.yaml").to_string();
    assert!(shown.contains("no-such-spec.yaml"), "{shown}");
    assert!(shown.contains("reading the spec"), "{shown}");
}

/// The binary goes through the same path as `build.rs`: a clean message on stderr, exit
/// code 2, and no panic output.
#[test]
fn the_binary_reports_errors_without_a_panic() {
    for (name, _, expected) in BROKEN {
        let output = Command::new(env!("CARGO_BIN_EXE_meetings-codegen"))
            .arg("generate")
            .arg(spec(name))
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(expected),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{name}: nothing is printed on stdout"
        );
    }
}

/// The small spec's text with `edit` applied, generated under the name `edited.yaml`.
fn generate_edited(edit: impl FnOnce(String) -> String) -> Result<String, CodegenError> {
    let text = std::fs::read_to_string(spec("small.yaml")).expect("the small spec");
    let edited = edit(text);
    graph_online_meetings_codegen::generate_from_str(&spec("edited.yaml"), &edited)
}

#[test]
fn an_operation_without_facts_is_an_error_naming_it() {
    for (fact, needle) in [
        ("x-idempotent", "      x-idempotent: false\n"),
        (
            "x-permissions",
            "      x-permissions:\n        delegated: [Things.ReadWrite]\n        application: []\n",
        ),
    ] {
        let err =
            generate_edited(|text| text.replacen(needle, "", 1)).expect_err("facts are required");
        let shown = err.to_string();
        assert!(shown.contains("edited.yaml"), "{shown}");
        assert!(
            shown.contains(&format!("/paths/~1me~1things/post/{fact}")),
            "{shown}"
        );
        assert!(shown.contains("operation `create_thing`"), "{shown}");
    }
    let err = generate_edited(|text| {
        text.replacen(
            "      x-idempotent: false\n",
            "      x-idempotent: sometimes\n",
            1,
        )
    })
    .expect_err("a fact of the wrong type");
    assert!(err.to_string().contains("must be true or false"), "{err}");
}

/// Renaming an operation keeps its facts with it: the generated method and the table
/// entry both carry the new name, and the old one is gone from both.
#[test]
fn a_renamed_operation_keeps_its_facts() {
    let code = generate_edited(|text| {
        text.replace("operationId: create_thing", "operationId: make_thing")
            .replacen(
                "      x-idempotent: false\n",
                "      x-idempotent: true\n",
                1,
            )
    })
    .expect("generates");
    let flat = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("pub async fn make_thing<'a>("), "the method");
    assert!(
        flat.contains("Operation::MakeThing => \"make_thing\""),
        "the id"
    );
    assert!(
        flat.contains("Operation::MakeThing => { crate::operation::Idempotency::Idempotent"),
        "the facts"
    );
    assert!(!code.contains("create_thing"), "the old name is gone");
}
