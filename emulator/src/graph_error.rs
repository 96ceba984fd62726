//! Graph's response envelope: the per-request ids, error bodies and success bodies.
//!
//! Every error the emulator answers has Graph's shape:
//!
//! ```json
//! {"error":{"code":"BadRequest","message":"...","innerError":{
//!   "date":"2026-01-02T03:04:05","request-id":"...","client-request-id":"..."}}}
//! ```

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// `Content-Type` of successful Graph responses.
pub(crate) const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// `Content-Type` of Graph error responses.
pub(crate) const ERROR_JSON: &str = "application/json";

/// Graph's `WWW-Authenticate` challenge on 401 answers.
const WWW_AUTHENTICATE_VALUE: &str = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";

pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
pub(crate) static CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// The ids of one request: a fresh `request-id`, and the caller's `client-request-id` (or a
/// fresh one when the caller sent none).
#[derive(Debug, Clone)]
pub(crate) struct RequestContext {
    pub(crate) request_id: HeaderValue,
    pub(crate) client_request_id: HeaderValue,
}

impl RequestContext {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let request_id = new_uuid_header();
        let client_request_id = headers
            .get(&CLIENT_REQUEST_ID)
            .filter(|value| !value.is_empty())
            .cloned()
            .unwrap_or_else(new_uuid_header);
        Self {
            request_id,
            client_request_id,
        }
    }

    /// Sets `request-id` and `client-request-id` on a response.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(REQUEST_ID.clone(), self.request_id.clone());
        headers.insert(CLIENT_REQUEST_ID.clone(), self.client_request_id.clone());
    }
}

fn new_uuid_header() -> HeaderValue {
    // A hyphenated UUID is always a valid header value.
    HeaderValue::from_str(&Uuid::new_v4().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
}

fn header_text(value: &HeaderValue) -> Value {
    // A header value that is not visible ASCII is echoed lossily in the body; the header itself
    // is echoed byte for byte.
    Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// An error answer in Graph's format.
#[derive(Debug, Clone)]
pub(crate) struct ErrorAnswer {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) retry_after: Option<HeaderValue>,
    pub(crate) close_connection: bool,
}

impl ErrorAnswer {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            close_connection: false,
        }
    }

    /// `400 BadRequest`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// `401 InvalidAuthenticationToken`.
    pub(crate) fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<HeaderValue>) -> Self {
        self.retry_after = retry_after;
        self
    }

    pub(crate) fn closing_connection(mut self) -> Self {
        self.close_connection = true;
        self
    }

    /// The JSON body, with `innerError` filled from the request's ids.
    pub(crate) fn body(&self, ctx: &RequestContext) -> Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
                    "request-id": header_text(&ctx.request_id),
                    "client-request-id": header_text(&ctx.client_request_id),
                }
            }
        })
    }

    pub(crate) fn into_response(self, ctx: &RequestContext) -> Response {
        let mut response = json_response(self.status, ERROR_JSON, &self.body(ctx));
        let headers = response.headers_mut();
        if let Some(retry_after) = self.retry_after {
            headers.insert(header::RETRY_AFTER, retry_after);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(WWW_AUTHENTICATE_VALUE),
            );
        }
        if self.close_connection {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        ctx.apply(headers);
        response
    }
}

/// A JSON response with the given status and content type.
pub(crate) fn json_response(
    status: StatusCode,
    content_type: &'static str,
    body: &Value,
) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            bytes,
        )
            .into_response(),
        Err(err) => {
            // Serializing a `Value` cannot fail in practice; answer a Graph-shaped 500 if it does.
            tracing::error!(error = %err, "cannot serialize a response body");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, HeaderValue::from_static(ERROR_JSON))],
                r#"{"error":{"code":"InternalServerError","message":"The emulator could not serialize its response."}}"#,
            )
                .into_response()
        }
    }
}

/// A successful answer carrying one entity (a meeting, a report, a transcript, …), with
/// `@odata.context` first.
pub(crate) fn meeting_response(
    status: StatusCode,
    odata_context: String,
    meeting: &Map<String, Value>,
    ctx: &RequestContext,
) -> Response {
    let mut body = Map::with_capacity(meeting.len() + 1);
    body.insert("@odata.context".to_owned(), Value::String(odata_context));
    for (key, value) in meeting {
        if key != "@odata.context" {
            body.insert(key.clone(), value.clone());
        }
    }
    let mut response = json_response(status, ODATA_JSON, &Value::Object(body));
    ctx.apply(response.headers_mut());
    response
}

/// A successful answer carrying a collection of meetings:
/// `{"@odata.context": …, "value": [ … ]}`.
pub(crate) fn collection_response<'a>(
    odata_context: String,
    meetings: impl Iterator<Item = &'a Map<String, Value>>,
    ctx: &RequestContext,
) -> Response {
    let value: Vec<Value> = meetings.map(|m| Value::Object(m.clone())).collect();
    let body = json!({ "@odata.context": odata_context, "value": value });
    let mut response = json_response(StatusCode::OK, ODATA_JSON, &body);
    ctx.apply(response.headers_mut());
    response
}

/// A successful answer carrying one page of a collection:
/// `{"@odata.context": …, "value": [ … ], "@odata.nextLink"?: …, "@odata.deltaLink"?: …}`.
pub(crate) fn page_response(
    odata_context: String,
    items: Vec<Value>,
    next_link: Option<String>,
    delta_link: Option<String>,
    ctx: &RequestContext,
) -> Response {
    let mut body = Map::with_capacity(4);
    body.insert("@odata.context".to_owned(), Value::String(odata_context));
    body.insert("value".to_owned(), Value::Array(items));
    if let Some(link) = next_link {
        body.insert("@odata.nextLink".to_owned(), Value::String(link));
    }
    if let Some(link) = delta_link {
        body.insert("@odata.deltaLink".to_owned(), Value::String(link));
    }
    let mut response = json_response(StatusCode::OK, ODATA_JSON, &Value::Object(body));
    ctx.apply(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_graph_shape() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CLIENT_REQUEST_ID.clone(),
            HeaderValue::from_static("abc-123"),
        );
        let ctx = RequestContext::from_headers(&headers);
        let body = ErrorAnswer::bad_request("nope").body(&ctx);
        assert_eq!(body["error"]["code"], "BadRequest");
        assert_eq!(body["error"]["message"], "nope");
        assert_eq!(body["error"]["innerError"]["client-request-id"], "abc-123");
        let date = body["error"]["innerError"]["date"].as_str().unwrap_or("");
        assert!(date.ends_with('Z') && !date.contains('.'), "{date}");
        assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok());
    }

    #[test]
    fn missing_client_request_id_gets_a_fresh_uuid() {
        let ctx = RequestContext::from_headers(&HeaderMap::new());
        let text = ctx.client_request_id.to_str().unwrap_or("");
        assert!(Uuid::parse_str(text).is_ok());
        assert_ne!(ctx.client_request_id, ctx.request_id);
    }
}
