//! The maintainer loop: `sync` from Microsoft's metadata, the typed API `diff`, and the
//! `check` for snapshot drift.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use graph_online_meetings_codegen::diff::{Bump, Impact, diff};
use graph_online_meetings_codegen::load_value;
use graph_online_meetings_codegen::sync::{
    Csdl, DERIVED, EDM, EXPAND, ROOTS, roots, sync, to_yaml,
};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

fn metadata(date: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/metadata/graph-v1.0-metadata-{date}.xml.gz"))
}

fn our_spec() -> PathBuf {
    root().join("openapi/onlinemeetings.yaml")
}

fn synced(spec: &Value, date: &str) -> Value {
    let csdl = Csdl::read(&metadata(date)).unwrap_or_else(|e| panic!("{e}"));
    let mut out = spec.clone();
    sync(&csdl, &mut out).expect("syncs");
    out
}

/// Syncing from the older metadata and then the newer: the diff between the two results
/// lists exactly the properties, members and schemas Microsoft added or removed, as
/// computed here from the two CSDL files. The older metadata predates transcripts and
/// recordings, so its sync starts from the roots it has.
#[test]
fn the_diff_between_two_syncs_is_what_microsoft_changed() {
    let mut spec = load_value(&our_spec()).expect("our spec");
    let old_csdl = Csdl::read(&metadata("2023-03-02")).expect("old metadata");
    let new_csdl = Csdl::read(&metadata("2026-08-04")).expect("new metadata");
    let all_roots = roots(&spec).expect("the spec names its roots");
    let old_roots: Vec<String> = all_roots
        .iter()
        .filter(|root| {
            old_csdl
                .reachable(std::slice::from_ref(root), &[])
                .contains(*root)
        })
        .cloned()
        .collect();
    assert!(
        old_roots.len() < all_roots.len(),
        "2023 has no callTranscript"
    );
    spec[ROOTS] = json!(old_roots);
    let mut old = synced(&spec, "2023-03-02");
    old[ROOTS] = json!(all_roots);
    let new = synced(&old, "2026-08-04");

    let (old_surface, new_surface) = (old_csdl.surface(&old_roots), new_csdl.surface(&all_roots));
    let mut truth = BTreeSet::new();
    for (schema, names) in &new_surface {
        match old_surface.get(schema) {
            None => {
                truth.insert(format!("schema {schema}: added"));
            }
            Some(old_names) => {
                for name in names.difference(old_names) {
                    truth.insert(format!("schema {schema}: {name} added"));
                }
                for name in old_names.difference(names) {
                    truth.insert(format!("schema {schema}: {name} removed"));
                }
            }
        }
    }
    for schema in old_surface.keys() {
        if !new_surface.contains_key(schema) {
            truth.insert(format!("schema {schema}: removed"));
        }
    }
    assert!(
        truth.len() > 10,
        "the two versions differ a lot: {truth:#?}"
    );
    assert!(
        truth.contains("schema onlineMeetingBase: added")
            || truth.iter().any(|t| t.contains("watermarkProtection"))
    );

    let listed: BTreeSet<String> = diff(&old, &new)
        .changes
        .into_iter()
        .filter(|c| c.impact != Impact::Docs)
        .filter_map(|c| {
            let what = c.what.as_str();
            let (schema, rest) = c.place.split_once(", property ").map_or_else(
                || (c.place.clone(), None),
                |(s, p)| (s.to_owned(), Some(p.to_owned())),
            );
            match (rest, what) {
                (Some(p), "added") => Some(format!("{schema}: {p} added")),
                (Some(p), "removed") => Some(format!("{schema}: {p} removed")),
                (None, "added" | "removed") => Some(format!("{schema}: {what}")),
                (None, w) => w
                    .strip_prefix("enum member `")
                    .and_then(|m| m.split_once("` "))
                    .map(|(m, verb)| format!("{schema}: {m} {verb}")),
                _ => None,
            }
        })
        .collect();
    assert_eq!(listed, truth);
}

