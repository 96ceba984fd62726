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
fn yaml_syntax_error_names_file_line_and_column() {
    let err = generate_err("syntax_error.yaml");
    let CodegenError::Syntax {
        path, line, column, ..
    } = &err
    else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert!(path.ends_with("syntax_error.yaml"));
    // The unclosed `[` opens on line 107 of the file; the parser notices at or after it.
    assert!(
        *line >= 107,
        "line {line} should be at or after the broken flow sequence"
    );
    assert!(*column > 0, "a column is given");
    let shown = err.to_string();
    assert!(shown.contains("syntax_error.yaml:"), "{shown}");
    assert!(shown.contains(&format!(":{line}:{column}:")), "{shown}");
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

#[test]
fn dangling_ref_names_the_json_pointer() {
    let err = generate_err("dangling_ref.yaml");
    let shown = err.to_string();
    assert!(shown.contains("dangling_ref.yaml"), "{shown}");
    assert!(
        shown.contains("at /components/schemas/thing/properties/inner/allOf/0/$ref"),
        "{shown}"
    );
    assert!(shown.contains("#/components/schemas/innerr"), "{shown}");
}

#[test]
fn success_responses_with_default_are_caught_before_progenitor() {
    let err = generate_err("success_default.yaml");
    let shown = err.to_string();
    assert!(
        shown.contains("at /paths/~1users~1{userId}~1things~1createOrGet/post/responses"),
        "{shown}"
    );
    assert!(shown.contains("create_or_get_thing"), "{shown}");
    assert!(shown.contains("200 + 201"), "{shown}");
}

#[test]
fn graph_nullable_anyof_pattern_is_rejected_with_the_rewrite() {
    let shown = generate_err("nullable_anyof.yaml").to_string();
    assert!(
        shown.contains("at /components/schemas/thing/properties/inner/anyOf/1"),
        "{shown}"
    );
    assert!(
        shown.contains("allOf"),
        "the message says what to write instead: {shown}"
    );
}

#[test]
fn pattern_is_rejected() {
    let shown = generate_err("pattern.yaml").to_string();
    assert!(
        shown.contains("at /components/schemas/thing/properties/externalId/pattern"),
        "{shown}"
    );
}

#[test]
fn integer_enum_member_is_rejected() {
    let shown = generate_err("integer_enum.yaml").to_string();
    assert!(
        shown.contains("at /components/schemas/role/enum/2"),
        "{shown}"
    );
}

#[test]
fn colliding_property_names_are_rejected() {
    let shown = generate_err("colliding.yaml").to_string();
    assert!(
        shown.contains("/components/schemas/thing/properties/"),
        "{shown}"
    );
    assert!(
        shown.contains("`@odata.type`") && shown.contains("`odataType`"),
        "{shown}"
    );
}

#[test]
fn openapi_3_1_is_rejected_at_the_version() {
    let shown = generate_err("openapi31.yaml").to_string();
    assert!(shown.contains("at /openapi"), "{shown}");
    assert!(shown.contains("3.1.0"), "{shown}");
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
    for (name, expected) in [
        ("syntax_error.yaml", "syntax error"),
        ("dangling_ref.yaml", "points at nothing"),
        ("success_default.yaml", "create_or_get_thing"),
    ] {
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
