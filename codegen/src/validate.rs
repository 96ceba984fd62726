//! Checks that run on the raw document before the generator sees it.
//!
//! Two kinds of problem are caught here, each reported with a JSON pointer:
//!
//! * mistakes in the document itself: a `$ref` that points at nothing, a non-3.0 version,
//!   an operation without an `operationId`;
//! * shapes that are valid OpenAPI but that progenitor 0.15 / typify 0.8 either panic on
//!   or turn into code that is silently wrong (see [`Trap`] for the list). Failing here
//!   with a pointer and a suggested rewrite beats a panic backtrace or a lossy model.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::document::{METHODS, resolve};
use crate::error::{CodegenError, escape_pointer_token};
use crate::names;

/// Validate the whole document; the first problem found is returned.
pub fn validate(path: &Path, doc: &Value) -> Result<(), CodegenError> {
    let invalid = |pointer: String, message: String| CodegenError::Invalid {
        path: path.to_owned(),
        pointer,
        message,
    };

    match doc.get("openapi").and_then(Value::as_str) {
        Some(version) if version.trim().starts_with("3.0.") => {}
        Some(version) => {
            return Err(invalid(
                "/openapi".into(),
                format!(
                    "OpenAPI version `{version}` is not supported: progenitor reads 3.0.x only"
                ),
            ));
        }
        None if doc.get("swagger").is_some() => {
            return Err(invalid(
                "/swagger".into(),
                "this is a Swagger 2.0 document; convert it to OpenAPI 3.0.x (this generator \
                 reads 3.0.x only)"
                    .into(),
            ));
        }
        None => {
            return Err(invalid(
                "/openapi".into(),
                "missing `openapi` version string (this generator reads OpenAPI 3.0.x)".into(),
            ));
        }
    }

    check_refs(doc, doc, &mut String::new()).map_err(|(p, m)| invalid(p, m))?;
    check_ref_cycles(doc).map_err(|(p, m)| invalid(p, m))?;
    check_schemas(doc, &mut String::new(), Context::Document).map_err(|(p, m)| invalid(p, m))?;
    check_discriminators(doc).map_err(|(p, m)| invalid(p, m))?;
    check_operations(doc).map_err(|(p, m)| invalid(p, m))?;
    Ok(())
}

type Found = (String, String);

