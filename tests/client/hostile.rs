//! Machine-made hostile responses (proptest): every operation of `GraphClient`, every
//! kind of status, fed truncated JSON, wrong types, numbers out of range, thousands of
//! nested arrays, invalid UTF-8, huge strings and wrong or missing content types. Each
//! call gives a value or a typed error that keeps the status; nothing panics (a panic
//! fails the test). Bounded: `HOSTILE_CASES` cases (256 by default).

use std::sync::{Arc, Mutex};

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting, Subscription};
use graph_online_meetings::{
    Content, Error, GraphClient, Operation, Pages, Response, RetryPolicy, SubscriptionResource,
    TimeWindow,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{TOKEN, meeting_json};

/// What the server answers next.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "subject",
    "startDateTime",
    "endDateTime",
    "participants",
    "allowedPresenters",
    "chatInfo",
    "audioConferencing",
    "joinInformation",
    "lobbyBypassSettings",
    "value",
    "error",
];

fn wrong_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(json!([1, "two", null, {"three": 3}])),
        Just(json!({"unexpected": {"deeply": [true]}})),
        Just(Value::Null),
        ".{0,40}".prop_map(Value::from),
        Just(json!("2020-13-45T99:99:99Z")),
    ]
}

fn nested(depth: usize, open: &str, close: &str) -> String {
    let mut text = String::with_capacity(depth * (open.len() + close.len()) + 16);
    for _ in 0..depth {
        text.push_str(open);
    }
    text.push('1');
    for _ in 0..depth {
        text.push_str(close);
    }
    text
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let valid = serde_json::to_vec(&meeting_json()).expect("JSON");
    let len = valid.len();
    let truncated = {
        let valid = valid.clone();
        (0..len).prop_map(move |cut| valid[..cut].to_vec())
    };
    let retyped = (prop::sample::select(KNOWN_FIELDS), wrong_value()).prop_map(|(key, value)| {
        let mut meeting = meeting_json();
        meeting[key] = value;
        serde_json::to_vec(&meeting).expect("JSON")
    });
    let out_of_range = prop::sample::select(vec![
        r#"{"id":1e999}"#,
        r#"{"participants":{"attendees":[-1e400]}}"#,
        r#"{"value":[{"id":18446744073709551616000}]}"#,
        r#"{"error":{"code":1e309,"message":"x"}}"#,
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    let deep = (
        1000usize..6000,
        prop::sample::select(vec!["participants", "x", "value", "error"]),
    )
        .prop_map(|(depth, key)| format!("{{\"{key}\":{}}}", nested(depth, "[", "]")).into_bytes());
    let deep_objects = (1000usize..4000)
        .prop_map(|depth| format!("{{\"x\":{}}}", nested(depth, "{\"a\":", "}")).into_bytes());
    let bad_utf8 = prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut bytes| {
        let mut body = b"{\"subject\":\"".to_vec();
        bytes.insert(0, 0xff);
        body.extend(bytes);
        body.extend(b"\"}");
        body
    });
    let huge = (1usize..4).prop_map(|mib| {
        format!(
            "{{\"subject\":\"{}\",\"error\":{{\"code\":\"c\",\"message\":\"m\"}}}}",
            "a".repeat(mib << 20)
        )
        .into_bytes()
    });
    let random = prop::collection::vec(any::<u8>(), 0..256);
    prop_oneof![
        truncated,
        retyped,
        out_of_range,
        deep,
        deep_objects,
        bad_utf8,
        huge,
        random,
        Just(Vec::new())
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        prop::sample::select(vec![
            200u16, 201, 204, 302, 400, 401, 403, 404, 429, 500, 503,
        ]),
        prop::sample::select(vec![
            Some("application/json"),
            Some("application/json;odata.metadata=minimal;charset=utf-8"),
            Some("text/html"),
            Some("application/octet-stream"),
            None,
        ]),
        body(),
    )
        .prop_map(|(status, content_type, body)| Answer {
            status,
            content_type,
            body,
        })
}

/// Call `operation` through the handle that runs it. The test draws from
/// `Operation::ALL`, so an operation added to the spec fails it here until it is called.
async fn call(client: &GraphClient, operation: Operation) -> Result<(), Error> {
    let request = CreateOrGetRequest::new("hostile");
    let changes = OnlineMeeting::default();
    let url = "https://teams.microsoft.com/l/meetup-join/x";
    let (me, user) = (client.me(), client.user("u"));
    match operation {
        Operation::CreateOnlineMeeting => me.create(&changes).await.map(drop),
        Operation::CreateOrGetOnlineMeeting => me.create_or_get(&request).await.map(drop),
        Operation::CreateOrGetOnlineMeetingForUser => user.create_or_get(&request).await.map(drop),
        Operation::GetOnlineMeeting => me.meeting("m").get().await.map(drop),
        Operation::GetOnlineMeetingForUser => user.meeting("m").get().await.map(drop),
        Operation::UpdateOnlineMeeting => me.meeting("m").update(&changes).await.map(drop),
        Operation::UpdateOnlineMeetingForUser => user.meeting("m").update(&changes).await.map(drop),
        Operation::DeleteOnlineMeeting => me.meeting("m").delete().await.map(drop),
        Operation::DeleteOnlineMeetingForUser => user.meeting("m").delete().await.map(drop),
        Operation::ListOnlineMeetings => me.find_by_join_url(url).await.map(drop),
        Operation::ListOnlineMeetingsForUser => user.find_by_join_url(url).await.map(drop),
        Operation::ListAttendanceReports => first(me.meeting("m").attendance_reports()).await,
        Operation::ListAttendanceReportsForUser => {
            first(user.meeting("m").attendance_reports()).await
        }
        Operation::GetAttendanceReport => me
            .meeting("m")
            .attendance_report("r")
            .get_with_records()
            .await
            .map(drop),
        Operation::GetAttendanceReportForUser => user
            .meeting("m")
            .attendance_report("r")
            .get()
            .await
            .map(drop),
        Operation::ListAttendanceRecords => {
            first(me.meeting("m").attendance_report("r").records()).await
        }
        Operation::ListAttendanceRecordsForUser => {
            first(user.meeting("m").attendance_report("r").records()).await
        }
        Operation::ListTranscripts => first(me.meeting("m").transcripts()).await,
        Operation::ListTranscriptsForUser => first(user.meeting("m").transcripts()).await,
        Operation::GetTranscript => me.meeting("m").transcript("t").get().await.map(drop),
        Operation::GetTranscriptForUser => user.meeting("m").transcript("t").get().await.map(drop),
        Operation::GetTranscriptContent => read(me.meeting("m").transcript("t").content()).await,
        Operation::GetTranscriptContentForUser => {
            read(user.meeting("m").transcript("t").content()).await
        }
        Operation::GetTranscriptMetadataContent => {
            read(me.meeting("m").transcript("t").metadata_content()).await
        }
        Operation::GetTranscriptMetadataContentForUser => {
            read(user.meeting("m").transcript("t").metadata_content()).await
        }
        Operation::ListRecordings => first(me.meeting("m").recordings()).await,
        Operation::ListRecordingsForUser => first(user.meeting("m").recordings()).await,
        Operation::GetRecording => me.meeting("m").recording("r").get().await.map(drop),
        Operation::GetRecordingForUser => user.meeting("m").recording("r").get().await.map(drop),
        Operation::GetRecordingContent => read(me.meeting("m").recording("r").content()).await,
        Operation::GetRecordingContentForUser => {
            read(user.meeting("m").recording("r").content()).await
        }
        Operation::GetAllTranscripts => first(user.all_transcripts(TimeWindow::default())).await,
        Operation::GetAllTranscriptsDelta => {
            first(user.transcripts_delta(TimeWindow::default())).await
        }
        Operation::GetAllRecordings => first(user.all_recordings(TimeWindow::default())).await,
        Operation::GetAllRecordingsDelta => {
            first(user.recordings_delta(TimeWindow::default())).await
        }
        Operation::CreateSubscription => {
            let expiration = (chrono::Utc::now() + chrono::Duration::minutes(30)).fixed_offset();
            let subscription = Subscription::to(
                &SubscriptionResource::AllTranscripts,
                "https://example.com/notifications",
                expiration,
            );
            client.subscriptions().create(&subscription).await.map(drop)
        }
        Operation::ListSubscriptions => first(client.subscriptions().list()).await,
        Operation::GetSubscription => client.subscriptions().get("s").await.map(drop),
        Operation::UpdateSubscription => {
            let expiration = (chrono::Utc::now() + chrono::Duration::minutes(30)).fixed_offset();
            client
                .subscriptions()
                .renew("s", expiration)
                .await
                .map(drop)
        }
        Operation::DeleteSubscription => client.subscriptions().delete("s").await.map(drop),
        other => panic!("hostile.rs does not call {other:?} yet: add it to `call`"),
    }
}

/// The first page of a list (the one the hostile answer is).
async fn first<T: std::fmt::Debug + Send + 'static>(mut pages: Pages<'_, T>) -> Result<(), Error> {
    match pages.next_page().await {
        Some(page) => page.map(drop),
        None => Ok(()),
    }
}

