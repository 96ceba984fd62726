//! What one attempt of a [`GraphClient`](crate::GraphClient) call hands to the generated
//! method's hooks and gets back from them, through a task-local: the token and
//! `client-request-id` to send, the operation the request turned out to be, and the
//! status and headers of a body that could not be decoded. A call of the raw client has
//! no attempt in scope.

use std::cell::Cell;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::facts::Idempotency;

/// One attempt of a `GraphClient` call: the headers `pre` puts on the request (moved
/// out, not copied), and the status and headers of a response whose body could not be
/// decoded (noted by `from_response`, the only place that knows).
pub(crate) struct Attempt {
    /// `Authorization` and `client-request-id`, until `pre` takes them.
    pub(crate) headers: Cell<Option<(HeaderValue, HeaderValue)>>,
    pub(crate) undecodable: Cell<Option<Seen>>,
    /// The operation the generated method named for its request (set by `pre`, from the
    /// generated table): what the call loop retries it as.
    pub(crate) sent_as: Cell<Option<SentAs>>,
}

/// What the call loop needs of the operation a request was sent as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SentAs {
    /// Its id, for the span.
    pub(crate) id: &'static str,
    /// Whether it may be retried after the server may have acted.
    pub(crate) idempotency: Idempotency,
}

/// What the call loop needs to know of a response whose body cannot be decoded (the
/// generated layer then keeps only the bytes): its status and headers. Built only then;
/// a decoded response carries both itself.
pub(crate) struct Seen {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
}

tokio::task_local! {
    pub(crate) static ATTEMPT: Attempt;
}
