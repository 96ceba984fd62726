//! The maintainer loop: `sync` from Microsoft's metadata, the typed API `diff`, and the
//! `check` for snapshot drift.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use graph_online_meetings_codegen::diff::{Bump, Impact, diff};
use graph_online_meetings_codegen::load_value;
use graph_online_meetings_codegen::sync::{Csdl, EXPAND, ROOTS, roots, sync, to_yaml};
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
                .reachable(std::slice::from_ref(root))
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

/// Sync starts from the roots the spec lists: none listed, or one the metadata lacks, is
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
            Some(json!([
                "microsoft.graph.onlineMeeting",
                "microsoft.graph.callTranscript"
            ])),
            "the metadata has no `microsoft.graph.callTranscript`",
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
