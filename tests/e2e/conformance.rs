//! The emulator checked against the spec: every route, each success and each documented
//! error, driven with plain `reqwest` (not `GraphClient`, so that no client-side check
//! hides an emulator bug), and each answer's body validated against the spec's schema for
//! that operation and status (`4XX`/`5XX` ranges included) with the `jsonschema` crate.
//!
//! The spec's schemas are OpenAPI 3.0, turned into JSON Schema here: `nullable: true`
//! admits `null`, `$ref`s point into `$defs`, and every object schema with `properties`
//! gets `additionalProperties: false`, so a property the emulator sends that the spec
//! lacks fails, unless it is in [`BEYOND_THE_SPEC`]. Coverage is checked too: every
//! operation and every response status the spec documents must have been seen.

use std::collections::BTreeSet;
use std::path::Path;

use graph_online_meetings_emulator::{
    Attendee, Fault, MeetingEnd, RunningEmulator, TokenKind, fake_token,
};
use serde_json::{Map, Value, json};

use crate::support::*;

/// The spec's schemas of types Graph's metadata marks `OpenType="true"`: an instance may
/// carry properties the type does not declare (`resourceData` holds the changed
/// resource's `id`, `@odata.id`, `@odata.etag`), so the check leaves them open.
const OPEN_TYPES: &[&str] = &["resourceData"];

/// What real Graph v1.0 sends beyond its schema, which the emulator sends too (the client
/// must keep it: it exercises the lossless models): `(schema, property, public example)`.
const BEYOND_THE_SPEC: &[(&str, &str, &str)] = &[
    (
        "meetingParticipants",
        "producers",
        "https://learn.microsoft.com/graph/api/onlinemeeting-get?view=graph-rest-1.0 (Example 1, response)",
    ),
    (
        "meetingParticipants",
        "contributors",
        "https://learn.microsoft.com/graph/api/onlinemeeting-get?view=graph-rest-1.0 (Example 1, response)",
    ),
    (
        "identity",
        "tenantId",
        "https://learn.microsoft.com/graph/api/onlinemeeting-get?view=graph-rest-1.0 (Example 1, response: participants.organizer.identity.user)",
    ),
    (
        "identity",
        "identityProvider",
        "https://learn.microsoft.com/graph/api/onlinemeeting-get?view=graph-rest-1.0 (Example 1, response: participants.organizer.identity.user)",
    ),
];

/// OData's `@odata.context` on the top-level object of every success answer (every
/// example on the reference pages starts with it).
const ODATA_CONTEXT: &str = "@odata.context";

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/onlinemeetings.yaml");
    graph_online_meetings_codegen::load_value(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// One OpenAPI 3.0 schema as JSON Schema (see the module's documentation).
fn convert(schema: &Value, name: Option<&str>) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "nullable" | "example" | "description" => {}
                    k if k.starts_with("x-") => {}
                    "$ref" => {
                        let target = value.as_str().unwrap_or_default();
                        let target = target.replace("#/components/schemas/", "#/$defs/");
                        out.insert(key.clone(), Value::String(target));
                    }
                    "properties" => {
                        let mut properties: Map<String, Value> = value
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), convert(v, None)))
                            .collect();
                        for (schema, property, _) in BEYOND_THE_SPEC {
                            if name == Some(*schema) {
                                properties.insert((*property).to_owned(), json!({}));
                            }
                        }
                        out.insert(key.clone(), Value::Object(properties));
                        let open = name.is_some_and(|name| OPEN_TYPES.contains(&name));
                        out.insert("additionalProperties".into(), Value::Bool(open));
                    }
                    "enum" | "required" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), convert(value, None));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(ty)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([ty, "null"]));
                    if let Some(Value::Array(members)) = out.get_mut("enum") {
                        members.push(Value::Null);
                    }
                } else {
                    return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| convert(v, None)).collect()),
        other => other.clone(),
    }
}

/// A validator for the response `status` of the spec operation `method path`, with the
/// key of the response it used (`"200"`, `"4XX"`); `None` for a bodiless response.
struct Spec {
    doc: Value,
    defs: Value,
}