/// On the newer metadata the committed spec is already in sync: the bytes do not change,
/// and a second sync gives the same bytes as the first (deterministic output).
#[test]
fn the_committed_spec_is_in_sync_with_the_newer_metadata() {
    let path = our_spec();
    let committed = std::fs::read_to_string(&path).expect("the spec");
    let spec = load_value(&path).expect("parses");
    let once = synced(&spec, "2026-08-04");
    assert_eq!(to_yaml(&path, &once).expect("yaml"), committed);
    let twice = synced(&once, "2026-08-04");
    assert_eq!(twice, once);
}

/// A small spec to vary: one schema with a property, an enum, one operation.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "get_thing",
                    "summary": "Get a thing",
                    "x-idempotent": true,
                    "x-permissions": {"delegated": ["Things.Read"], "application": []},
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "required": false, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}}
                    }
                }
            }
        },
        "components": {"schemas": {
            "thing": {"type": "object", "description": "A thing.", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "name": {"type": "string", "nullable": true, "description": "Its name."},
                "kind": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/kind"}]}
            }},
            "kind": {"type": "string", "enum": ["a", "b"]}
        }}
    })
}

/// `edit` applied to [`base`], diffed against it: `(impact, place, what)` of each change.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(Impact, String, String)> {
    let old = base();
    let mut new = base();
    edit(&mut new);
    diff(&old, &new)
        .changes
        .into_iter()
        .map(|c| (c.impact, c.place, c.what))
        .collect()
}

/// A named edit of [`base`] and the changes it must give.
type Case = (
    &'static str,
    Box<dyn FnOnce(&mut Value)>,
    Vec<(Impact, String, String)>,
);

fn one(impact: Impact, place: &str, what: &str) -> Vec<(Impact, String, String)> {
    vec![(impact, place.to_owned(), what.to_owned())]
}

