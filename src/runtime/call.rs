//! The one call loop of [`GraphClient`](crate::GraphClient): authentication, attempts,
//! `Retry-After`, and the outcome of a call, for every operation.
//!
//! A call is a generated call method (the codegen's `calls` transform makes one per
//! operation, or per signed-in user's operation and its twin for a given user): it
//! checks the call's path
//! parameters and names the [`Operation`] it sends before anything is sent, and makes
//! the request of one attempt each time it is called. So the loop knows, before the
//! first attempt, what the call may be retried as: the operation's
//! [`Idempotency`](crate::Idempotency), from the generated table, with the
//! [`RetryPolicy`](crate::RetryPolicy).
//!
//! One call runs in one tracing span (`graph_online_meetings::call`, with the operation
//! id, the `client-request-id`, the attempt, the status, Graph's `request-id`, and
//! `budget_wait_ms` when it waited for the client's shared budget). Each attempt first
//! takes its place in that budget (see `budget`): after a `429`, the whole client waits
//! out its `Retry-After`. The call gets one token from the provider; the generated
//! method's hooks put it and the call's `client-request-id` on the request.

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tracing::Instrument;

use crate::runtime::attempt::{ATTEMPT, Attempt, Seen};
use crate::runtime::context::ClientConfig;
use crate::runtime::error::{
    DecodeError, Error, Exchange, GraphError, RequestError, Result, Throttled, TransportError,
    UnexpectedStatus,
};
use crate::runtime::facts::Idempotency;
use crate::runtime::operation::Operation;
use crate::runtime::request_id::ClientRequestId;
use crate::runtime::response::Response;
use crate::runtime::validation::ValidationError;
use crate::types::OdataError;

/// What one attempt of a generated method returns.
pub(crate) type RawResult<T> =
    std::result::Result<ResponseValue<T>, progenitor_client::Error<OdataError>>;

/// One call of a generated call method: the operation it sends and the request of one
/// attempt (sent when awaited), or why its arguments were refused.
pub(crate) type Call<Fut> = std::result::Result<(Operation, Fut), ValidationError>;

/// Run a call: `call` is a generated call method with its arguments; it is called once
/// for each attempt.
pub(crate) async fn run<T, F, Fut>(config: &ClientConfig, mut call: F) -> Result<Response<T>>
where
    F: FnMut() -> Call<Fut>,
    Fut: Future<Output = RawResult<T>>,
{
    // The operation and the arguments' check, before anything is sent: a generated
    // method's future does nothing until it is awaited, so this one is dropped unsent.
    let (operation, _) = call()?;
    let client_request_id = ClientRequestId::new();
    let span = tracing::info_span!(
        "graph_online_meetings::call",
        operation = operation.id(),
        client_request_id = client_request_id.as_str(),
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        budget_wait_ms = tracing::field::Empty,
    );
    (async {
        let policy = &config.retry;
        let idempotency = operation.idempotency();
        // One token per call, fetched once the call has its place in the budget (a call
        // that waited there would otherwise send a token as old as its wait).
        let mut authorization = None;
        let mut number: u32 = 1;
        // Attempts that count toward `max_attempts` and their waits (all but the `429`s),
        // and the `429`s and the waits they caused (this call's and the client's pauses).
        let (mut counted, mut waited) = (0u32, Duration::ZERO);
        let (mut throttles, mut throttled_wait) = (0u32, Duration::ZERO);
        let mut budget_wait = Duration::ZERO;
        loop {
            let span = tracing::Span::current();
            span.record("attempt", number);
            let admission = match &config.budget {
                Some(budget) => {
                    let limit = policy.max_throttled_delay().saturating_sub(throttled_wait);
                    match budget.admit(limit).await {
                        Ok(admission) => Some(admission),
                        Err(left) => return Err(Throttled::new(left, limit).into()),
                    }
                }
                None => None,
            };
            if let Some(admission) = &admission
                && !admission.waited().is_zero()
            {
                throttled_wait += admission.paused;
                budget_wait += admission.waited();
                span.record("budget_wait_ms", budget_wait.as_secs_f64() * 1e3);
                tracing::debug!(
                    attempt = number,
                    paused_ms = admission.paused.as_secs_f64() * 1e3,
                    queued_ms = admission.queued.as_secs_f64() * 1e3,
                    "waited for the client's shared budget"
                );
            }
            let token = match &authorization {
                Some(token) => HeaderValue::clone(token),
                None => authorization.insert(config.authorization().await?).clone(),
            };
            let scope = Attempt {
                operation_id: operation.id(),
                headers: Cell::new(Some((token, client_request_id.header()))),
                undecodable: Cell::new(None),
            };
            let (raw, seen) = ATTEMPT
                .scope(scope, async {
                    let raw = match call() {
                        Ok((_, request)) => request.await,
                        // The same arguments were accepted before the first attempt.
                        Err(err) => return Err(Error::from(err)),
                    };
                    Ok(ATTEMPT.with(|a| (raw, a.undecodable.take())))
                })
                .await?;
            let outcome = match outcome(raw, seen, client_request_id, number, operation) {
                Outcome::Done(outcome) => outcome,
                Outcome::Unexpected(exchange, response) => {
                    Err(Box::pin(UnexpectedStatus::read(exchange, response))
                        .await
                        .into())
                }
            };
            if !span.is_disabled() {
                if let Some(status) = outcome_status(&outcome) {
                    span.record("status", status.as_u16());
                }
                if let Some(id) = outcome_request_id(&outcome) {
                    span.record("request_id", id);
                }
            }
            let refused = outcome_status(&outcome) == Some(StatusCode::TOO_MANY_REQUESTS);
            if let (Some(budget), Some(admission), false) = (&config.budget, &admission, refused)
                && outcome_status(&outcome).is_some()
            {
                budget.accepted(admission);
            }
            let Err(error) = outcome else {
                tracing::debug!(attempt = number, "response");
                return outcome;
            };
            let delay = if refused {
                throttles += 1;
                let wait = policy.throttle_wait(throttles, error.retry_after());
                if let (Some(budget), Some(admission)) = (&config.budget, &admission) {
                    // Graph throttles the app in the tenant, not this call: every call of
                    // the client waits, whether or not this one is retried, and is paced
                    // from then on.
                    budget.refused(admission, wait);
                }
                drop(admission);
                if !policy.may_wait_throttled(throttled_wait, wait) {
                    return Err(error);
                }
                throttled_wait += wait;
                wait
            } else {
                drop(admission);
                let Some(hint) = retryable(idempotency, &error) else {
                    return Err(error);
                };
                counted += 1;
                let Some(delay) = policy.next_delay(counted, waited, hint) else {
                    return Err(error);
                };
                waited += delay;
                delay
            };
            tracing::info!(
                attempt = number,
                delay_ms = millis(delay),
                reason = %error,
                "retrying"
            );
            drop(error);
            tokio::time::sleep(delay).await;
            number += 1;
        }
    }
    .instrument(span))
    .await
}