/// Every `$ref` must be a local reference (`#/...`) that resolves inside the document.
fn check_refs(root: &Value, node: &Value, pointer: &mut String) -> Result<(), Found> {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let at = format!("{pointer}/$ref");
                let Some(reference) = reference.as_str() else {
                    return Err((at, "`$ref` must be a string".into()));
                };
                let Some(target) = reference.strip_prefix('#') else {
                    return Err((
                        at,
                        format!(
                            "`$ref: {reference}` is not a local reference; only `#/...` \
                             references into this document are supported (the spec must be \
                             self-contained so that `cargo publish` ships all of it)"
                        ),
                    ));
                };
                if root.pointer(target).is_none() {
                    return Err((
                        at,
                        format!("`$ref: {reference}` points at nothing in this document"),
                    ));
                }
            }
            for (key, value) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
                check_refs(root, value, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                check_refs(root, value, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A component schema that is, through `$ref` and `allOf` alone, its own definition
/// (`a: {$ref: b}`, `b: {allOf: [{$ref: a}]}`) describes no value: typify would loop or
/// emit a type of infinite size. (A schema that holds itself in a *property*, a tree, is
/// fine and not reported.)
///
/// One depth-first walk over all schemas, with an explicit stack: linear in the number of
/// schemas and references, and no recursion for a hostile chain of a million aliases.
fn check_ref_cycles(doc: &Value) -> Result<(), Found> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    let edges = |name: &str| -> Vec<&str> {
        let Some(schema) = schemas.get(name) else {
            return Vec::new();
        };
        std::iter::once(schema)
            .chain(
                schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
            .filter_map(|node| node.get("$ref").and_then(Value::as_str))
            .filter_map(|r| r.strip_prefix("#/components/schemas/"))
            .filter_map(|target| schemas.get_key_value(target).map(|(key, _)| key.as_str()))
            .collect()
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for start in schemas.keys() {
        if marks.contains_key(start.as_str()) {
            continue;
        }
        marks.insert(start, Mark::OnPath);
        let mut path: Vec<(&str, Vec<&str>)> = vec![(start, edges(start))];
        while let Some((name, next)) = path.last_mut() {
            let Some(target) = next.pop() else {
                marks.insert(name, Mark::Done);
                path.pop();
                continue;
            };
            match marks.get(target) {
                None => {
                    marks.insert(target, Mark::OnPath);
                    path.push((target, edges(target)));
                }
                Some(Mark::OnPath) => {
                    let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                    cycle.push(target);
                    let schemas = cycle.len() - 1;
                    // A machine-made chain can be thousands long: show its ends.
                    if cycle.len() > 12 {
                        let tail = cycle.split_off(cycle.len() - 5);
                        cycle.truncate(5);
                        cycle.push("…");
                        cycle.extend(tail);
                    }
                    return Err((
                        format!("/components/schemas/{}", escape_pointer_token(target)),
                        format!(
                            "`$ref` cycle through {schemas} schema{}: {} (a schema cannot be \
                             defined as itself; give one of them properties or break the chain)",
                            if schemas == 1 { "" } else { "s" },
                            cycle.join(" → ")
                        ),
                    ));
                }
                Some(Mark::Done) => {}
            }
        }
    }
    Ok(())
}

/// Where the walker stands, so that a property *named* `pattern` is not taken for the
/// `pattern` keyword.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    /// Anywhere that is not known to be a schema.
    Document,
    /// A schema object.
    Schema,
    /// A map from names to schemas (`properties`, `components/schemas`).
    SchemaMap,
}

/// The generator traps this module knows about, each with the rewrite that avoids it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    /// `anyOf`/`oneOf: [{$ref}, {type: object, nullable: true}]` (Graph's own nullable
    /// reference) makes typify emit an untagged wrapper that accepts *any* object, so bad
    /// data is silently swallowed. Write `allOf: [{$ref}]` with `nullable: true`.
    NullableAnyOf,
    /// `pattern` makes typify 0.8 emit a `JsonSchema` impl against schemars 0.8's
    /// `::schemars::gen` module, which does not exist in schemars 1.x (and `gen` is a
    /// reserved word in edition 2024).
    Pattern,
    /// An enum with non-string members takes the same schemars-0.8-only path.
    NonStringEnum,
    /// Two property names that become the same Rust identifier (`@odata.type` next to
    /// `odataType`) make typify emit a struct with a duplicate field.
    CollidingPropertyNames,
    /// Two enum members that become the same Rust variant (`other` next to `Other`) make
    /// typify emit an enum with a duplicate variant.
    CollidingEnumMembers,
    /// A schema whose name is the union the generator makes of a base type with derived
    /// types (`anyAttachment` beside an `attachment` with a discriminator).
    CollidingUnionName,
}

fn check_schemas(node: &Value, pointer: &mut String, context: Context) -> Result<(), Found> {
    match node {
        Value::Object(map) => {
            if context == Context::Schema {
                check_schema_object(map, pointer)?;
            }
            if context == Context::SchemaMap {
                check_names(map, pointer)?;
            }
            for (key, value) in map {
                let child = match context {
                    Context::SchemaMap => Context::Schema,
                    Context::Schema => match key.as_str() {
                        "properties" => Context::SchemaMap,
                        "items" | "not" | "additionalProperties" => Context::Schema,
                        "allOf" | "anyOf" | "oneOf" => Context::Schema,
                        // `enum`, `example`, `default`, extensions: data, not schemas.
                        _ => Context::Document,
                    },
                    Context::Document => match key.as_str() {
                        "schema" => Context::Schema,
                        "schemas" if pointer == "/components" => Context::SchemaMap,
                        _ => Context::Document,
                    },
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
                check_schemas(value, pointer, child)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                // The members of `allOf`/`anyOf`/`oneOf` are schemas; other arrays
                // (`enum`, `required`, examples) are data.
                let child = if context == Context::Schema {
                    Context::Schema
                } else {
                    Context::Document
                };
                check_schemas(value, pointer, child)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn check_schema_object(map: &serde_json::Map<String, Value>, pointer: &str) -> Result<(), Found> {
    if map.contains_key("pattern") {
        return Err((
            format!("{pointer}/pattern"),
            format!(
                "{:?}: typify 0.8 turns `pattern` into a schemars-0.8-only `JsonSchema` impl \
                 (`::schemars::gen`) that does not build with schemars 1.x; remove the \
                 pattern and describe the format in `description`",
                Trap::Pattern
            ),
        ));
    }
    if let Some(Value::Array(members)) = map.get("enum")
        && members.is_empty()
    {
        return Err((
            format!("{pointer}/enum"),
            "an enum with no members admits no value; list the members or drop `enum`".into(),
        ));
    }
    check_all_of_types(map, pointer)?;
    if let Some(Value::Array(members)) = map.get("enum")
        && let Some(index) = members.iter().position(|m| !m.is_string() && !m.is_null())
    {
        return Err((
            format!("{pointer}/enum/{index}"),
            format!(
                "{:?}: enum member {} is not a string; typify 0.8 turns non-string enums \
                     into a schemars-0.8-only `JsonSchema` impl; use a string enum",
                Trap::NonStringEnum,
                members[index]
            ),
        ));
    }
    if let Some(Value::Array(members)) = map.get("enum") {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (index, member) in members.iter().enumerate() {
            let Some(name) = member.as_str() else {
                continue;
            };
            let variant = names::type_name(name);
            if let Some(previous) = seen.insert(variant.clone(), name) {
                return Err((
                    format!("{pointer}/enum/{index}"),
                    format!(
                        "{:?}: enum members `{previous}` and `{name}` become the same Rust \
                         variant `{variant}`; drop one (Graph's members differ by more than \
                         case)",
                        Trap::CollidingEnumMembers
                    ),
                ));
            }
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get(keyword) else {
            continue;
        };
        let has_ref = members.iter().any(|m| m.get("$ref").is_some());
        let null_object = members.iter().position(|m| {
            m.get("nullable") == Some(&Value::Bool(true))
                && m.get("$ref").is_none()
                && m.get("properties").is_none()
                && m.get("type").is_none_or(|t| t == "object")
        });
        if let (true, Some(index)) = (has_ref, null_object) {
            return Err((
                format!("{pointer}/{keyword}/{index}"),
                format!(
                    "{:?}: `{keyword}: [$ref, {{type: object, nullable: true}}]` (Graph's \
                     nullable reference) makes typify generate a wrapper that accepts any \
                     object and silently swallows bad data; write `allOf: [{{$ref: ...}}]` \
                     with `nullable: true` instead",
                    Trap::NullableAnyOf
                ),
            ));
        }
    }
    Ok(())
}

/// `allOf` members that declare different `type`s (from each other or from the schema
/// itself) describe no value: nothing is both an integer and a string.
fn check_all_of_types(map: &serde_json::Map<String, Value>, pointer: &str) -> Result<(), Found> {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return Ok(());
    };
    let mut first: Option<(&str, String)> = map
        .get("type")
        .and_then(Value::as_str)
        .map(|t| (t, format!("{pointer}/type")));
    for (index, member) in members.iter().enumerate() {
        let Some(kind) = member.get("type").and_then(Value::as_str) else {
            continue;
        };
        let at = format!("{pointer}/allOf/{index}/type");
        match &first {
            Some((seen, seen_at)) if *seen != kind => {
                return Err((
                    at,
                    format!(
                        "`allOf` requires a value to be both `{seen}` (at {seen_at}) and \
                         `{kind}`: no value is; keep one type"
                    ),
                ));
            }
            Some(_) => {}
            None => first = Some((kind, at)),
        }
    }
    Ok(())
}

/// Reduce a property name to what typify's identifier sanitizing keeps of it.
fn identifier_key(name: &str) -> String {
    names::field_key(name)
}

/// The names of one map (`properties`, or `/components/schemas`) must make distinct Rust
/// identifiers: typify keeps only letters and digits, and changes their case.
fn check_names(map: &serde_json::Map<String, Value>, pointer: &str) -> Result<(), Found> {
    let properties = pointer != "/components/schemas";
    let (kind, becomes) = if properties {
        ("property", "Rust field")
    } else {
        ("schema", "Rust type")
    };
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for name in map.keys() {
        let key = identifier_key(name);
        if key.is_empty() {
            return Err((
                format!("{pointer}/{}", escape_pointer_token(name)),
                format!("{kind} name `{name}` has no letter or digit to make an identifier of"),
            ));
        }
        if let Some(previous) = seen.insert(key, name) {
            return Err((
                format!("{pointer}/{}", escape_pointer_token(name)),
                format!(
                    "{:?}: {kind} names `{previous}` and `{name}` become the same {becomes} \
                     after sanitizing; rename or drop one (`sync` declares `@odata.type` \
                     on every type it writes; other OData annotations are kept by the \
                     models' additional properties and need no schema)",
                    Trap::CollidingPropertyNames
                ),
            ));
        }
    }
    Ok(())
}

/// A `discriminator` (what `sync` writes on a base type with derived types) names
/// `@odata.type` and maps each derived type's name to a schema of the document; the union
/// the generator makes of the base (`Any…`) is no other schema's name.
fn check_discriminators(doc: &Value) -> Result<(), Found> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (name, schema) in schemas {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        let at = format!(
            "/components/schemas/{}/discriminator",
            escape_pointer_token(name)
        );
        if discriminator.get("propertyName").and_then(Value::as_str) != Some("@odata.type") {
            return Err((
                format!("{at}/propertyName"),
                "a discriminator must be on `@odata.type`, the property Graph tells derived \
                 types apart by"
                    .into(),
            ));
        }
        let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) else {
            return Err((
                format!("{at}/mapping"),
                "a discriminator needs a `mapping` from each derived type's `@odata.type` \
                 to its schema"
                    .into(),
            ));
        };
        for (odata_type, target) in mapping {
            let resolves = target
                .as_str()
                .and_then(|t| t.strip_prefix("#/components/schemas/"))
                .is_some_and(|target| schemas.contains_key(target));
            if !resolves {
                return Err((
                    format!("{at}/mapping/{}", escape_pointer_token(odata_type)),
                    format!(
                        "`{odata_type}` maps to {target}, which is no schema of \
                         `#/components/schemas/`"
                    ),
                ));
            }
        }
        let union = names::union_name(name);
        if let Some(other) = schemas
            .keys()
            .find(|other| identifier_key(other) == identifier_key(&union))
        {
            return Err((
                format!("/components/schemas/{}", escape_pointer_token(other)),
                format!(
                    "{:?}: schema `{other}` has the name of the union `{union}` the generator \
                     makes of `{name}` and its derived types; rename it",
                    Trap::CollidingUnionName
                ),
            ));
        }
    }
    Ok(())
}

/// Every operation needs an `operationId`, and its success responses (2xx and `default`)
/// must share one body type: progenitor 0.15 asserts `response_types.len() <= 1` and
/// panics otherwise (200 + 201 + `default` with an error schema is the classic case).
fn check_operations(doc: &Value) -> Result<(), Found> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(("/paths".into(), "missing `paths` object".into()));
    };
    let mut operation_ids = BTreeMap::new();
    let mut by_route = BTreeMap::new();
    for (path_name, item) in paths {
        let item_pointer = format!("/paths/{}", escape_pointer_token(path_name));
        let Some(item) = item.as_object() else {
            return Err((item_pointer, "a path item must be an object".into()));
        };
        if item.contains_key("$ref") {
            return Err((
                format!("{item_pointer}/$ref"),
                "path items given by `$ref` are not supported by progenitor".into(),
            ));
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let op_pointer = format!("{item_pointer}/{method}");
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                return Err((
                    format!("{op_pointer}/operationId"),
                    "every operation needs a string `operationId` (it names the client method)"
                        .into(),
                ));
            };
            if let Some(first) = operation_ids.insert(id.to_owned(), op_pointer.clone()) {
                return Err((
                    format!("{op_pointer}/operationId"),
                    format!("operationId `{id}` is already used at {first}"),
                ));
            }
            check_success_types(doc, operation, &op_pointer, id)?;
            let names = check_parameters(doc, path_name, item, operation, &op_pointer, id)?;
            let body = operation.get("requestBody").is_some();
            by_route.insert((path_name.as_str(), method), (id, op_pointer, names, body));
        }
    }
    check_user_twins(&by_route)
}

/// One operation as the twin check sees it: its id, its pointer, the names of its
/// parameters (its own and its path item's) and whether it has a request body.
type Route<'a> = (&'a str, String, BTreeSet<String>, bool);