#[test]
fn every_change_kind_is_classed() {
    use Impact::{Additive, Breaking, Docs};
    let thing = "/components/schemas/thing";
    let op = "/paths/~1things~1{id}/get";
    let cases: Vec<Case> = vec![
        ("nothing", Box::new(|_| {}), vec![]),
        (
            "property removed",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/properties"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            }),
            one(Breaking, "schema thing, property name", "removed"),
        ),
        (
            "property added",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/properties")).unwrap()["size"] =
                    json!({"type": "integer"});
            }),
            one(Additive, "schema thing, property size", "added"),
        ),
        (
            "required property added",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/properties")).unwrap()["size"] =
                    json!({"type": "integer"});
                v.pointer_mut(&format!("{thing}/required"))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!("size"));
            }),
            one(Breaking, "schema thing, property size", "added, required"),
        ),
        (
            "property type changed",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/properties/name")).unwrap()["type"] =
                    json!("integer");
            }),
            one(Breaking, "schema thing, property name", "type changed"),
        ),
        (
            "optional property made required",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/required"))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!("name"));
            }),
            one(Breaking, "schema thing, property name", "made required"),
        ),
        (
            "schema removed",
            Box::new(|v| {
                v.pointer_mut("/components/schemas")
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("kind");
            }),
            one(Breaking, "schema kind", "removed"),
        ),
        (
            "schema added",
            Box::new(|v| {
                v.pointer_mut("/components/schemas").unwrap()["other"] = json!({"type": "object"});
            }),
            one(Additive, "schema other", "added"),
        ),
        (
            "enum member removed",
            Box::new(|v| {
                v.pointer_mut("/components/schemas/kind/enum")
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
            one(Breaking, "schema kind", "enum member `b` removed"),
        ),
        (
            "enum member added",
            Box::new(|v| {
                v.pointer_mut("/components/schemas/kind/enum")
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!("c"));
            }),
            one(Additive, "schema kind", "enum member `c` added"),
        ),
        (
            "description changed",
            Box::new(move |v| {
                v.pointer_mut(&format!("{thing}/properties/name")).unwrap()["description"] =
                    json!("Its new name.");
            }),
            one(Docs, "schema thing, property name", "description changed"),
        ),
        (
            "summary changed",
            Box::new(move |v| v.pointer_mut(op).unwrap()["summary"] = json!("Fetch a thing")),
            one(Docs, "operation get_thing", "summary changed"),
        ),
        (
            "example added",
            Box::new(move |v| v.pointer_mut(thing).unwrap()["example"] = json!({"id": "1"})),
            one(Docs, "schema thing", "example changed"),
        ),
        (
            "operation removed",
            Box::new(|v| v["paths"] = json!({})),
            one(
                Breaking,
                "operation get_thing",
                "removed (GET /things/{id})",
            ),
        ),
        (
            "operation added",
            Box::new(move |v| {
                let mut post = v.pointer(op).unwrap().clone();
                post["operationId"] = json!("make_thing");
                v.pointer_mut("/paths/~1things~1{id}").unwrap()["post"] = post;
            }),
            one(
                Additive,
                "operation make_thing",
                "added (POST /things/{id})",
            ),
        ),
        (
            "optional parameter added",
            Box::new(move |v| {
                v.pointer_mut(&format!("{op}/parameters"))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "top", "in": "query", "schema": {"type": "integer"}}));
            }),
            one(
                Breaking,
                "operation get_thing, parameter top",
                "added, optional (a new argument of the raw client's method)",
            ),
        ),
        (
            "optional parameter made required",
            Box::new(move |v| {
                v.pointer_mut(&format!("{op}/parameters/1")).unwrap()["required"] = json!(true)
            }),
            one(
                Breaking,
                "operation get_thing, parameter q",
                "made required",
            ),
        ),
        (
            "success status removed",
            Box::new(move |v| {
                let responses = v
                    .pointer_mut(&format!("{op}/responses"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap();
                let ok = responses.remove("200").unwrap();
                responses.insert("201".into(), ok);
            }),
            vec![
                (
                    Breaking,
                    "operation get_thing".into(),
                    "success status 200 removed".into(),
                ),
                (
                    Additive,
                    "operation get_thing".into(),
                    "response 201 added".into(),
                ),
            ],
        ),
        (
            "no longer idempotent",
            Box::new(move |v| v.pointer_mut(op).unwrap()["x-idempotent"] = json!(false)),
            one(
                Breaking,
                "operation get_thing",
                "no longer idempotent (retried only on 429 now)",
            ),
        ),
        (
            "idempotency key changed",
            Box::new(move |v| {
                v.pointer_mut(op).unwrap()["x-idempotency-key"] = json!("id");
            }),
            one(Breaking, "operation get_thing", "idempotency key changed"),
        ),
        (
            "permission removed",
            Box::new(move |v| v.pointer_mut(op).unwrap()["x-permissions"]["delegated"] = json!([])),
            one(
                Breaking,
                "operation get_thing",
                "delegated permission `Things.Read` no longer allows it",
            ),
        ),
    ];
    for (name, edit, expected) in cases {
        let mut expected = expected;
        expected.sort();
        assert_eq!(changes(edit), expected, "{name}");
    }
}

/// An operation that becomes idempotent, with its key, is one additive change (the key
/// is new, not changed).
#[test]
fn becoming_idempotent_with_a_key_is_additive() {
    let op = "/paths/~1things~1{id}/get";
    let mut old = base();
    old.pointer_mut(op).unwrap()["x-idempotent"] = json!(false);
    let mut new = base();
    new.pointer_mut(op).unwrap()["x-idempotency-key"] = json!("id");
    let found: Vec<_> = diff(&old, &new)
        .changes
        .into_iter()
        .map(|c| (c.impact, c.what))
        .collect();
    assert_eq!(
        found,
        [(
            Impact::Additive,
            "now idempotent (retried on 503, 504 and timeouts too)".to_owned()
        )]
    );
}