/// A content download, read to its end.
async fn read(
    content: impl std::future::Future<Output = Result<Response<Content>, Error>>,
) -> Result<(), Error> {
    let mut sink = Vec::new();
    content
        .await?
        .into_inner()
        .write_to(&mut sink)
        .await
        .map(drop)
}

#[test]
fn hostile_responses_give_values_or_typed_errors_never_panics() {
    let cases: u32 = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let next = Arc::new(Mutex::new(Answer {
        status: 200,
        content_type: None,
        body: Vec::new(),
    }));
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let next = Arc::clone(&next);
        Mock::given(wiremock::matchers::any())
            .respond_with(move |_: &Request| {
                let answer = next
                    .lock()
                    .map(|a| a.clone())
                    .unwrap_or_else(|e| e.into_inner().clone());
                let template = ResponseTemplate::new(answer.status).set_body_bytes(answer.body);
                match answer.content_type {
                    Some(content_type) => template.insert_header("content-type", content_type),
                    None => template,
                }
            })
            .mount(&server)
            .await;
        server
    });
    let client = GraphClient::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        // Each case stands alone: one case's 429 must not pause the next.
        .shared_throttling(false)
        .build()
        .expect("a client");

    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let tried = std::sync::atomic::AtomicU32::new(0);
    let outcome = runner.run(
        &(answer(), prop::sample::select(Operation::ALL)),
        |(answer, operation)| {
            tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            *next.lock().unwrap_or_else(|e| e.into_inner()) = answer.clone();
            let result = runtime.block_on(call(&client, operation));
            let status = answer.status;
            match &result {
                Ok(()) => prop_assert!((200..300).contains(&status), "a value from a {status}"),
                Err(err) => {
                    prop_assert!(!err.to_string().is_empty());
                    match err {
                        Error::Api(_) => prop_assert!(status >= 400),
                        Error::Decode(_) => prop_assert!((200..300).contains(&status)),
                        Error::UnexpectedStatus(_) => {}
                        Error::Transport(_) | Error::Timeout(_) | Error::ResponseTooLarge(_) => {}
                        other => prop_assert!(false, "an unexpected kind of error: {other:?}"),
                    }
                    if status >= 400 {
                        prop_assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
                    }
                }
            }
            Ok(())
        },
    );
    println!("hostile responses tried: {}", tried.into_inner());
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
