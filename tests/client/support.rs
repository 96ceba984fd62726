//! Helpers shared by the `client_*` tests: a wiremock server on 127.0.0.1, a client
//! pointed at it, a meeting to answer with, and a way to read what was sent.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the helpers"
)]

use std::sync::{Arc, Mutex};

use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings::{GraphClient, GraphClientBuilder};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

/// The access token the tests use; it must never show up where it does not belong.
pub const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.sekret-payload.signature-xyz";

pub const CREATE_OR_GET_PATH: &str = "/v1.0/me/onlineMeetings/createOrGet";
pub const CREATE_PATH: &str = "/v1.0/me/onlineMeetings";

pub use crate::common::fast_retries;

/// A builder aimed at `server` with the test token and fast retries.
pub fn builder(server: &MockServer) -> GraphClientBuilder {
    GraphClient::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
}

/// A client aimed at `server`.
pub fn client(server: &MockServer) -> GraphClient {
    builder(server).build().expect("a valid configuration")
}

/// The meeting Graph answers with (from the createOrGet reference page, shortened).
pub fn meeting_json() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/onlineMeetings/$entity",
        "id": "MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZi",
        "externalId": "7eb8263f-d0e0-4149-bb1c-1f0476083c56",
        "subject": "Create a meeting with customId provided",
        "startDateTime": "2020-02-06T01:49:21.3524945Z",
        "endDateTime": "2020-02-06T02:19:21.3524945Z",
        "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NDU",
        "allowedPresenters": "someFutureValue"
    })
}

/// A response with the meeting and a `request-id`.
pub fn meeting_response(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("request-id", "5c7e1d3a-0000-4d2b-9a7e-response-id")
        .set_body_json(meeting_json())
}

/// A valid createOrGet request.
pub fn request() -> CreateOrGetRequest {
    CreateOrGetRequest::new("7eb8263f-d0e0-4149-bb1c-1f0476083c56").with_subject("Planning")
}

/// What the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A header of a received request, as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A writer for `tracing_subscriber` that keeps everything in memory.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn contents(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut inner) = self.0.lock() {
            inner.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Capture every tracing event and span close (at TRACE) on this thread into a buffer.
pub fn capture_logs() -> (LogBuffer, tracing::subscriber::DefaultGuard) {
    let buffer = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (buffer, guard)
}