/// A `/users/{userId}/…` operation whose `/me/…` twin (same method, same rest of the
/// path) exists is named like it with `_for_user` appended (compared as the snake-case
/// method names progenitor makes), and takes the same parameters besides `userId` and
/// the same kind of body: the client's handles pair the two by that name and write each
/// operation once for both scopes.
fn check_user_twins(by_route: &BTreeMap<(&str, &str), Route<'_>>) -> Result<(), Found> {
    for ((path, method), (id, pointer, names, body)) in by_route {
        let Some(rest) = path.strip_prefix(USER_PREFIX) else {
            continue;
        };
        let me_path = format!("/me{rest}");
        let Some((me_id, _, me_names, me_body)) = by_route.get(&(me_path.as_str(), *method)) else {
            continue;
        };
        use heck::ToSnakeCase;
        let expected = format!("{}_for_user", me_id.to_snake_case());
        if id.to_snake_case() != expected {
            return Err((
                format!("{pointer}/operationId"),
                format!(
                    "operationId `{id}` is the `/users/{{userId}}` twin of `{me_id}` \
                     ({} {me_path}); name it `{expected}`",
                    method.to_uppercase()
                ),
            ));
        }
        let mut user_names = names.clone();
        user_names.remove("userId");
        if user_names != *me_names || body != me_body {
            return Err((
                pointer.clone(),
                format!(
                    "`{id}` is the `/users/{{userId}}` twin of `{me_id}` ({} {me_path}), but \
                     their parameters or request bodies differ: besides `userId`, the twins \
                     take the same arguments (one handle method calls both)",
                    method.to_uppercase()
                ),
            ));
        }
    }
    Ok(())
}