#[test]
fn the_bump_follows_pre_1_0_rules() {
    let version = semver::Version::new(0, 3, 1);
    let result = |edit: fn(&mut Value)| {
        let mut new = base();
        edit(&mut new);
        diff(&base(), &new)
    };
    let breaking = result(|v| v["paths"] = json!({}));
    assert_eq!(breaking.bump(&version), Bump::Minor);
    assert!(breaking.to_text(&version).contains("0.3.1 -> 0.4.0"));
    let additive = result(|v| v["components"]["schemas"]["x"] = json!({"type": "object"}));
    assert_eq!(additive.bump(&version), Bump::Patch);
    assert_eq!(additive.bump(&semver::Version::new(1, 2, 0)), Bump::Minor);
    assert_eq!(breaking.bump(&semver::Version::new(1, 2, 0)), Bump::Major);
    assert_eq!(result(|_| {}).bump(&version), Bump::None);
    let json: Value = serde_json::from_str(&breaking.to_json(&version)).expect("JSON");
    assert_eq!(json["next_version"], "0.4.0");
    assert!(breaking.to_markdown(&version).contains("| **breaking** |"));
}

/// The binary: 0 when nothing breaks, 1 when something does, 2 on bad input, with the
/// formats; and `check` agrees with the committed snapshots.
#[test]
fn the_binary_exits_0_1_or_2() {
    let dir = std::env::temp_dir().join(format!("meetings-codegen-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let write = |name: &str, value: &Value| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(value).expect("JSON")).expect("written");
        path
    };
    let old = write("old.json", &base());
    let mut added = base();
    added["components"]["schemas"]["x"] = json!({"type": "object"});
    let added = write("added.json", &added);
    let mut removed = base();
    removed["paths"] = json!({});
    let removed = write("removed.json", &removed);
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ not json").expect("written");
    let manifest = root().join("Cargo.toml");

    let run = |new: &Path, format: &str| {
        Command::new(env!("CARGO_BIN_EXE_meetings-codegen"))
            .args([
                "diff",
                old.to_str().unwrap(),
                new.to_str().unwrap(),
                "--format",
                format,
            ])
            .arg("--manifest")
            .arg(&manifest)
            .output()
            .expect("runs")
    };
    let out = run(&added, "text");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("additive  schema x: added"));
    let out = run(&removed, "markdown");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("**breaking**"));
    let out = run(&removed, "json");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json["breaking"], 1);
    let out = run(&broken, "text");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.json") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let out = run(&dir.join("missing.json"), "text");
    assert_eq!(out.status.code(), Some(2), "{out:?}");

    let check = Command::new(env!("CARGO_BIN_EXE_meetings-codegen"))
        .current_dir(root())
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sync starts from the roots the spec lists: none listed, or none the metadata has, is
/// an error that says so, and the spec is left as it was.
#[test]
fn sync_needs_roots_the_metadata_has() {
    let csdl = Csdl::read(&metadata("2023-03-02")).expect("old metadata");
    let spec = load_value(&our_spec()).expect("our spec");
    for (roots, expected) in [
        (None, "the spec has no `x-graph-sync-roots`"),
        (Some(json!([])), "`x-graph-sync-roots` is empty"),
        (
            Some(json!(["onlineMeeting"])),
            "each root is a `microsoft.graph.` type name",
        ),
        (
            Some(json!(["microsoft.graph.callTranscript"])),
            "the metadata has none of the roots the spec names in `x-graph-sync-roots` \
             (microsoft.graph.callTranscript)",
        ),
    ] {
        let mut edited = spec.clone();
        match roots {
            Some(list) => edited[ROOTS] = list,
            None => {
                edited.as_object_mut().expect("an object").remove(ROOTS);
            }
        }
        let before = edited.clone();
        let err = sync(&csdl, &mut edited).expect_err("refused");
        assert!(err.contains(expected), "{err}");
        assert_eq!(edited, before, "nothing written");
    }
}

