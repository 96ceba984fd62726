//! A typed API diff of two OpenAPI documents: every change to what the generated crate
//! offers its users, each classed as [`Impact::Breaking`], [`Impact::Additive`] or
//! [`Impact::Docs`], and the semver bump the set of changes needs.
//!
//! What is compared, and how it is classed:
//!
//! | change | impact |
//! | --- | --- |
//! | schema, property, enum member, operation, parameter or success status removed | breaking |
//! | a type changed (schema, property, parameter, request or response body) | breaking |
//! | a property or parameter made required, or no longer required | breaking |
//! | an operation's facts: no longer idempotent, another idempotency key, a permission removed | breaking |
//! | schema, optional property, enum member, operation, success status added | additive |
//! | an operation made idempotent, a permission added | additive |
//! | a required property, or any parameter, added | breaking |
//! | descriptions, summaries, external docs, examples | docs |
//!
//! The verdicts hold for Rust because of how the code is generated: every model struct
//! and open enum is `#[non_exhaustive]` (models are built from `Default` or a constructor
//! with `with_…` setters, not struct literals, and a `match` has a `_` arm), so a new optional
//! property or enum member breaks no code outside the crate. A new parameter does: the
//! raw client's methods are positional.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::document::{operations, resolve};

/// How a change affects the users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Code that compiled (or behaved) before may not any more.
    Breaking,
    /// New API; existing code is unaffected.
    Additive,
    /// Documentation only.
    Docs,
}

impl Impact {
    /// `breaking`, `additive` or `docs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Docs => "docs",
        }
    }
}

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// How it affects users.
    pub impact: Impact,
    /// Where: `schema onlineMeeting`, `schema onlineMeeting, property subject`,
    /// `operation get_online_meeting`, …
    pub place: String,
    /// What changed.
    pub what: String,
}

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// The patch number.
    Patch,
    /// The minor number.
    Minor,
    /// The major number.
    Major,
}

/// The result of [`diff`].
#[derive(Debug, Clone, Serialize)]
pub struct ApiDiff {
    /// Every change, breaking first, then by place.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// The bump these changes need for a crate at `version` (`major.minor.patch`):
    /// before 1.0, a breaking change bumps the minor number and anything else the patch
    /// number; from 1.0, major for breaking, minor for additive, patch for docs.
    pub fn bump(&self, version: &semver::Version) -> Bump {
        let worst = self.changes.iter().map(|c| c.impact).min();
        match (worst, version.major) {
            (None, _) => Bump::None,
            (Some(Impact::Breaking), 0) => Bump::Minor,
            (Some(Impact::Breaking), _) => Bump::Major,
            (Some(Impact::Additive), 0) => Bump::Patch,
            (Some(Impact::Additive), _) => Bump::Minor,
            (Some(Impact::Docs), _) => Bump::Patch,
        }
    }

    /// Plain text: one line per change, then the bump.
    pub fn to_text(&self, version: &semver::Version) -> String {
        let mut out = String::new();
        for change in &self.changes {
            let _ = writeln!(
                out,
                "{:<9} {}: {}",
                change.impact.as_str(),
                change.place,
                change.what
            );
        }
        let _ = writeln!(out, "{}", self.summary(version));
        out
    }

    /// Markdown for a pull request: a summary line and a table.
    pub fn to_markdown(&self, version: &semver::Version) -> String {
        let mut out = String::from("## API changes\n\n");
        let _ = writeln!(out, "{}\n", self.summary(version));
        if !self.changes.is_empty() {
            out.push_str("| impact | where | what |\n| --- | --- | --- |\n");
            for change in &self.changes {
                let impact = match change.impact {
                    Impact::Breaking => "**breaking**",
                    Impact::Additive => "additive",
                    Impact::Docs => "docs",
                };
                let _ = writeln!(
                    out,
                    "| {impact} | {} | {} |",
                    escape_cell(&change.place),
                    escape_cell(&change.what)
                );
            }
        }
        out
    }

