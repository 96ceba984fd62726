//! progenitor's `ClientHooks` for the generated client. They only decorate a request and
//! bound its response; the call loop (auth, attempts, retries, outcome) is around them.
//!
//! * `pre`: checks that the URL still goes to the configured Graph origin, in the shape
//!   of its operation's path template (from the generated [`Operation`] table), and that
//!   the operation is the one the call loop runs, then sets `Authorization` (sensitive),
//!   `client-request-id`, `User-Agent`, `Prefer` and `Accept-Language`;
//! * `exec`: sends the request and bounds a JSON response body to the configured
//!   `max_response_bytes` (a larger body ends in `ResponseTooLarge`; announced by
//!   `Content-Length`, none of it is read); content (transcripts, recordings) is sent
//!   through the client's content HTTP client, not bounded, with no total timeout (`pre`
//!   sets one on every other request) but the stall timeout (that client's read
//!   timeout);
//! * `post` is progenitor's (it does nothing).
//!
//! Inside a [`GraphClient`](crate::GraphClient) call, the loop puts the attempt's token and
//! `client-request-id` in the task-local attempt; a call of the raw client has none, and
//! `pre` gets a token and a new `client-request-id` itself (the raw client makes one
//! attempt and does not retry).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;

use crate::generated::Client;
use crate::runtime::attempt::ATTEMPT;
use crate::runtime::body_limit::bounded;
use crate::runtime::context::{ClientConfig, Context};
use crate::runtime::error::RequestError;
use crate::runtime::operation::Operation;
use crate::runtime::request_id::ClientRequestId;

/// Puts the attempt's headers on `request` (or a token and a new `client-request-id` of
/// its own, for the raw client), with the total timeout when the answer is JSON
/// (`timed`), once `request` is known to be `operation`'s, the one the attempt in scope
/// runs.
async fn prepare<E>(
    config: &ClientConfig,
    request: &mut reqwest::Request,
    operation: Operation,
    timed: bool,
) -> Result<(), progenitor_client::Error<E>> {
    let scoped = match ATTEMPT.try_with(|a| (a.operation_id, a.headers.take())) {
        Ok((expected, _)) if expected != operation.id() => {
            return Err(progenitor_client::Error::InvalidRequest(format!(
                "refusing to send `{operation}` in a call of `{expected}`"
            )));
        }
        Ok((_, headers)) => headers,
        Err(_) => None,
    };
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
    if timed {
        *request.timeout_mut() = Some(config.timeout);
    }
    Ok(())
}

/// `pre` for the request of a link Graph gave (`@odata.nextLink`, `@odata.deltaLink`),
/// sent as `operation`, the operation whose collection it continues. The link's origin
/// was checked before (see `pages`); its path is Graph's to choose, so it has no template.
pub(crate) async fn pre_link<E>(
    client: &Client,
    request: &mut reqwest::Request,
    operation: Operation,
) -> Result<(), progenitor_client::Error<E>> {
    prepare(&client.inner().config, request, operation, true).await
}

/// The path of `url` under the base path (after its `/`), if `url` goes to the base's
/// origin (scheme, host, port) under its base path (the version segment); else why not.
/// Every request that carries the token passes this: generated ones and Graph's links.
pub(crate) fn under_base<'u>(base: &Url, url: &'u Url) -> Result<&'u str, String> {
    if url.origin() != base.origin() {
        return Err(format!(
            "its URL goes to {}, not to the configured Graph origin {}",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        ));
    }
    url.path()
        .strip_prefix(base.path().trim_end_matches('/'))
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(|| {
            format!(
                "its path `{}` is not under the configured base path `{}`",
                url.path(),
                base.path()
            )
        })
}

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
    let rest = match under_base(base, url) {
        Ok(rest) => rest,
        Err(why) => return refuse(why),
    };
    let Some(operation) = Operation::from_id(operation_id) else {
        return refuse("the operation is not in the generated operation table".to_owned());
    };
    let shaped = operation.matches_path(rest.split('/'));
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
        prepare(
            config,
            request,
            operation,
            operation.content_type().is_none(),
        )
        .await
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let config = &self.inner().config;
        // Content (a recording can be gigabytes) is streamed to the caller, never held:
        // the JSON size limit is for bodies the client reads into memory.
        let content = Operation::from_id(info.operation_id).and_then(Operation::content_type);
        if content.is_some() {
            let response = config.content_http.execute(request).await?;
            // An error answer is read whole for its message: it gets the JSON limit.
            if !response.status().is_success() {
                return Ok(bounded(response, config.max_response_bytes));
            }
            return Ok(response);
        }
        let response = self.client().execute(request).await?;
        Ok(bounded(response, config.max_response_bytes))
    }
}