/// `duration` in whole milliseconds, for logs and span fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `None` when `error` may not be retried for an operation with `idempotency`; else
/// the delay the server asked for, if any.
fn retryable(idempotency: Idempotency, error: &Error) -> Option<Option<Duration>> {
    match error {
        Error::Api(err) => {
            let status = err.status();
            let retried = match idempotency {
                Idempotency::Idempotent { .. } => matches!(
                    status,
                    StatusCode::TOO_MANY_REQUESTS
                        | StatusCode::SERVICE_UNAVAILABLE
                        | StatusCode::GATEWAY_TIMEOUT
                ),
                Idempotency::NotIdempotent => status == StatusCode::TOO_MANY_REQUESTS,
            };
            retried.then(|| err.retry_after())
        }
        Error::Timeout(err) | Error::Transport(err) => {
            (idempotency.is_idempotent() && err.may_retry()).then_some(None)
        }
        _ => None,
    }
}

/// What [`outcome`] makes of one attempt: the result, or a response with a status the
/// operation does not document, whose body is still to be read for the message.
enum Outcome<T> {
    Done(Result<Response<T>>),
    Unexpected(Exchange, reqwest::Response),
}

/// The generated layer's result as this crate's, with the status and headers of an
/// undecodable body that `from_response` noted.
/// Not `async`: only an undocumented status needs to read more (see [`Outcome`]), and
/// keeping that out of here keeps the loop's future small.
fn outcome<T>(
    raw: RawResult<T>,
    seen: Option<Seen>,
    client_request_id: ClientRequestId,
    attempts: u32,
    operation: Operation,
) -> Outcome<T> {
    use progenitor_client::Error as Raw;
    let exchange = |status, headers| Exchange {
        status,
        headers,
        client_request_id: Some(client_request_id.as_str().to_owned()),
        attempts,
    };
    Outcome::Done(match raw {
        Ok(value) => Ok(Response::new(value, client_request_id, attempts, operation)),
        Err(Raw::ErrorResponse(value)) => {
            let exchange = exchange(value.status(), value.headers().clone());
            Err(GraphError::from_typed(exchange, value.into_inner()).into())
        }
        Err(Raw::InvalidResponsePayload(body, source)) => {
            let exchange = seen.map(|seen| exchange(seen.status, seen.headers));
            Err(match exchange {
                Some(exchange)
                    if exchange.status.is_client_error() || exchange.status.is_server_error() =>
                {
                    GraphError::from_body(exchange, &body).into()
                }
                exchange => DecodeError::new(exchange, &body, source).into(),
            })
        }
        Err(Raw::UnexpectedResponse(response)) => {
            let exchange = exchange(response.status(), response.headers().clone());
            return Outcome::Unexpected(exchange, response);
        }
        Err(
            Raw::CommunicationError(err) | Raw::ResponseBodyError(err) | Raw::InvalidUpgrade(err),
        ) => Err(TransportError::new(err, client_request_id.as_str()).into()),
        Err(Raw::InvalidRequest(message) | Raw::Custom(message)) => {
            Err(RequestError::new(message, None).into())
        }
    })
}

fn outcome_status<T>(outcome: &Result<Response<T>>) -> Option<StatusCode> {
    match outcome {
        Ok(response) => Some(response.status()),
        Err(err) => err.status(),
    }
}

fn outcome_request_id<T>(outcome: &Result<Response<T>>) -> Option<&str> {
    match outcome {
        Ok(response) => response.request_id(),
        Err(err) => err.request_id(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    #[test]
    fn only_idempotent_operations_are_retried_on_5xx_and_every_one_on_429() {
        let api = |status: u16| {
            let exchange = Exchange {
                status: StatusCode::from_u16(status).expect("a status"),
                headers: HeaderMap::new(),
                client_request_id: None,
                attempts: 1,
            };
            Error::from(GraphError::from_body(exchange, b""))
        };
        for op in Operation::ALL {
            let idempotency = op.idempotency();
            assert!(retryable(idempotency, &api(429)).is_some(), "{op}");
            for status in [500, 502] {
                assert!(retryable(idempotency, &api(status)).is_none(), "{op}");
            }
            for status in [503, 504] {
                let retried = retryable(idempotency, &api(status)).is_some();
                assert_eq!(retried, idempotency.is_idempotent(), "{op} {status}");
            }
        }
    }
}