    /// JSON: the changes, the counts, the current version, the bump and the next version.
    pub fn to_json(&self, version: &semver::Version) -> String {
        let bump = self.bump(version);
        let value = serde_json::json!({
            "changes": self.changes,
            "breaking": self.count(Impact::Breaking),
            "additive": self.count(Impact::Additive),
            "docs": self.count(Impact::Docs),
            "version": version.to_string(),
            "bump": bump,
            "next_version": next_version(version, bump).to_string(),
        });
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    fn summary(&self, version: &semver::Version) -> String {
        let bump = self.bump(version);
        let counts = format!(
            "{} breaking, {} additive, {} docs",
            self.count(Impact::Breaking),
            self.count(Impact::Additive),
            self.count(Impact::Docs)
        );
        match bump {
            Bump::None => format!("no API change ({counts}); version {version} stays"),
            _ => format!(
                "{counts}: needs a {} bump, {version} -> {}",
                match bump {
                    Bump::Major => "major",
                    Bump::Minor => "minor",
                    _ => "patch",
                },
                next_version(version, bump)
            ),
        }
    }
}

/// `version` bumped by `bump`.
pub fn next_version(version: &semver::Version, bump: Bump) -> semver::Version {
    match bump {
        Bump::None => version.clone(),
        Bump::Patch => semver::Version::new(version.major, version.minor, version.patch + 1),
        Bump::Minor => semver::Version::new(version.major, version.minor + 1, 0),
        Bump::Major => semver::Version::new(version.major + 1, 0, 0),
    }
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Compare two OpenAPI documents (already loaded as JSON).
pub fn diff(old: &Value, new: &Value) -> ApiDiff {
    let mut changes = Vec::new();
    let mut push = |impact, place: String, what: String| {
        changes.push(Change {
            impact,
            place,
            what,
        });
    };
    diff_schemas(old, new, &mut push);
    diff_operations(old, new, &mut push);
    changes.sort();
    changes.dedup();
    ApiDiff { changes }
}

type Push<'a> = dyn FnMut(Impact, String, String) + 'a;

fn schemas(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// What a schema means for the generated Rust type: its type, format, references,
/// items, properties and members; not its docs or its nullability (an optional field is
/// an `Option` either way).
fn shape(schema: &Value) -> String {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(
                            k.as_str(),
                            "description" | "example" | "examples" | "nullable" | "title"
                        ) && !k.starts_with("x-")
                    })
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(schema).to_string()
}

/// The type part of a schema (without its properties and members, compared one by one).
fn own_type(schema: &Value) -> String {
    let mut copy = schema.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("properties");
        map.remove("enum");
        map.remove("required");
    }
    shape(&copy)
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn diff_schemas(old: &Value, new: &Value, push: &mut Push<'_>) {
    let (old_schemas, new_schemas) = (schemas(old), schemas(new));
    for (name, old_schema) in &old_schemas {
        let place = format!("schema {name}");
        let Some(new_schema) = new_schemas.get(name) else {
            push(Impact::Breaking, place, "removed".into());
            continue;
        };
        if own_type(old_schema) != own_type(new_schema) {
            push(Impact::Breaking, place.clone(), "type changed".into());
        }
        docs(old_schema, new_schema, &place, push);
        diff_members(old_schema, new_schema, &place, push);
        diff_properties(old_schema, new_schema, &place, push);
    }
    for name in new_schemas.keys() {
        if !old_schemas.contains_key(name) {
            push(Impact::Additive, format!("schema {name}"), "added".into());
        }
    }
}

fn docs(old: &Value, new: &Value, place: &str, push: &mut Push<'_>) {
    for key in [
        "description",
        "summary",
        "externalDocs",
        "example",
        "examples",
    ] {
        if old.get(key) != new.get(key) {
            push(Impact::Docs, place.to_owned(), format!("{key} changed"));
        }
    }
}

fn diff_members(old: &Value, new: &Value, place: &str, push: &mut Push<'_>) {
    let members = |schema: &Value| -> Vec<String> {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let (old_members, new_members) = (members(old), members(new));
    for member in &old_members {
        if !new_members.contains(member) {
            push(
                Impact::Breaking,
                place.to_owned(),
                format!("enum member `{member}` removed"),
            );
        }
    }
    for member in &new_members {
        if !old_members.contains(member) {
            push(
                Impact::Additive,
                place.to_owned(),
                format!("enum member `{member}` added"),
            );
        }
    }
}

fn diff_properties(old: &Value, new: &Value, place: &str, push: &mut Push<'_>) {
    let empty = Map::new();
    let props = |schema: &Value| schema.get("properties").and_then(Value::as_object).cloned();
    let (old_props, new_props) = (
        props(old).unwrap_or_else(|| empty.clone()),
        props(new).unwrap_or_else(|| empty.clone()),
    );
    let (old_required, new_required) = (required(old), required(new));
    for (name, old_prop) in &old_props {
        let place = format!("{place}, property {name}");
        let Some(new_prop) = new_props.get(name) else {
            push(Impact::Breaking, place, "removed".into());
            continue;
        };
        if shape(old_prop) != shape(new_prop) {
            push(Impact::Breaking, place.clone(), "type changed".into());
        }
        match (old_required.contains(name), new_required.contains(name)) {
            (false, true) => push(Impact::Breaking, place.clone(), "made required".into()),
            (true, false) => push(
                Impact::Breaking,
                place.clone(),
                "no longer required (its field becomes an Option)".into(),
            ),
            _ => {}
        }
        docs(old_prop, new_prop, &place, push);
    }
    for name in new_props.keys() {
        if !old_props.contains_key(name) {
            let place = format!("{place}, property {name}");
            if new_required.contains(name) {
                push(Impact::Breaking, place, "added, required".into());
            } else {
                push(Impact::Additive, place, "added".into());
            }
        }
    }
}

/// An operation as the diff sees it.
struct Op {
    method: String,
    path: String,
    operation: Value,
}

fn ops(doc: &Value) -> BTreeMap<String, Op> {
    operations(doc)
        .into_iter()
        .filter_map(|op| {
            let id = text(op.operation, "operationId")?.to_owned();
            Some((
                id,
                Op {
                    method: op.method.to_ascii_uppercase(),
                    path: op.path.to_owned(),
                    operation: op.operation.clone(),
                },
            ))
        })
        .collect()
}

fn diff_operations(old: &Value, new: &Value, push: &mut Push<'_>) {
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (id, old_op) in &old_ops {
        let place = format!("operation {id}");
        let Some(new_op) = new_ops.get(id) else {
            push(
                Impact::Breaking,
                place,
                format!("removed ({} {})", old_op.method, old_op.path),
            );
            continue;
        };
        if (&old_op.method, &old_op.path) != (&new_op.method, &new_op.path) {
            push(
                Impact::Breaking,
                place.clone(),
                format!(
                    "moved from {} {} to {} {}",
                    old_op.method, old_op.path, new_op.method, new_op.path
                ),
            );
        }
        let (o, n) = (&old_op.operation, &new_op.operation);
        docs(o, n, &place, push);
        diff_parameters(old, new, o, n, &place, push);
        let body = |doc: &Value, op: &Value| {
            op.get("requestBody")
                .map(|b| resolve(doc, b))
                .and_then(|b| b.pointer("/content/application~1json/schema"))
                .map(shape)
        };
        if body(old, o) != body(new, n) {
            push(
                Impact::Breaking,
                place.clone(),
                "request body type changed".into(),
            );
        }
        diff_responses(old, new, o, n, &place, push);
        diff_facts(o, n, &place, push);
    }
    for (id, op) in &new_ops {
        if !old_ops.contains_key(id) {
            push(
                Impact::Additive,
                format!("operation {id}"),
                format!("added ({} {})", op.method, op.path),
            );
        }
    }
}

fn diff_parameters(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    place: &str,
    push: &mut Push<'_>,
) {
    let params = |doc: &Value, op: &Value| -> BTreeMap<String, Value> {
        op.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p).clone())
            .filter_map(|p| Some((text(&p, "name")?.to_owned(), p)))
            .collect()
    };
    let (old_params, new_params) = (params(old_doc, old), params(new_doc, new));
    let is_required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
    for (name, old_param) in &old_params {
        let place = format!("{place}, parameter {name}");
        let Some(new_param) = new_params.get(name) else {
            push(Impact::Breaking, place, "removed".into());
            continue;
        };
        let schema = |p: &Value| p.get("schema").map(shape);
        if schema(old_param) != schema(new_param) || old_param.get("in") != new_param.get("in") {
            push(Impact::Breaking, place.clone(), "type changed".into());
        }
        match (is_required(old_param), is_required(new_param)) {
            (false, true) => push(Impact::Breaking, place.clone(), "made required".into()),
            (true, false) => push(
                Impact::Breaking,
                place.clone(),
                "no longer required (its argument becomes an Option)".into(),
            ),
            _ => {}
        }
        docs(old_param, new_param, &place, push);
    }
    for (name, param) in &new_params {
        if !old_params.contains_key(name) {
            let place = format!("{place}, parameter {name}");
            if is_required(param) {
                push(Impact::Breaking, place, "added, required".into());
            } else {
                // The raw client's methods take every parameter positionally, so even an
                // optional one is a new argument at every call site.
                push(
                    Impact::Breaking,
                    place,
                    "added, optional (a new argument of the raw client's method)".into(),
                );
            }
        }
    }
}

