//! What one attempt of a [`GraphClient`](crate::GraphClient) call hands to the generated
//! method's hooks and gets back from them, through a task-local.
//!
//! A task-local, because progenitor hands its hooks (`pre`, `exec`) and its decoder only
//! the client and the operation's id, never per-call values: the token and the call's
//! `client-request-id` reach `pre` this way, and the status and headers of a body that
//! could not be decoded come back from the decoder this way (progenitor's error keeps only
//! the bytes). The operation is the loop's from the start; `pre` only checks that the
//! request is that operation's. A call of the raw client has no attempt in scope.

use std::cell::Cell;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

/// One attempt of a `GraphClient` call: the operation it sends, the headers `pre` puts
/// on the request (moved out, not copied), and the status and headers of a response whose
/// body could not be decoded (noted by `from_response`, the only place that knows).
pub(crate) struct Attempt {
    /// The id of the operation the call loop runs (and retries) this request as.
    pub(crate) operation_id: &'static str,
    /// `Authorization` and `client-request-id`, until `pre` takes them.
    pub(crate) headers: Cell<Option<(HeaderValue, HeaderValue)>>,
    pub(crate) undecodable: Cell<Option<Seen>>,
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
