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

fn generate_err(path: &Path) -> CodegenError {
    match generate(path) {
        Ok(_) => panic!(
            "{}: expected an error, generation succeeded",
            path.display()
        ),
        Err(err) => err,
    }
}

/// One broken spec of the corpus: `small.yaml` with `edits` applied.
struct Case {
    /// The file it is written to.
    name: &'static str,
    /// Each an exact piece of `small.yaml` (found once) and what replaces it; an empty
    /// piece stands for the whole file.
    edits: &'static [(&'static str, &'static str)],
    /// Where the error points: a JSON pointer (`at /…:`) or `:line:column:`.
    place: &'static str,
    /// What the error says.
    message: &'static str,
}

/// The directory the broken specs of [`BROKEN`] are written to, once per test run.
fn corpus() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::fs::read_to_string(spec("small.yaml")).expect("the small spec");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-specs");
        std::fs::create_dir_all(&dir).expect("a directory for the corpus");
        for case in BROKEN {
            let mut text = base.clone();
            for (old, new) in case.edits {
                if old.is_empty() {
                    text = (*new).to_owned();
                    continue;
                }
                assert_eq!(
                    text.matches(old).count(),
                    1,
                    "{}: an edit's piece must be in small.yaml once: {old:?}",
                    case.name
                );
                text = text.replacen(old, new, 1);
            }
            std::fs::write(dir.join(case.name), text).expect("write a broken spec");
        }
        dir
    })
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

