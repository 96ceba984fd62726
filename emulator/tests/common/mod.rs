//! Helpers shared by the integration tests.

#![allow(dead_code, unused_imports)] // each test crate uses a different subset

use graph_online_meetings_emulator::{Emulator, RunningEmulator, TokenKind, fake_token};
use reqwest::header::HeaderMap;
use serde_json::Value;

pub use graph_online_meetings_emulator::sample::{APP, OTHER_USER, TENANT, USER};

pub async fn start() -> RunningEmulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("the emulator starts on 127.0.0.1")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a reqwest client")
}

pub fn delegated(tenant: &str, user: &str) -> String {
    fake_token(tenant, user, TokenKind::Delegated)
}

pub fn application(tenant: &str) -> String {
    fake_token(tenant, APP, TokenKind::Application)
}

/// A decoded answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts Graph's error shape and returns the error code.
    pub fn error_code(&self) -> &str {
        let error = &self.body["error"];
        assert!(error.is_object(), "not a Graph error: {}", self.body);
        assert!(error["message"].is_string(), "no message: {}", self.body);
        let inner = &error["innerError"];
        assert_eq!(
            inner["request-id"].as_str(),
            self.header("request-id"),
            "innerError.request-id matches the header"
        );
        assert_eq!(
            inner["client-request-id"].as_str(),
            self.header("client-request-id"),
            "innerError.client-request-id matches the header"
        );
        let date = inner["date"].as_str().expect("innerError.date");
        assert!(date.ends_with('Z') && !date.contains('.'), "{date}");
        chrono::DateTime::parse_from_rfc3339(date).expect("innerError.date is RFC 3339");
        assert_eq!(self.header("content-type"), Some("application/json"));
        error["code"].as_str().expect("error.code")
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("the body arrives");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    assert!(
        headers.contains_key("request-id"),
        "every answer has request-id"
    );
    assert!(
        headers.contains_key("client-request-id"),
        "every answer has client-request-id"
    );
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs a JSON body with a bearer token.
pub async fn post(client: &reqwest::Client, url: &str, token: &str, body: &Value) -> Answer {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the request is answered");
    answer(response).await
}