/// A root the metadata lacks (the 2023 file predates transcripts) is not synced: its
/// schema and those it refers to stay as they were, so its operations still generate,
/// and the report names it; the other roots are synced.
#[test]
fn a_root_the_metadata_lacks_keeps_its_schemas() {
    let csdl = Csdl::read(&metadata("2023-03-02")).expect("old metadata");
    let spec = load_value(&our_spec()).expect("our spec");
    let mut edited = spec.clone();
    let summary = sync(&csdl, &mut edited).expect("syncs the roots it has");
    assert_eq!(
        summary.missing_roots,
        [
            "microsoft.graph.callTranscript",
            "microsoft.graph.callRecording"
        ]
    );
    assert!(
        summary
            .to_string()
            .contains("root not in the metadata, its schemas kept: microsoft.graph.callTranscript")
    );
    let schema = |spec: &Value, name: &str| spec["components"]["schemas"][name].clone();
    for kept in ["callTranscript", "callRecording"] {
        assert_eq!(schema(&edited, kept), schema(&spec, kept), "{kept} kept");
    }
    assert_ne!(
        schema(&edited, "onlineMeeting"),
        schema(&spec, "onlineMeeting"),
        "the roots the metadata has are synced"
    );
    let text = serde_json::to_string(&edited).expect("JSON");
    graph_online_meetings_codegen::generate_from_str(Path::new("synced.json"), &text)
        .expect("the spec still generates");
}

/// A navigation property is written only when the spec lists it in
/// `x-graph-sync-expand` (what an operation can `$expand`); an entry that names none is
/// an error that says so, and the spec is left as it was.
#[test]
fn sync_writes_only_the_navigation_properties_the_spec_expands() {
    let csdl = Csdl::read(&metadata("2026-08-04")).expect("new metadata");
    let spec = load_value(&our_spec()).expect("our spec");
    let records = "/components/schemas/meetingAttendanceReport/properties/attendanceRecords";
    let mut out = spec.clone();
    sync(&csdl, &mut out).expect("syncs");
    assert!(out.pointer(records).is_some(), "expanded: written");
    assert!(
        out.pointer("/components/schemas/callTranscript/properties/content")
            .is_none(),
        "a stream property is not JSON"
    );
    let mut unlisted = spec.clone();
    unlisted.as_object_mut().expect("an object").remove(EXPAND);
    sync(&csdl, &mut unlisted).expect("syncs");
    assert!(
        unlisted.pointer(records).is_none(),
        "not listed: not written"
    );
    let records = "microsoft.graph.meetingAttendanceReport/attendanceRecords";
    for (list, expected) in [
        (
            json!(["microsoft.graph.meetingAttendanceReport/totalParticipantCount"]),
            "no navigation property",
        ),
        (json!([records, records]), "twice"),
    ] {
        let mut wrong = spec.clone();
        wrong[EXPAND] = list;
        let before = wrong.clone();
        let err = sync(&csdl, &mut wrong).expect_err("refused");
        assert!(err.contains(expected), "{err}");
        assert_eq!(wrong, before, "nothing written");
    }
}

/// A small CSDL with what the real one has at its hardest: an abstract base type with
/// derived types (one of them in a namespace below `microsoft.graph`), a property of the
/// base type, every Edm primitive, a stream, an open type, and names Graph gives twice in
/// one Rust spelling (an enum's `remoteControlSoftware` and `remote_Control_Software`).
const SHAPES: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="malwareCategory">
        <Member Name="remoteControlSoftware" Value="1" />
        <Member Name="remote_Control_Software" Value="2" />
        <Member Name="other" Value="3" />
      </EnumType>
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="attachment" BaseType="graph.entity" Abstract="true">
        <Property Name="name" Type="Edm.String" />
      </EntityType>
      <EntityType Name="fileAttachment" BaseType="graph.attachment">
        <Property Name="contentBytes" Type="Edm.Binary" />
      </EntityType>
      <EntityType Name="holder" BaseType="graph.entity" OpenType="true">
        <Property Name="attachments" Type="Collection(graph.attachment)" />
        <Property Name="category" Type="graph.malwareCategory" />
        <Property Name="content" Type="Edm.Stream" />
        <Property Name="display" Type="Edm.String" />
        <Property Name="Display" Type="Edm.String" />
        <Property Name="b" Type="Edm.Boolean" /><Property Name="by" Type="Edm.Byte" />
        <Property Name="sb" Type="Edm.SByte" /><Property Name="i16" Type="Edm.Int16" />
        <Property Name="i32" Type="Edm.Int32" /><Property Name="i64" Type="Edm.Int64" />
        <Property Name="sg" Type="Edm.Single" /><Property Name="db" Type="Edm.Double" />
        <Property Name="dc" Type="Edm.Decimal" /><Property Name="dto" Type="Edm.DateTimeOffset" />
        <Property Name="d" Type="Edm.Date" /><Property Name="t" Type="Edm.TimeOfDay" />
        <Property Name="du" Type="Edm.Duration" /><Property Name="g" Type="Edm.Guid" />
        <Property Name="bin" Type="Edm.Binary" /><Property Name="u" Type="Edm.Untyped" />
        <Property Name="s" Type="Edm.String" />
        <NavigationProperty Name="owner" Type="graph.holder" />
      </EntityType>
    </Schema>
    <Schema Namespace="microsoft.graph.security" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="fileAttachment" BaseType="graph.attachment">
        <Property Name="verdict" Type="self.verdict" />
      </EntityType>
      <EnumType Name="verdict"><Member Name="clean" Value="0" /></EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

