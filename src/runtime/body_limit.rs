//! The limit on a response body's size (`max_response_bytes`), applied to every response
//! before it is read.

use crate::runtime::error::{BoxError, ResponseTooLarge};

/// `response` with its body limited to `limit` bytes: reading past the limit, or any
/// reading at all when `Content-Length` already says more, fails with
/// [`ResponseTooLarge`] (the rest is never read; the connection is dropped with it).
///
/// A body whose `Content-Length` is within the limit is returned as it is: hyper reads
/// exactly the announced length and no more (and this crate enables no decompression,
/// which could make the decoded body longer), so the limit already holds, and the
/// common case pays nothing for it.
pub(crate) fn bounded(response: reqwest::Response, limit: usize) -> reqwest::Response {
    use http_body_util::BodyExt;

    let announced = response.content_length();
    if announced.is_some_and(|length| length <= u64::try_from(limit).unwrap_or(u64::MAX)) {
        return response;
    }
    let (parts, body) = http::Response::from(response).into_parts();
    let too_large = move |announced| ResponseTooLarge { limit, announced };
    let body = match announced {
        Some(length) if length > u64::try_from(limit).unwrap_or(u64::MAX) => {
            drop(body);
            reqwest::Body::wrap(Refused(Some(too_large(Some(length)))))
        }
        _ => reqwest::Body::wrap(http_body_util::Limited::new(body, limit).map_err(
            move |err| -> BoxError {
                if err.is::<http_body_util::LengthLimitError>() {
                    Box::new(too_large(None))
                } else {
                    err
                }
            },
        )),
    };
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// A body whose first read fails with the error it holds.
struct Refused(Option<ResponseTooLarge>);

impl http_body::Body for Refused {
    type Data = bytes::Bytes;
    type Error = ResponseTooLarge;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, ResponseTooLarge>>> {
        std::task::Poll::Ready(self.0.take().map(Err))
    }
}
