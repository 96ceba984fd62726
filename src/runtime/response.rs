//! [`Response`]: a call's value with the facts of its response.

use std::fmt;
use std::ops::Deref;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::runtime::context::REQUEST_ID;
use crate::runtime::operation::Operation;
use crate::runtime::request_id::ClientRequestId;

/// A successful result with the facts of its response: status, `request-id`, the
/// `client-request-id` that was sent, headers and the number of attempts.
///
/// It dereferences to the value.
#[derive(Debug)]
pub struct Response<T> {
    /// The generated layer's value: the decoded body, the status and the headers (kept
    /// as they came, never copied).
    inner: ResponseValue<T>,
    client_request_id: ClientRequestId,
    attempts: u32,
    /// The operation the request was sent as (a page's link is sent as the same).
    operation: Operation,
}

impl<T> Response<T> {
    pub(crate) fn new(
        inner: ResponseValue<T>,
        client_request_id: ClientRequestId,
        attempts: u32,
        operation: Operation,
    ) -> Self {
        Response {
            inner,
            client_request_id,
            attempts,
            operation,
        }
    }

    /// The operation the call ran: the one whose facts decided how it was retried (a
    /// page of a list is the first page's operation).
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.inner
    }

    /// The value, without the rest.
    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The `request-id` Graph assigned (quote it when contacting Microsoft support).
    pub fn request_id(&self) -> Option<&str> {
        self.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok())
    }

    /// The `client-request-id` this client sent (the same on every attempt).
    pub fn client_request_id(&self) -> &str {
        self.client_request_id.as_str()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// How many attempts the call took (more than one when it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The same response with its value transformed.
    pub fn map<U: fmt::Debug>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        let Ok(inner) = self.inner.map::<U, _, std::convert::Infallible>(f);
        Response {
            inner,
            client_request_id: self.client_request_id,
            attempts: self.attempts,
            operation: self.operation,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}