/// The codegen's small test spec with the small CSDL's `holder` as its root.
fn shapes_spec(derived: bool) -> (Csdl, Value) {
    let csdl = Csdl::parse(Path::new("shapes.xml"), SHAPES).expect("parses");
    let mut spec = load_value(&root().join("codegen/tests/specs/small.yaml")).expect("small spec");
    spec[ROOTS] = json!(["microsoft.graph.holder"]);
    if derived {
        spec[DERIVED] = json!(["microsoft.graph.attachment"]);
    }
    (csdl, spec)
}

/// With `x-graph-sync-derived`, sync writes every type derived from the base (a
/// namespace below `microsoft.graph` kept in the name) and a discriminator on the base;
/// without it, it writes neither and its report says what it left out.
#[test]
fn sync_writes_the_derived_types_of_the_bases_the_spec_lists() {
    let (csdl, mut spec) = shapes_spec(true);
    let summary = sync(&csdl, &mut spec).expect("syncs");
    let schemas = &spec["components"]["schemas"];
    assert_eq!(
        schemas["attachment"]["discriminator"],
        json!({
            "propertyName": "@odata.type",
            "mapping": {
                "#microsoft.graph.fileAttachment": "#/components/schemas/fileAttachment",
                "#microsoft.graph.security.fileAttachment": "#/components/schemas/security.fileAttachment",
            }
        })
    );
    assert_eq!(
        schemas["security.fileAttachment"]["properties"]["verdict"]["allOf"][0]["$ref"],
        "#/components/schemas/security.verdict"
    );
    assert!(summary.derived_not_written.is_empty(), "{summary}");

    let (csdl, mut spec) = shapes_spec(false);
    let summary = sync(&csdl, &mut spec).expect("syncs");
    let schemas = &spec["components"]["schemas"];
    assert!(schemas.get("fileAttachment").is_none());
    assert!(schemas["attachment"].get("discriminator").is_none());
    let report = summary.to_string();
    for left_out in [
        "derived types not written: attachment (2 derived)",
        "not expanded: holder.owner",
        "stream: holder.content",
        "open type: holder",
    ] {
        assert!(report.contains(left_out), "{report}");
    }

    let (csdl, mut spec) = shapes_spec(false);
    spec[DERIVED] = json!(["microsoft.graph.holder"]);
    let err = sync(&csdl, &mut spec).expect_err("holder has no derived types");
    assert!(
        err.contains("no structured type of the metadata with derived types"),
        "{err}"
    );
}