/// The path prefix of a user's resources.
const USER_PREFIX: &str = "/users/{userId}";

/// The parameters of one operation (its own and its path item's): no name declared twice
/// in one place, every path parameter required and named by a `{placeholder}` in the
/// path, and every placeholder declared. progenitor panics on the last two and silently
/// generates a broken URL for the first. Returns the names of all its parameters.
fn check_parameters(
    doc: &Value,
    path_name: &str,
    item: &serde_json::Map<String, Value>,
    operation: &Value,
    op_pointer: &str,
    id: &str,
) -> Result<BTreeSet<String>, Found> {
    let item_pointer = format!("/paths/{}", escape_pointer_token(path_name));
    let levels = [
        (item.get("parameters"), format!("{item_pointer}/parameters")),
        (
            operation.get("parameters"),
            format!("{op_pointer}/parameters"),
        ),
    ];
    let placeholders = placeholders(path_name);
    let mut path_params = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (list, list_pointer) in levels {
        let Some(list) = list else {
            continue;
        };
        let Some(list) = list.as_array() else {
            return Err((list_pointer, "`parameters` must be a list".into()));
        };
        let mut seen = BTreeMap::new();
        for (index, parameter) in list.iter().enumerate() {
            let at = format!("{list_pointer}/{index}");
            let parameter = resolve(doc, parameter);
            let (Some(name), Some(location)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                return Err((at, "a parameter needs a string `name` and `in`".into()));
            };
            if let Some(first) = seen.insert((name, location), index) {
                return Err((
                    at,
                    format!(
                        "operation `{id}`: {location} parameter `{name}` is declared twice \
                         (also at {list_pointer}/{first})"
                    ),
                ));
            }
            names.insert(name.to_owned());
            if location != "path" {
                continue;
            }
            if parameter.get("required") != Some(&Value::Bool(true)) {
                return Err((
                    format!("{at}/required"),
                    format!(
                        "operation `{id}`: path parameter `{name}` must have `required: true` \
                         (a path cannot leave out a segment)"
                    ),
                ));
            }
            if !placeholders.contains(name) {
                return Err((
                    at,
                    format!(
                        "operation `{id}`: path parameter `{name}` has no `{{{name}}}` in the \
                         path `{path_name}`"
                    ),
                ));
            }
            path_params.insert(name);
        }
    }
    if let Some(missing) = placeholders.iter().find(|p| !path_params.contains(*p)) {
        return Err((
            op_pointer.to_owned(),
            format!(
                "operation `{id}`: the path `{path_name}` has `{{{missing}}}` but no path \
                 parameter `{missing}` is declared"
            ),
        ));
    }
    Ok(names)
}

