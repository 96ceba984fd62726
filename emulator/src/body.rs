//! Reading a request body with a size limit, without leaving the client hanging.
//!
//! An oversized body is not simply abandoned: the rest of it is read and dropped (up to a cap),
//! so a client that is still sending gets the `413` answer instead of a reset connection. Past
//! the cap, the emulator answers at once and closes the connection.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::BodyExt as _;

use crate::graph_error::ErrorAnswer;

/// How many bytes past the limit are drained before giving up on an oversized body.
const MIN_DRAIN_BYTES: usize = 16 * 1024 * 1024;
const DRAIN_FACTOR: usize = 16;

/// The result of reading a body.
#[derive(Debug)]
pub(crate) enum BodyRead {
    /// The whole body, within the limit.
    Complete(Vec<u8>),
    /// The body is larger than the limit. `drained` says whether all of it was read (so the
    /// connection can be kept).
    TooLarge { drained: bool },
    /// The client's stream failed (for example it disconnected).
    Failed(String),
}

fn drain_cap(limit: usize) -> usize {
    limit.saturating_mul(DRAIN_FACTOR).max(MIN_DRAIN_BYTES)
}

/// Reads at most `limit` bytes of `body`.
pub(crate) async fn read_limited(headers: &HeaderMap, body: Body, limit: usize) -> BodyRead {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if let Some(declared) = declared {
        let cap = u64::try_from(drain_cap(limit)).unwrap_or(u64::MAX);
        if declared > cap {
            return BodyRead::TooLarge { drained: false };
        }
    }

    let mut body = body;
    let mut bytes = Vec::new();
    let mut seen: usize = 0;
    let mut too_large = false;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(err) => {
                if too_large {
                    return BodyRead::TooLarge { drained: false };
                }
                return BodyRead::Failed(err.to_string());
            }
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if !too_large && seen > limit {
            too_large = true;
            bytes = Vec::new();
        }
        if too_large {
            if seen > drain_cap(limit) {
                return BodyRead::TooLarge { drained: false };
            }
        } else {
            bytes.extend_from_slice(&data);
        }
    }
    if too_large {
        BodyRead::TooLarge { drained: true }
    } else {
        BodyRead::Complete(bytes)
    }
}

/// The whole body, or the answer to a body that is too large (413) or failed (400).
pub(crate) fn complete_body(body: BodyRead, limit: usize) -> Result<Vec<u8>, ErrorAnswer> {
    match body {
        BodyRead::Complete(bytes) => Ok(bytes),
        BodyRead::TooLarge { drained } => {
            let err = ErrorAnswer::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than the maximum of {limit} bytes."),
            );
            Err(if drained {
                err
            } else {
                err.closing_connection()
            })
        }
        BodyRead::Failed(reason) => Err(ErrorAnswer::bad_request(format!(
            "Unable to read the request body: {reason}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<F: std::future::Future>(future: F) -> Option<F::Output> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .ok()
            .map(|rt| rt.block_on(future))
    }

    #[test]
    fn within_limit_is_complete() {
        let read = run(read_limited(&HeaderMap::new(), Body::from("hello"), 5));
        assert!(matches!(read, Some(BodyRead::Complete(b)) if b == b"hello"));
    }

    #[test]
    fn over_limit_is_drained() {
        let read = run(read_limited(&HeaderMap::new(), Body::from("hello!"), 5));
        assert!(matches!(read, Some(BodyRead::TooLarge { drained: true })));
    }

    #[test]
    fn huge_declared_length_is_refused_at_once() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_LENGTH,
            axum::http::HeaderValue::from_static("99999999999"),
        );
        let read = run(read_limited(&headers, Body::empty(), 5));
        assert!(matches!(read, Some(BodyRead::TooLarge { drained: false })));
    }
}