/// Every Edm primitive gets the OpenAPI type and format `EDM` gives it.
#[test]
fn every_edm_primitive_has_its_openapi_type_and_format() {
    let (csdl, mut spec) = shapes_spec(false);
    sync(&csdl, &mut spec).expect("syncs");
    let properties = &spec["components"]["schemas"]["holder"]["properties"];
    let by_edm = [
        ("s", "Edm.String"),
        ("b", "Edm.Boolean"),
        ("by", "Edm.Byte"),
        ("sb", "Edm.SByte"),
        ("i16", "Edm.Int16"),
        ("i32", "Edm.Int32"),
        ("i64", "Edm.Int64"),
        ("sg", "Edm.Single"),
        ("db", "Edm.Double"),
        ("dc", "Edm.Decimal"),
        ("dto", "Edm.DateTimeOffset"),
        ("d", "Edm.Date"),
        ("t", "Edm.TimeOfDay"),
        ("du", "Edm.Duration"),
        ("g", "Edm.Guid"),
        ("bin", "Edm.Binary"),
        ("u", "Edm.Untyped"),
    ];
    assert_eq!(by_edm.len(), EDM.len(), "a property per Edm primitive");
    for (property, edm) in by_edm {
        let (_, ty, format) = EDM.iter().find(|(name, ..)| *name == edm).expect("mapped");
        let schema = &properties[property];
        assert_eq!(schema.get("type").and_then(Value::as_str), *ty, "{edm}");
        assert_eq!(
            schema.get("format").and_then(Value::as_str),
            *format,
            "{edm}"
        );
    }
}

/// Where Graph gives two names one Rust spelling, sync writes the first and reports the
/// other (the models keep its value anyway: the open enum's catch-all, the additional
/// properties), so what it writes always generates.
#[test]
fn sync_writes_one_of_two_names_with_one_rust_spelling() {
    let (csdl, mut spec) = shapes_spec(false);
    let summary = sync(&csdl, &mut spec).expect("syncs");
    let schemas = &spec["components"]["schemas"];
    assert_eq!(
        schemas["malwareCategory"]["enum"],
        json!(["remoteControlSoftware", "other"])
    );
    let holder = schemas["holder"]["properties"]
        .as_object()
        .expect("properties");
    assert_eq!(
        holder.contains_key("display") as u8 + holder.contains_key("Display") as u8,
        1
    );
    assert_eq!(
        summary.same_rust_name.len(),
        2,
        "{:?}",
        summary.same_rust_name
    );
    assert!(
        summary
            .same_rust_name
            .contains(&"malwareCategory.remote_Control_Software".to_owned())
    );
    let dir = std::env::temp_dir().join(format!("shapes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let path = dir.join("shapes.yaml");
    std::fs::write(&path, to_yaml(&path, &spec).expect("yaml")).expect("written");
    graph_online_meetings_codegen::generate(&path)
        .unwrap_or_else(|e| panic!("generates: {}", graph_online_meetings_codegen::report(&e)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `meetings-codegen snapshots` writes what insta writes: with one committed snapshot
/// deleted and another stale, it rewrites both byte for byte, deletes one the spec does
/// not generate, and leaves the rest alone.
#[test]
fn snapshots_are_written_as_insta_writes_them() {
    let committed = root().join("tests/models/snapshots");
    let dir = std::env::temp_dir().join(format!("snapshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for entry in std::fs::read_dir(&committed).expect("the snapshots") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("a name"))).expect("copied");
    }
    let deleted = "models__generated_code__types__online_meeting.snap";
    let stale = "models__generated_code__client.snap";
    let extra = "models__generated_code__types__gone.snap";
    std::fs::remove_file(dir.join(deleted)).expect("deleted");
    std::fs::write(dir.join(stale), "---\nsource: x\n---\nstale\n").expect("written");
    std::fs::write(dir.join(extra), "---\nsource: x\n---\ngone\n").expect("written");

    let mut changed =
        graph_online_meetings_codegen::write_snapshots(&our_spec(), &dir).expect("written");
    changed.sort();
    assert_eq!(
        changed,
        [dir.join(stale), dir.join(extra), dir.join(deleted)]
    );
    for name in [deleted, stale] {
        assert_eq!(
            std::fs::read(dir.join(name)).expect("written"),
            std::fs::read(committed.join(name)).expect("committed"),
            "{name}"
        );
    }
    assert!(!dir.join(extra).exists());
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}