impl Spec {
    fn new() -> Self {
        let doc = spec();
        let defs: Map<String, Value> = doc["components"]["schemas"]
            .as_object()
            .expect("components/schemas")
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema, Some(name))))
            .collect();
        Spec {
            doc,
            defs: Value::Object(defs),
        }
    }

    /// The spec path template `path` (with `/v1.0` removed) matches, the one with the
    /// fewest whole-segment parameters when several do (`getAllTranscripts(…)` over
    /// `{meetingId}`).
    fn template(&self, path: &str) -> String {
        let segments: Vec<&str> = path.split('/').collect();
        self.doc["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .filter(|template| {
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == segments.len()
                    && parts.iter().zip(&segments).all(|(t, s)| {
                        // A whole-segment parameter, or an OData function call
                        // (`getAllTranscripts(meetingOrganizerUserId='{…}',…)`) by name.
                        t.starts_with('{')
                            || t == s
                            || t.split_once('(')
                                .is_some_and(|(name, _)| s.starts_with(&format!("{name}(")))
                    })
            })
            .min_by_key(|template| template.split('/').filter(|t| t.starts_with('{')).count())
            .unwrap_or_else(|| panic!("no spec path for {path}"))
            .clone()
    }

    /// Validate `body` as the answer `status` to `method path`; returns the operation id
    /// and the response key used.
    fn check(
        &self,
        method: &str,
        path: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> (String, String) {
        let template = self.template(path);
        let operation = &self.doc["paths"][&template][method.to_ascii_lowercase()];
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("no operation {method} {template}"))
            .to_owned();
        let responses = operation["responses"].as_object().expect("responses");
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let key = [exact, range]
            .into_iter()
            .find(|k| responses.contains_key(k))
            .unwrap_or_else(|| panic!("{id}: status {status} is not documented"));
        let mut response = &responses[&key];
        if let Some(target) = response["$ref"].as_str() {
            let pointer = target.trim_start_matches('#');
            response = self.doc.pointer(pointer).expect("response $ref resolves");
        }
        let content = response["content"].as_object();
        let media = content.and_then(|c| c.keys().find(|m| *m != "application/json"));
        if let Some(media) = media {
            // Content (a transcript, a recording): bytes of the documented media type.
            assert_eq!(content_type, Some(media.as_str()), "{id} {status}");
            assert!(!body.is_empty(), "{id} {status}: no content");
            return (id, key);
        }
        match response["content"]["application/json"]["schema"].as_object() {
            None => assert!(
                body.is_empty(),
                "{id} {status}: a body where the spec has none"
            ),
            Some(schema) => {
                let value: Value = serde_json::from_slice(body)
                    .unwrap_or_else(|e| panic!("{id} {status}: not JSON ({e})"));
                let mut root = convert(&Value::Object(schema.clone()), None);
                if let Value::Object(root) = &mut root {
                    root.insert("$defs".into(), self.defs.clone());
                }
                let mut value = value;
                if status < 300 {
                    // `@odata.context` is on every success answer, at the top only.
                    assert!(
                        value.get(ODATA_CONTEXT).is_some(),
                        "{id}: no @odata.context"
                    );
                    if let Some(object) = value.as_object_mut() {
                        object.remove(ODATA_CONTEXT);
                    }
                }
                let validator = jsonschema::validator_for(&root)
                    .unwrap_or_else(|e| panic!("{id} {status}: the converted schema: {e}"));
                let errors: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{id} {status}: {errors:#?}\n{value:#}");
            }
        }
        (id, key)
    }
}

