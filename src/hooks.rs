//! progenitor's `ClientHooks` for the generated client. They only decorate a request and
//! bound its response; the call loop (auth, attempts, retries, outcome) is around them.
//!
//! * `pre`: checks that the URL still goes to the configured Graph origin, in the shape
//!   of its operation's path template (from the generated [`Operation`] table), reports
//!   that operation to the attempt in scope, then sets `Authorization` (sensitive),
//!   `client-request-id`, `User-Agent`, `Prefer` and `Accept-Language`;
//! * `exec`: sends the request and bounds the response body to the configured
//!   `max_response_bytes` (a larger body ends in `ResponseTooLarge`; announced by
//!   `Content-Length`, none of it is read);
//! * `post` is progenitor's (it does nothing).
//!
//! Inside a [`GraphClient`](crate::GraphClient) call, the loop puts the attempt's token and
//! `client-request-id` in the task-local attempt; a call of the raw client has none, and
//! `pre` gets a token and a new `client-request-id` itself (the raw client makes one
//! attempt and does not retry).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;

use crate::attempt::{ATTEMPT, SentAs};
use crate::body_limit::bounded;
use crate::context::Context;
use crate::error::RequestError;
use crate::generated::Client;
use crate::operation::Operation;
use crate::request_id::ClientRequestId;

/// The request must go to the configured origin, under the configured base path, in the
/// shape of its operation's path template: the access token goes nowhere else. Returns
/// that operation, from the generated table.
fn check_destination(base: &Url, url: &Url, operation_id: &str) -> Result<Operation, RequestError> {
    let refuse = |why: String| {
        Err(RequestError::new(
            format!("refusing to send `{operation_id}`: {why}"),
            None,
        ))
    };
    let same_origin = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_origin {
        return refuse(format!(
            "its URL goes to {}, not to the configured Graph origin {}",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        ));
    }
    let Some(operation) = Operation::from_id(operation_id) else {
        return refuse("the operation is not in the generated operation table".to_owned());
    };
    let rest = url.path().strip_prefix(base.path()).unwrap_or_default();
    let shaped = rest
        .strip_prefix('/')
        .is_some_and(|rest| operation.matches_path(rest.split('/')));
    if !shaped {
        return refuse(format!(
            "its path `{}` does not have the shape `{}` (a path parameter left its segment?)",
            url.path(),
            operation.path()
        ));
    }
    Ok(operation)
}

impl ClientHooks<Context> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let config = &self.inner().config;
        let operation = check_destination(&config.base, request.url(), info.operation_id)
            .map_err(|err| progenitor_client::Error::InvalidRequest(err.to_string()))?;
        let scoped = ATTEMPT
            .try_with(|a| {
                a.sent_as.set(Some(SentAs {
                    id: operation.id(),
                    idempotency: operation.idempotency(),
                }));
                a.headers.take()
            })
            .ok()
            .flatten();
        let (authorization, client_request_id) = match scoped {
            Some(scoped) => scoped,
            None => {
                // The raw client: no call loop around this request.
                let authorization = config
                    .authorization()
                    .await
                    .map_err(|err| progenitor_client::Error::Custom(err.to_string()))?;
                (authorization, ClientRequestId::new().header())
            }
        };
        config.decorate(request, authorization, client_request_id);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        Ok(bounded(response, self.inner().config.max_response_bytes))
    }
}