/// The broken specs of the corpus: each is the small spec with a small change (`edits`,
/// each an exact piece of `small.yaml` and what replaces it, applied once; an empty piece
/// stands for the whole file), and must fail with an error that names the file, the
/// place (a JSON pointer, or a line and column) and what is wrong. The tests write each
/// one to a file of its own name (`corpus()`) and generate from there.
const BROKEN: &[Case] = &[
    // Hand-editing and syncing mistakes in the document.
    Case {
        name: "empty.yaml",
        edits: &[(r#""#, r#""#)],
        place: ":1:1:",
        message: "the file is empty",
    },
    Case {
        name: "syntax_error.yaml",
        edits: &[(
            r#"      enum: [attendee, presenter, unknownFutureValue, producer, coorganizer]
"#,
            r#"      enum: [attendee, presenter, unknownFutureValue, producer, coorganizer
"#,
        )],
        place: ":116:10:",
        message: "syntax error",
    },
    Case {
        name: "duplicate_key.yaml",
        edits: &[(
            r#"        5XX:
          $ref: '#/components/responses/error'
"#,
            r#"        5XX:
          $ref: '#/components/responses/error'
  /me/things:
    get:
      operationId: list_things
      x-idempotent: true
      x-permissions:
        delegated: [Things.Read]
        application: []
      responses:
        '200':
          description: OK
"#,
        )],
        place: ":32:3:",
        message: "duplicate mapping key: /me/things",
    },
    Case {
        name: "swagger2.yaml",
        edits: &[(
            r#"openapi: 3.0.3
"#,
            r#"swagger: '2.0'
"#,
        )],
        place: "at /swagger:",
        message: "Swagger 2.0",
    },
    Case {
        name: "openapi31.yaml",
        edits: &[(
            r#"openapi: 3.0.3
"#,
            r#"openapi: 3.1.0
"#,
        )],
        place: "at /openapi:",
        message: "`3.1.0` is not supported",
    },
    Case {
        name: "missing_operation_id.yaml",
        edits: &[(
            r#"      operationId: create_thing
"#,
            r#""#,
        )],
        place: "at /paths/~1me~1things/post/operationId:",
        message: "needs a string `operationId`",
    },
    Case {
        name: "duplicate_operation_id.yaml",
        edits: &[(
            r#"      operationId: create_or_get_thing
"#,
            r#"      operationId: create_thing
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/operationId:",
        message: "`create_thing` is already used at /paths/~1me~1things/post",
    },
    Case {
        name: "parameter_twice.yaml",
        edits: &[(
            r#"      parameters:
"#,
            r#"      parameters:
        - name: userId
          in: path
          required: true
          schema:
            type: string
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/1:",
        message: "path parameter `userId` is declared twice",
    },
    Case {
        name: "parameter_without_placeholder.yaml",
        edits: &[(
            r#"  /users/{userId}/things/createOrGet:
"#,
            r#"  /users/things/createOrGet:
"#,
        )],
        place: "at /paths/~1users~1things~1createOrGet/post/parameters/0:",
        message: "has no `{userId}` in the path",
    },
    Case {
        name: "placeholder_without_parameter.yaml",
        edits: &[(
            r#"      parameters:
        - name: userId
          in: path
          required: true
          schema:
            type: string
"#,
            r#""#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post:",
        message: "has `{userId}` but no path parameter `userId`",
    },
    Case {
        name: "path_parameter_not_required.yaml",
        edits: &[(
            r#"          required: true
"#,
            r#"          required: false
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/0/required:",
        message: "must have `required: true`",
    },
    Case {
        name: "dangling_ref.yaml",
        edits: &[(
            r#"            - $ref: '#/components/schemas/inner'
"#,
            r#"            - $ref: '#/components/schemas/innerr'
"#,
        )],
        place: "at /components/schemas/thing/properties/inner/allOf/0/$ref:",
        message: "`$ref: #/components/schemas/innerr` points at nothing",
    },
    Case {
        name: "dangling_parameter_ref.yaml",
        edits: &[(
            r#"        - name: userId
          in: path
          required: true
          schema:
            type: string
"#,
            r#"        - $ref: '#/components/parameters/userID'
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/parameters/0/$ref:",
        message: "`$ref: #/components/parameters/userID` points at nothing",
    },
    Case {
        name: "ref_cycle.yaml",
        edits: &[(
            r#"      type: object
      properties:
        displayName:
          type: string
          nullable: true
"#,
            r#"      $ref: '#/components/schemas/innerAlias'
    innerAlias:
      $ref: '#/components/schemas/inner'
"#,
        )],
        place: "at /components/schemas/inner:",
        message: "`$ref` cycle through 2 schemas: inner → innerAlias → inner",
    },
    Case {
        name: "case_differing_properties.yaml",
        edits: &[(
            r#"        displayName:
          type: string
          nullable: true
"#,
            r#"        displayName:
          type: string
          nullable: true
        DisplayName:
          type: string
          nullable: true
"#,
        )],
        place: "at /components/schemas/inner/properties/DisplayName:",
        message: "`displayName` and `DisplayName` become the same Rust field",
    },
    Case {
        name: "case_differing_schemas.yaml",
        edits: &[(
            r#"            - $ref: '#/components/schemas/inner'
          nullable: true
"#,
            r#"            - $ref: '#/components/schemas/inner'
          nullable: true
    Inner:
      type: object
      properties:
        id:
          type: string
"#,
        )],
        place: "at /components/schemas/inner:",
        message: "`Inner` and `inner` become the same Rust type",
    },
    Case {
        name: "colliding.yaml",
        edits: &[(
            r#"        subject:
          type: string
          nullable: true
"#,
            r#"        subject:
          type: string
          nullable: true
        '@odata.type':
          type: string
        odataType:
          type: string
"#,
        )],
        place: "at /components/schemas/thing/properties/odataType:",
        message: "`@odata.type` and `odataType` become the same Rust field",
    },
    // Names that cannot clash: where two spec names make one Rust name, the validator
    // says which, with a pointer, before progenitor runs.
    Case {
        name: "colliding_keyword_properties.yaml",
        edits: &[(
            r#"        displayName:
          type: string
          nullable: true
"#,
            r#"        displayName:
          type: string
          nullable: true
        type:
          type: string
          nullable: true
        self:
          type: string
          nullable: true
        '@odata.type':
          type: string
          nullable: true
        Type:
          type: string
          nullable: true
        type_:
          type: string
          nullable: true
"#,
        )],
        place: "at /components/schemas/inner/properties/Type:",
        message: "`type` and `Type` become the same Rust field",
    },
    Case {
        name: "colliding_enum_members.yaml",
        edits: &[(
            r#"      enum: [attendee, presenter, unknownFutureValue, producer, coorganizer]
"#,
            r#"      enum: [other, Other, unknown, unknownFutureValue, type, self]
"#,
        )],
        place: "at /components/schemas/role/enum/1:",
        message: "enum members `other` and `Other` become the same Rust variant `Other`",
    },
    Case {
        name: "colliding_union_name.yaml",
        edits: &[(
            r#"    inner:
      type: object
      properties:
"#,
            r#"    anyInner:
      type: object
      properties:
        id:
          type: string
    inner:
      type: object
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.anyInner': '#/components/schemas/anyInner'
      properties:
"#,
        )],
        place: "at /components/schemas/anyInner:",
        message: "has the name of the union `AnyInner`",
    },
    Case {
        name: "discriminator_to_nothing.yaml",
        edits: &[(
            r#"    inner:
      type: object
      properties:
"#,
            r#"    inner:
      type: object
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.outer': '#/components/schemas/outer'
      properties:
"#,
        )],
        place: "at /components/schemas/inner/discriminator/mapping/#microsoft.graph.outer:",
        message: "which is no schema",
    },
    Case {
        name: "empty_enum.yaml",
        edits: &[(
            r#"      enum: [attendee, presenter, unknownFutureValue, producer, coorganizer]
"#,
            r#"      enum: []
"#,
        )],
        place: "at /components/schemas/role/enum:",
        message: "an enum with no members",
    },
    Case {
        name: "allof_conflicting_types.yaml",
        edits: &[(
            r#"          type: integer
          format: int32
"#,
            r#"          allOf:
            - type: integer
              format: int32
            - type: string
"#,
        )],
        place: "at /components/schemas/thing/properties/count/allOf/1/type:",
        message: "both `integer` (at /components/schemas/thing/properties/count/allOf/0/type) and `string`",
    },
    Case {
        name: "response_without_content.yaml",
        edits: &[(
            r#"                $ref: '#/components/schemas/thing'
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/thing'
"#,
            r#"                $ref: '#/components/schemas/thing'
        '201':
          description: Created
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/responses:",
        message: "success responses (201, 200) have 2 different body types",
    },
    Case {
        name: "success_default.yaml",
        edits: &[(
            r#"                $ref: '#/components/schemas/thing'
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/thing'
        4XX:
"#,
            r#"                $ref: '#/components/schemas/thing'
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/thing'
        default:
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/responses:",
        message: "(default, 200 + 201) have 2 different body types",
    },
    Case {
        name: "no_success_response.yaml",
        edits: &[(
            r#"      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/thing'
"#,
            r#"      responses:
"#,
        )],
        place: "at /paths/~1me~1things/post/responses:",
        message: "documents no success status",
    },
    // Shapes the generator would mistranslate.
    Case {
        name: "nullable_anyof.yaml",
        edits: &[
            (
                r#"        inner:
          allOf:
"#,
                r#"        inner:
          anyOf:
"#,
            ),
            (
                r#"            - $ref: '#/components/schemas/inner'
          nullable: true
"#,
                r#"            - $ref: '#/components/schemas/inner'
            - type: object
              nullable: true
"#,
            ),
        ],
        place: "at /components/schemas/thing/properties/inner/anyOf/1:",
        message: "write `allOf: [{$ref: ...}]`",
    },
    Case {
        name: "pattern.yaml",
        edits: &[(
            r#"        externalId:
          type: string
"#,
            r#"        externalId:
          type: string
          pattern: '^[a-z]+$'
"#,
        )],
        place: "at /components/schemas/thing/properties/externalId/pattern:",
        message: "remove the pattern",
    },
    Case {
        name: "integer_enum.yaml",
        edits: &[(
            r#"      enum: [attendee, presenter, unknownFutureValue, producer, coorganizer]
"#,
            r#"      enum: [attendee, presenter, 3]
"#,
        )],
        place: "at /components/schemas/role/enum/2:",
        message: "enum member 3 is not a string",
    },
    // Operation facts missing or contradicting the operation.
    Case {
        name: "idempotency_key_not_in_body.yaml",
        edits: &[(
            r#"      operationId: create_or_get_thing
      x-idempotent: false
"#,
            r#"      operationId: create_or_get_thing
      x-idempotent: true
      x-idempotency-key: externalID
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/x-idempotency-key:",
        message: "`x-idempotency-key: externalID` is not a property of the request body",
    },
    Case {
        name: "idempotency_key_without_idempotent.yaml",
        edits: &[(
            r#"      operationId: create_or_get_thing
      x-idempotent: false
"#,
            r#"      operationId: create_or_get_thing
      x-idempotent: false
      x-idempotency-key: externalId
"#,
        )],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/x-idempotency-key:",
        message: "has an `x-idempotency-key` but `x-idempotent: false`",
    },
    Case {
        name: "idempotent_false_on_get.yaml",
        edits: &[(
            r#"        5XX:
          $ref: '#/components/responses/error'
"#,
            r#"        5XX:
          $ref: '#/components/responses/error'
  /me/things/{thingId}:
    get:
      operationId: get_thing
      x-idempotent: false
      x-permissions:
        delegated: [Things.Read]
        application: []
      parameters:
        - name: thingId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/thing'
"#,
        )],
        place: "at /paths/~1me~1things~1{thingId}/get/x-idempotent:",
        message: "GET is idempotent by HTTP's definition",
    },
    Case {
        name: "permissions_typo.yaml",
        edits: &[(
            r#"      operationId: create_thing
      x-idempotent: false
      x-permissions:
        delegated: [Things.ReadWrite]
"#,
            r#"      operationId: create_thing
      x-idempotent: false
      x-permissions:
        delgated: [Things.ReadWrite]
"#,
        )],
        place: "at /paths/~1me~1things/post/x-permissions/delgated:",
        message: "unknown key `delgated`",
    },
    Case {
        name: "permissions_empty.yaml",
        edits: &[(
            r#"      operationId: create_thing
      x-idempotent: false
      x-permissions:
        delegated: [Things.ReadWrite]
"#,
            r#"      operationId: create_thing
      x-idempotent: false
      x-permissions:
        delegated: []
"#,
        )],
        place: "at /paths/~1me~1things/post/x-permissions:",
        message: "no permission allows it",
    },
    // The client's handles pair a `/users/{userId}` operation with its `/me` twin by name.
    Case {
        name: "user_twin_misnamed.yaml",
        edits: &[("  /me/things:\n", "  /me/things/createOrGet:\n")],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post/operationId:",
        message: "is the `/users/{userId}` twin of `create_thing` (POST /me/things/createOrGet); name it `create_thing_for_user`",
    },
    Case {
        name: "user_twin_parameters_differ.yaml",
        edits: &[
            (
                "operationId: create_or_get_thing\n",
                "operationId: create_or_get_thing_for_user\n",
            ),
            (
                "  /me/things:\n    post:\n      operationId: create_thing\n",
                "  /me/things/createOrGet:\n    parameters:\n      - name: top\n        in: query\n        schema:\n          type: integer\n    post:\n      operationId: create_or_get_thing\n",
            ),
        ],
        place: "at /paths/~1users~1{userId}~1things~1createOrGet/post:",
        message: "their parameters or request bodies differ",
    },
];

/// The specs of the corpus that generate code, the files of `tests/specs/` with
/// [`NON_UTF8`] (`scripts/corpus-compiles.sh`, run by CI, builds the client crate with
/// each one's schemas in it).
const GENERATING: &[&str] = &[
    "small.yaml",
    "small.json",
    "keyword_names.yaml",
    "wide_schema.yaml",
];

/// The spec saved as Latin-1: its expected line and column are counted by its own test.
/// (The 50 MB spec is not in the directory: its test writes it to a temporary one.)
const NON_UTF8: &str = "non_utf8.yaml";

#[test]
fn every_broken_spec_names_the_file_and_the_place() {
    assert!(
        BROKEN.len() + 1 >= 25,
        "the corpus has at least 25 broken specs"
    );
    for Case {
        name,
        place,
        message: what,
        ..
    } in BROKEN
    {
        let path = corpus().join(name);
        let shown = graph_online_meetings_codegen::report(&generate_err(&path));
        let file = path.display().to_string();
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
    let mut listed: Vec<&str> = GENERATING.to_vec();
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
    let shown = generate_err(&spec(NON_UTF8)).to_string();
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
    let shown = generate_err(&spec("no-such-spec.yaml")).to_string();
    assert!(shown.contains("no-such-spec.yaml"), "{shown}");
    assert!(shown.contains("reading the spec"), "{shown}");
}

/// The binary goes through the same path as `build.rs`: a clean message on stderr, exit
/// code 2, and no panic output.
#[test]
fn the_binary_reports_errors_without_a_panic() {
    for Case {
        name,
        message: expected,
        ..
    } in BROKEN
    {
        let output = Command::new(env!("CARGO_BIN_EXE_meetings-codegen"))
            .arg("generate")
            .arg(corpus().join(name))
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
        flat.contains("Operation::MakeThing => { crate::runtime::Idempotency::Idempotent"),
        "the facts"
    );
    assert!(!code.contains("create_thing"), "the old name is gone");
}