fn diff_responses(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    place: &str,
    push: &mut Push<'_>,
) {
    let responses = |doc: &Value, op: &Value| -> BTreeMap<String, Option<String>> {
        op.get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(code, r)| {
                let r = resolve(doc, r);
                let schema = r.pointer("/content/application~1json/schema").map(shape);
                (code.clone(), schema)
            })
            .collect()
    };
    let (old_responses, new_responses) = (responses(old_doc, old), responses(new_doc, new));
    let success = |code: &str| code.starts_with('2');
    for (code, old_schema) in &old_responses {
        match new_responses.get(code) {
            None if success(code) => push(
                Impact::Breaking,
                place.to_owned(),
                format!("success status {code} removed"),
            ),
            None => push(
                Impact::Breaking,
                place.to_owned(),
                format!("response {code} removed"),
            ),
            Some(new_schema) if new_schema != old_schema => push(
                Impact::Breaking,
                place.to_owned(),
                format!("response {code} type changed"),
            ),
            Some(_) => {}
        }
    }
    for code in new_responses.keys() {
        if !old_responses.contains_key(code) {
            push(
                Impact::Additive,
                place.to_owned(),
                format!("response {code} added"),
            );
        }
    }
}

fn diff_facts(old: &Value, new: &Value, place: &str, push: &mut Push<'_>) {
    let idempotent = |op: &Value| op.get("x-idempotent") == Some(&Value::Bool(true));
    match (idempotent(old), idempotent(new)) {
        (true, false) => push(
            Impact::Breaking,
            place.to_owned(),
            "no longer idempotent (retried only on 429 now)".into(),
        ),
        (false, true) => push(
            Impact::Additive,
            place.to_owned(),
            "now idempotent (retried on 503, 504 and timeouts too)".into(),
        ),
        _ => {}
    }
    // A key only matters between two idempotent versions; becoming idempotent (with its
    // key) is reported above, as additive.
    if old.get("x-idempotency-key") != new.get("x-idempotency-key")
        && idempotent(old)
        && idempotent(new)
    {
        push(
            Impact::Breaking,
            place.to_owned(),
            "idempotency key changed".into(),
        );
    }
    for kind in ["delegated", "application"] {
        let list = |op: &Value| -> BTreeSet<String> {
            op.pointer(&format!("/x-permissions/{kind}"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (o, n) = (list(old), list(new));
        for p in o.difference(&n) {
            push(
                Impact::Breaking,
                place.to_owned(),
                format!("{kind} permission `{p}` no longer allows it"),
            );
        }
        for p in n.difference(&o) {
            push(
                Impact::Additive,
                place.to_owned(),
                format!("{kind} permission `{p}` now allows it"),
            );
        }
    }
}