impl Spec {
    /// Validate `value` against the spec's component schema `name`.
    fn check_schema(&self, name: &str, value: &Value) {
        let root = json!({"$ref": format!("#/$defs/{name}"), "$defs": self.defs});
        let validator = jsonschema::validator_for(&root)
            .unwrap_or_else(|e| panic!("{name}: the converted schema: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{value:#}");
    }
}

struct Driver {
    emulator: RunningEmulator,
    http: reqwest::Client,
    spec: Spec,
    seen: BTreeSet<(String, String)>,
}

impl Driver {
    /// Send `method path` (under `/v1.0`) with `token` and `body`, expect `status`, and
    /// validate the answer against the spec. Returns the body as JSON (or `null`).
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
        status: u16,
    ) -> Value {
        let url = self.emulator.url(&format!("/v1.0{path}"));
        let mut request = self.http.request(method.parse().expect("a method"), url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some((content_type, bytes)) = body {
            if !content_type.is_empty() {
                request = request.header("content-type", content_type);
            }
            request = request.body(bytes);
        }
        let response = request.send().await.expect("answered");
        let got = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.expect("a body");
        assert_eq!(
            got,
            status,
            "{method} {path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let path_only = path.split('?').next().unwrap_or(path);
        let seen = self
            .spec
            .check(method, path_only, status, content_type.as_deref(), &bytes);
        self.seen.insert(seen);
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}

fn json_body(value: Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", value.to_string().into_bytes()))
}

#[tokio::test]
async fn every_emulator_answer_conforms_to_the_spec() {
    let mut d = Driver {
        emulator: start().await,
        http: reqwest::Client::new(),
        spec: Spec::new(),
        seen: BTreeSet::new(),
    };
    let me = fake_token(TENANT, USER, TokenKind::Delegated);
    let app = fake_token(TENANT, APP, TokenKind::Application);
    let me = Some(me.as_str());
    let app = Some(app.as_str());
    let user = format!("/users/{USER}/onlineMeetings");
    let meeting = json!({
        "subject": "Conformance",
        "startDateTime": "2030-01-01T09:00:00+01:00",
        "participants": {"attendees": [{"upn": "a@contoso.com", "role": "attendee",
            "identity": {"user": {"id": "a1", "displayName": "A"}}}]}
    });

    // Successes.
    d.call(
        "POST",
        "/me/onlineMeetings",
        me,
        json_body(meeting.clone()),
        201,
    )
    .await;
    let keyed = json!({"externalId": "conf-1", "subject": "Keyed"});
    d.call(
        "POST",
        "/me/onlineMeetings/createOrGet",
        me,
        json_body(keyed.clone()),
        201,
    )
    .await;
    let found = d
        .call(
            "POST",
            "/me/onlineMeetings/createOrGet",
            me,
            json_body(keyed.clone()),
            200,
        )
        .await;
    let for_user = format!("{user}/createOrGet");
    d.call(
        "POST",
        &for_user,
        app,
        json_body(json!({"externalId": "conf-2"})),
        201,
    )
    .await;
    d.call(
        "POST",
        &for_user,
        app,
        json_body(json!({"externalId": "conf-2"})),
        200,
    )
    .await;
    let id = found["id"].as_str().expect("an id").to_owned();
    let join = found["joinWebUrl"].as_str().expect("a join URL").to_owned();
    let filter = |url: &str| {
        let q: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("$filter", &format!("JoinWebUrl eq '{url}'"))
            .finish();
        q
    };
    let list = d
        .call(
            "GET",
            &format!("/me/onlineMeetings?{}", filter(&join)),
            me,
            None,
            200,
        )
        .await;
    assert_eq!(list["value"].as_array().map(Vec::len), Some(1));
    d.call("GET", &format!("{user}?{}", filter(&join)), app, None, 200)
        .await;
    d.call(
        "GET",
        &format!("/me/onlineMeetings?{}", filter("https://x")),
        me,
        None,
        200,
    )
    .await;
    d.call("GET", &format!("/me/onlineMeetings/{id}"), me, None, 200)
        .await;
    d.call("GET", &format!("{user}/{id}"), app, None, 200).await;
    let change = json_body(json!({"subject": "Changed", "allowMeetingChat": "limited"}));
    d.call(
        "PATCH",
        &format!("/me/onlineMeetings/{id}"),
        me,
        change.clone(),
        200,
    )
    .await;
    d.call("PATCH", &format!("{user}/{id}"), app, change.clone(), 200)
        .await;
    d.call("DELETE", &format!("{user}/{id}"), app, None, 204)
        .await;
    let other = d
        .call(
            "POST",
            "/me/onlineMeetings/createOrGet",
            me,
            json_body(keyed.clone()),
            201,
        )
        .await;
    let other_id = other["id"].as_str().expect("an id").to_owned();
    d.call(
        "DELETE",
        &format!("/me/onlineMeetings/{other_id}"),
        me,
        None,
        204,
    )
    .await;

    // Documented errors (4XX/5XX with Graph's error body), on every route.
    let gone = format!("/me/onlineMeetings/{id}");
    for (method, path) in [
        ("GET", gone.as_str()),
        ("PATCH", gone.as_str()),
        ("DELETE", gone.as_str()),
    ] {
        let body = (method == "PATCH").then(|| json_body(json!({}))).flatten();
        d.call(method, path, me, body, 404).await;
    }
    let routes: Vec<(&str, String)> = vec![
        ("POST", "/me/onlineMeetings".into()),
        ("GET", format!("/me/onlineMeetings?{}", filter(&join))),
        ("POST", "/me/onlineMeetings/createOrGet".into()),
        ("GET", gone.clone()),
        ("PATCH", gone.clone()),
        ("DELETE", gone.clone()),
        ("POST", for_user.clone()),
        ("GET", format!("{user}?{}", filter(&join))),
        ("GET", format!("{user}/{id}")),
        ("PATCH", format!("{user}/{id}")),
        ("DELETE", format!("{user}/{id}")),
    ];
    for (method, path) in &routes {
        let body = (*method == "POST" || *method == "PATCH")
            .then(|| json_body(json!({"externalId": "e"})))
            .flatten();
        d.call(method, path, None, body.clone(), 401).await;
        d.emulator
            .faults()
            .fail_next(1, Fault::throttle("1"))
            .expect("queued");
        d.call(method, path, me, body.clone(), 429).await;
        d.emulator
            .faults()
            .fail_next(1, Fault::unavailable())
            .expect("queued");
        d.call(method, path, me, body.clone(), 503).await;
        let wrong_user = if path.starts_with("/me") { app } else { None };
        if wrong_user.is_some() {
            d.call(method, path, wrong_user, body.clone(), 400).await;
        } else {
            let foreign = fake_token(TENANT, OTHER_USER, TokenKind::Delegated);
            d.call(method, path, Some(foreign.as_str()), body.clone(), 403)
                .await;
        }
        if body.is_some() {
            d.call(method, path, me, Some(("", b"{}".to_vec())), 400)
                .await;
            d.call(method, path, me, Some(("text/plain", b"{}".to_vec())), 415)
                .await;
            d.call(
                method,
                path,
                me,
                Some(("application/json", b"{".to_vec())),
                400,
            )
            .await;
        }
    }
    let create_or_get = "/me/onlineMeetings/createOrGet";
    d.call(
        "POST",
        create_or_get,
        me,
        json_body(json!({"externalId": ""})),
        400,
    )
    .await;
    let backwards = json!({"externalId": "b", "startDateTime": "2030-01-01T10:00:00Z",
        "endDateTime": "2030-01-01T09:00:00Z"});
    d.call("POST", create_or_get, me, json_body(backwards), 400)
        .await;
    d.call("GET", "/me/onlineMeetings", me, None, 400).await;
    let huge = vec![b' '; graph_online_meetings_emulator::DEFAULT_MAX_BODY_BYTES + 1];
    d.call(
        "POST",
        create_or_get,
        me,
        Some(("application/json", huge)),
        413,
    )
    .await;

    // After the meeting: every artifact route, for `/me` and `/users/{userId}`.
    let ended_meeting = d
        .call(
            "POST",
            create_or_get,
            me,
            json_body(json!({"externalId": "conf-artifacts"})),
            201,
        )
        .await;
    let mid = ended_meeting["id"].as_str().expect("an id").to_owned();
    let attendees = (0..12).map(|n| {
        Attendee::new(format!("Attendee {n}"), format!("a{n}@contoso.com"))
            .interval(at("2030-01-01T09:00:00Z"), at("2030-01-01T09:30:00+00:00"))
    });
    let ended = d
        .emulator
        .end_meeting(
            TENANT,
            USER,
            &mid,
            &MeetingEnd::new(attendees).recording_bytes(1000),
        )
        .expect("the meeting ends");
    let organizer = format!("meetingOrganizerUserId='{USER}',startDateTime=null,endDateTime=null");
    let functions = [
        format!("{user}/getAllTranscripts({organizer})"),
        format!("{user}/getAllTranscripts({organizer})/delta"),
        format!("{user}/getAllRecordings({organizer})"),
        format!("{user}/getAllRecordings({organizer})/delta"),
    ];
    let mut artifact_routes = Vec::new();
    for (scope, token) in [("/me/onlineMeetings".to_owned(), me), (user.clone(), app)] {
        let base = format!("{scope}/{mid}");
        let report = format!("{base}/attendanceReports/{}", ended.attendance_report_id);
        let transcript = format!("{base}/transcripts/{}", ended.transcript_id);
        let recording = format!("{base}/recordings/{}", ended.recording_id);
        let paths = [
            format!("{base}/attendanceReports"),
            report.clone(),
            format!("{report}?$expand=attendanceRecords"),
            format!("{report}/attendanceRecords"),
            format!("{base}/transcripts"),
            transcript.clone(),
            format!("{transcript}/content"),
            format!("{transcript}/metadataContent"),
            format!("{base}/recordings"),
            recording.clone(),
            format!("{recording}/content"),
        ];
        for path in paths {
            d.call("GET", &path, token, None, 200).await;
            artifact_routes.push(path);
        }
    }
    // A page past the first, from a nextLink (12 records, 10 a page).
    let records = format!(
        "/me/onlineMeetings/{mid}/attendanceReports/{}/attendanceRecords",
        ended.attendance_report_id
    );
    let first = d.call("GET", &records, me, None, 200).await;
    let next = first["@odata.nextLink"].as_str().expect("a second page");
    let next = next.split("/v1.0").nth(1).expect("under /v1.0").to_owned();
    d.call("GET", &next, me, None, 200).await;
    for path in &functions {
        let answer = d.call("GET", path, app, None, 200).await;
        if let Some(link) = answer["@odata.deltaLink"].as_str() {
            let link = link.split("/v1.0").nth(1).expect("under /v1.0").to_owned();
            d.call("GET", &link, app, None, 200).await;
        }
        artifact_routes.push(path.clone());
    }
    for path in &artifact_routes {
        d.call("GET", path, None, None, 401).await;
        let token = if path.starts_with("/me") { me } else { app };
        d.emulator
            .faults()
            .fail_next(1, Fault::throttle("1"))
            .expect("queued");
        d.call("GET", path, token, None, 429).await;
        d.emulator
            .faults()
            .fail_next(1, Fault::unavailable())
            .expect("queued");
        d.call("GET", path, token, None, 503).await;
        if path.starts_with("/me") {
            d.call("GET", path, app, None, 400).await;
            let unknown = path.replace(&mid, "unknown-meeting");
            d.call("GET", &unknown, me, None, 404).await;
        } else {
            let foreign = fake_token(TENANT, OTHER_USER, TokenKind::Delegated);
            d.call("GET", path, Some(foreign.as_str()), None, 403).await;
        }
    }

    // Subscriptions: each operation's success, a 4XX and a 5XX.
    let receiver = validating_receiver().await;
    let ahead = |minutes: i64| {
        (chrono::Utc::now() + chrono::Duration::minutes(minutes))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let subscription = |url: String| {
        json!({
            "changeType": "created",
            "notificationUrl": url,
            "resource": "communications/onlineMeetings/getAllTranscripts",
            "expirationDateTime": ahead(50),
            "clientState": "conformance",
        })
    };
    let created = d
        .call(
            "POST",
            "/subscriptions",
            app,
            json_body(subscription(format!("{}/notify", receiver.uri()))),
            201,
        )
        .await;
    let sid = created["id"].as_str().expect("an id").to_owned();
    let one = format!("/subscriptions/{sid}");
    d.call("GET", "/subscriptions", app, None, 200).await;
    d.call("GET", &one, app, None, 200).await;
    let renewal = json!({"expirationDateTime": ahead(55)});
    d.call("PATCH", &one, app, json_body(renewal.clone()), 200)
        .await;
    // An endpoint that does not answer the validation request: refused, nothing stored.
    let silent = wiremock::MockServer::start().await;
    d.call(
        "POST",
        "/subscriptions",
        app,
        json_body(subscription(format!("{}/notify", silent.uri()))),
        400,
    )
    .await;
    let listed = d.call("GET", "/subscriptions", app, None, 200).await;
    assert_eq!(listed["value"].as_array().map(Vec::len), Some(1));
    for (method, path, body) in [
        ("GET", "/subscriptions", None),
        ("GET", one.as_str(), None),
        ("PATCH", one.as_str(), json_body(renewal.clone())),
        ("DELETE", one.as_str(), None),
        (
            "POST",
            "/subscriptions",
            json_body(subscription(format!("{}/notify", receiver.uri()))),
        ),
    ] {
        d.emulator
            .faults()
            .fail_next(1, Fault::unavailable())
            .expect("queued");
        d.call(method, path, app, body, 503).await;
    }
    d.call("DELETE", &one, app, None, 204).await;
    d.call("GET", &one, app, None, 404).await;
    d.call("PATCH", &one, app, json_body(renewal), 404).await;
    d.call("DELETE", &one, app, None, 404).await;
    d.call("GET", "/subscriptions", None, None, 401).await;
    // A delegated token on a tenant-wide resource: application permissions only.
    d.call(
        "POST",
        "/subscriptions",
        me,
        json_body(subscription(format!("{}/notify", receiver.uri()))),
        403,
    )
    .await;

    // Notifications: a subscription with resource data (201), one whose certificate is
    // not one (400); what a meeting's end and the lifecycle control send conforms to the
    // spec's changeNotificationCollection.
    let certificate = crate::common::certificate_base64("app");
    let notified = validating_receiver().await;
    let mut rich = subscription(format!("{}/rich", notified.uri()));
    rich["includeResourceData"] = json!(true);
    rich["encryptionCertificate"] = json!(certificate);
    rich["encryptionCertificateId"] = json!("conformance-certificate");
    let created = d
        .call("POST", "/subscriptions", app, json_body(rich.clone()), 201)
        .await;
    let rich_id = created["id"].as_str().expect("an id").to_owned();
    rich["encryptionCertificate"] = json!("bm90IGEgY2VydGlmaWNhdGU=");
    d.call("POST", "/subscriptions", app, json_body(rich), 400)
        .await;
    let ended = d
        .call(
            "POST",
            "/me/onlineMeetings/createOrGet",
            me,
            json_body(json!({"externalId": "conf-notified"})),
            201,
        )
        .await;
    let meeting_id = ended["id"].as_str().expect("an id");
    d.emulator
        .end_meeting(TENANT, USER, meeting_id, &MeetingEnd::new([]))
        .expect("ended");
    // The lifecycle control (a test control, not a spec route): `204` for the app's
    // subscription, `400` for an event Graph does not send, `404` for another app's or an
    // unknown subscription.
    let app_token = fake_token(TENANT, APP, TokenKind::Application);
    let other_app = fake_token(TENANT, OTHER_USER, TokenKind::Application);
    for (id, token, event, status) in [
        (rich_id.as_str(), &app_token, "subscriptionExpired", 400),
        (rich_id.as_str(), &other_app, "missed", 404),
        ("unknown-subscription", &app_token, "missed", 404),
        (rich_id.as_str(), &app_token, "missed", 204),
    ] {
        let lifecycle = d
            .http
            .post(
                d.emulator
                    .url(&format!("/_emulator/v1.0/subscriptions/{id}/lifecycle")),
            )
            .bearer_auth(token)
            .json(&json!({"lifecycleEvent": event}))
            .send()
            .await
            .expect("answered");
        assert_eq!(lifecycle.status(), status, "{id} {event}");
    }
    tokio::time::timeout(std::time::Duration::from_secs(120), async {
        while d.emulator.notifications().pending > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the notifications settle");
    let bodies: Vec<Value> = notified
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|request| request.url.query().is_none())
        .map(|request| serde_json::from_slice(&request.body).expect("JSON"))
        .collect();
    assert_eq!(
        bodies.len(),
        2,
        "a transcript's notification and a lifecycle one"
    );
    for body in &bodies {
        d.spec.check_schema("changeNotificationCollection", body);
    }

    // Every operation and every documented response was seen.
    let spec = &d.spec.doc;
    let mut documented = BTreeSet::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let id = operation["operationId"].as_str().expect("an id");
            for key in operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
            {
                documented.insert((id.to_owned(), key.clone()));
            }
        }
    }
    let missing: Vec<_> = documented.difference(&d.seen).collect();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
    stop(d.emulator).await;
}