/// The `{name}` placeholders of a path template.
fn placeholders(path: &str) -> BTreeSet<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn check_success_types(
    doc: &Value,
    operation: &Value,
    op_pointer: &str,
    id: &str,
) -> Result<(), Found> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Err((
            format!("{op_pointer}/responses"),
            format!("operation `{id}` has no `responses` object"),
        ));
    };
    let is_success = |code: &str| code == "default" || code.starts_with('2');
    let mut types: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut success_codes = BTreeSet::new();
    for (code, response) in responses {
        if !is_success(code) {
            continue;
        }
        success_codes.insert(code.as_str());
        let response = resolve(doc, response);
        let body = response
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.values().next())
            .and_then(|media| media.get("schema"))
            .map_or_else(|| "no body".to_owned(), Value::to_string);
        types.entry(body).or_default().push(code);
    }
    // progenitor drops a `default` that follows a `2XX` range before comparing.
    if success_codes.contains("2XX") && success_codes.contains("default") {
        for codes in types.values_mut() {
            codes.retain(|code| *code != "default");
        }
        types.retain(|_, codes| !codes.is_empty());
    }
    if types.len() > 1 {
        let groups: Vec<String> = types.values().map(|codes| codes.join(" + ")).collect();
        return Err((
            format!("{op_pointer}/responses"),
            format!(
                "operation `{id}`: success responses ({}) have {} different body types; \
                 progenitor 0.15 asserts that all 2xx responses and `default` share one type \
                 (`default` counts as a success). Describe errors with `4XX`/`5XX` instead \
                 of `default`, or give every success response the same schema",
                groups.join(", "),
                types.len()
            ),
        ));
    }
    Ok(())
}
