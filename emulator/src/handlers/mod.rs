//! The handlers of the route table's routes, by resource: [`meetings`], what ended meetings
//! left ([`artifacts`]), and the `/_emulator` test [`controls`].
//!
//! A handler runs after the checks every route shares (faults, body size, token, rate
//! limit, who the call acts as) and gets them as a [`Call`]; it does its own checks (body,
//! query, the meeting and what it names) and answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;

use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::auth::{Caller, Organizer};
use crate::graph_error::{ErrorAnswer, RequestContext};
use crate::owner::Owner;
use crate::route_table::VersionSegment;
use crate::state::ServerState;

pub(crate) mod artifacts;
pub(crate) mod controls;
pub(crate) mod meetings;
pub(crate) mod subscriptions;

/// A handler: what a route (or a control) answers to one checked call.
pub(crate) type Handler = fn(&Call<'_>) -> Result<Response, ErrorAnswer>;

/// Work the router awaits after a handler answered and before the answer goes out (in the
/// answer's extensions): Graph's validation handshake of a new subscription, which a
/// handler, being synchronous, cannot await itself. An `Err` replaces the answer.
#[derive(Clone)]
pub(crate) struct Before(Arc<Mutex<Option<Work>>>);

/// The work of a [`Before`].
type Work = BoxFuture<'static, Result<(), ErrorAnswer>>;

impl Before {
    pub(crate) fn new(
        work: impl Future<Output = Result<(), ErrorAnswer>> + Send + 'static,
    ) -> Self {
        Before(Arc::new(Mutex::new(Some(Box::pin(work)))))
    }

    /// Run the work (once: a clone shares it).
    pub(crate) async fn run(self) -> Result<(), ErrorAnswer> {
        let work = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        match work {
            Some(work) => work.await,
            None => Ok(()),
        }
    }
}

/// One call, after the checks every route shares.
pub(crate) struct Call<'a> {
    pub(crate) state: &'a ServerState,
    /// The version in the path (`v1.0` for a control).
    pub(crate) version: VersionSegment,
    /// Who sent the token.
    pub(crate) caller: &'a Caller,
    /// Who the call acts as.
    pub(crate) organizer: &'a Organizer,
    /// The path parameters, percent-decoded.
    pub(crate) params: &'a HashMap<String, String>,
    pub(crate) parts: &'a Parts,
    /// The whole request body.
    pub(crate) body: &'a [u8],
    pub(crate) ctx: &'a RequestContext,
}

impl Call<'_> {
    /// The path parameter `name` (`""` when the route has none).
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    /// The query string, if any.
    pub(crate) fn query(&self) -> Option<&str> {
        self.parts.uri.query()
    }

    /// Whose meetings the call reads or writes.
    pub(crate) fn owner(&self) -> Owner {
        Owner::new(&self.organizer.tenant_id, &self.organizer.user_id)
    }

    /// `204 No Content`, with the request ids.
    pub(crate) fn no_content(&self) -> Response {
        let mut response = StatusCode::NO_CONTENT.into_response();
        self.ctx.apply(response.headers_mut());
        response
    }
}

/// Graph's answer for a meeting id the user does not have (unknown, deleted, or
/// another user's), or an artifact id its meeting does not have.
pub(crate) fn item_not_found() -> ErrorAnswer {
    ErrorAnswer::new(
        StatusCode::NOT_FOUND,
        "itemNotFound",
        "The requested resource doesn't exist.",
    )
}
