//! The transforms' output on a small spec, locked by snapshots (review changes with
//! `cargo insta review`), plus the properties each transform promises.

use std::path::Path;

use graph_online_meetings_codegen::generate;

fn small() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/small.yaml");
    generate(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The whole generated file for the small spec: open enum, lossless structs, methods
/// without the `api-version` header.
#[test]
fn small_spec_output_is_locked() {
    insta::assert_snapshot!("small_spec", small());
}

#[test]
fn string_enums_become_open() {
    let code = small();
    let start = code.find("pub enum Role").expect("the role enum");
    let body = &code[start..start + code[start..].find('}').expect("enum end")];
    assert!(body.contains("Other(::std::string::String)"), "{body}");
    for member in [
        "Attendee",
        "Presenter",
        "UnknownFutureValue",
        "Producer",
        "Coorganizer",
    ] {
        assert!(body.contains(member), "{member} kept: {body}");
    }
    assert!(
        !code.contains("impl ::std::convert::TryFrom<&str> for Role"),
        "typify's closed impls are gone"
    );
    assert!(
        code.contains("type Err = ::std::convert::Infallible"),
        "parsing cannot fail"
    );
}

#[test]
fn structs_keep_unknown_properties() {
    let code = small();
    for model in ["Thing", "Inner", "Error"] {
        let start = code
            .find(&format!("pub struct {model} {{"))
            .expect("the struct");
        let body = &code[start..start + code[start..].find("\n    }").expect("struct end")];
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            compact.contains(
                "pubadditional_properties:::serde_json::Map<::std::string::String,::serde_json::Value,>,"
            ),
            "{model}: {body}"
        );
        for imp in [
            format!("impl<'de> ::serde::Deserialize<'de> for {model} {{"),
            format!("impl ::serde::Serialize for {model} {{"),
        ] {
            assert!(code.contains(&imp), "{model}: generated `{imp}`");
        }
    }
    // One pass: keys are matched once, no intermediate `Value` or flattening by serde.
    assert_eq!(
        code.matches("crate::runtime::KeySeed(").count(),
        4,
        "Thing, Inner, Error, ErrorError"
    );
    assert!(
        !code.contains("remote = \"Self\""),
        "typify's derives are replaced"
    );
    assert!(
        !code.contains("::serde_json::value::Serializer"),
        "no Value on the way out"
    );
}

#[test]
fn the_api_version_header_is_not_sent() {
    let code = small();
    assert!(
        code.contains("pub async fn create_thing"),
        "methods are generated"
    );
    assert!(!code.contains("api-version"), "no api-version header");
}

#[test]
fn path_parameters_use_the_strict_segment_encoder() {
    let code = small();
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains("crate::runtime::encode_path_segment(&user_id.to_string())"),
        "the user id goes through the strict encoder"
    );
    let calls = code.matches("encode_path(").count();
    assert_eq!(calls, 0, "no call of progenitor's encode_path is left");
}

#[test]
fn response_bodies_are_decoded_without_copying_the_headers() {
    let code = small();
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains("crate::runtime::from_response(response).await"),
        "bodies go through the crate's decoder"
    );
    assert_eq!(
        code.matches("ResponseValue::from_response").count(),
        0,
        "no call of progenitor's from_response is left"
    );
}

/// A `/me` operation and its `/users/{userId}` twin get one call method that names
/// either operation and checks the path parameters before anything is sent, so a handle
/// is written once for both scopes; an operation without a twin gets one of its own.
#[test]
fn a_me_and_users_pair_gets_one_call_method() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/small.yaml");
    let text = std::fs::read_to_string(&path).expect("the small spec");
    let text = text
        .replacen(
            "operationId: create_or_get_thing\n",
            "operationId: create_or_get_thing_for_user\n",
            1,
        )
        .replacen(
            "  /me/things:\n    post:\n      operationId: create_thing\n",
            "  /me/things/createOrGet:\n    post:\n      operationId: create_or_get_thing\n",
            1,
        );
    let code = graph_online_meetings_codegen::generate_from_str(Path::new("pair.yaml"), &text)
        .unwrap_or_else(|e| panic!("{e}"));
    // Without whitespace, and without the braces prettyplease puts around a long arm.
    let compact: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '{' | '}'))
        .collect();
    assert!(
        compact.contains(
            "pub(crate)fncall_create_or_get_thing<'a>(&'aself,user_id:::std::option::Option<&'astr>,body:&'atypes::Thing,)"
        ),
        "{code}"
    );
    assert!(compact.contains(
        "iflet::std::option::Option::Some(user_id)=user_idcrate::runtime::check_path_parameter(\"userId\",user_id,true)?;"
    ));
    assert!(compact.contains("None=>operations::Operation::CreateOrGetThing"));
    assert!(compact.contains("Some(_)=>operations::Operation::CreateOrGetThingForUser"));
    assert!(compact.contains("None=>self.create_or_get_thing(body).await"));
    assert!(
        compact.contains("Some(user_id)=>self.create_or_get_thing_for_user(user_id,body).await")
    );
    let single: String = small().chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        single.contains("fncall_create_or_get_thing<'a>(&'aself,user_id:&'astr,"),
        "an operation without a twin gets its own call method"
    );
}
