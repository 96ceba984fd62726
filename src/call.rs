//! The one call loop of [`GraphClient`](crate::GraphClient): authentication, attempts,
//! `Retry-After`, and the outcome of a call, for every operation.
//!
//! One call runs in one tracing span (`graph_online_meetings::call`, with the operation
//! id, the `client-request-id`, the attempt, the status, Graph's `request-id`, and
//! `budget_wait_ms` when it waited for the client's shared budget). Each attempt first
//! takes its place in that budget (see `budget`): after a `429`, the whole client waits
//! out its `Retry-After`. The
//! call gets one token from the provider; each attempt runs the generated method (whose
//! hooks put the token and the call's `client-request-id` on the request, and report the
//! [`Operation`](crate::Operation) the generated method names), and turns its result into this crate's
//! [`Response`] or [`Error`]. Whether a failed attempt is retried is decided by that
//! operation's [`Idempotency`](crate::Idempotency), from the generated table, and by the
//! [`RetryPolicy`](crate::RetryPolicy): the operation a call is retried as is the one whose
//! request it sent, with no second place naming it.

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tracing::Instrument;

use crate::attempt::{ATTEMPT, Attempt, Seen, SentAs};
use crate::context::ClientConfig;
use crate::error::{DecodeError, Error, Exchange, GraphError, Result, Throttled, TransportError};
use crate::facts::Idempotency;
use crate::request_id::ClientRequestId;
use crate::response::Response;
use crate::types::OdataError;

/// What one attempt of a generated method returns.
pub(crate) type RawResult<T> =
    std::result::Result<ResponseValue<T>, progenitor_client::Error<OdataError>>;

/// Run a call: `attempt` calls one generated method once; it is called again for each
/// retry.
pub(crate) async fn run<T, F, Fut>(config: &ClientConfig, mut attempt: F) -> Result<Response<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = RawResult<T>>,
{
    let client_request_id = ClientRequestId::new();
    let span = tracing::info_span!(
        "graph_online_meetings::call",
        operation = tracing::field::Empty,
        client_request_id = client_request_id.as_str(),
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        budget_wait_ms = tracing::field::Empty,
    );
    (async {
        let policy = &config.retry;
        // One token per call, fetched once the call has its place in the budget (a call
        // that waited there would otherwise send a token as old as its wait).
        let mut authorization = None;
        // Named by the generated method's request (the `pre` hook reports it); until then,
        // and if the request never reached `pre`, nothing is retried.
        let mut operation: Option<SentAs> = None;
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
                headers: Cell::new(Some((token, client_request_id.header()))),
                undecodable: Cell::new(None),
                sent_as: Cell::new(None),
            };
            let (raw, seen, sent_as) = ATTEMPT
                .scope(scope, async {
                    let raw = attempt().await;
                    ATTEMPT.with(|a| (raw, a.undecodable.take(), a.sent_as.get()))
                })
                .await;
            if operation.is_none() {
                operation = sent_as;
                if let Some(op) = operation {
                    span.record("operation", op.id);
                }
            }
            let outcome = match outcome(raw, seen, client_request_id, number, operation) {
                Outcome::Done(outcome) => outcome,
                Outcome::Unexpected(exchange, response) => Err(Box::pin(
                    crate::error::UnexpectedStatus::read(exchange, response),
                )
                .await
                .into()),
            };
            if !span.is_disabled() {
                if let Some(status) = outcome_status(&outcome) {
                    span.record("status", status.as_u16());
                }
                if let Some(id) = outcome_request_id(&outcome) {
                    span.record("request_id", id);
                }
            }
            drop(admission);
            let Err(error) = outcome else {
                tracing::debug!(attempt = number, "response");
                return outcome;
            };
            let delay = if error.status() == Some(StatusCode::TOO_MANY_REQUESTS) {
                throttles += 1;
                let wait = policy.throttle_wait(throttles, error.retry_after());
                if let Some(budget) = &config.budget {
                    // Graph throttles the app in the tenant, not this call: every call of
                    // the client waits, whether or not this one is retried.
                    budget.pause(wait);
                }
                let retried =
                    operation.is_some() && policy.may_wait_throttled(throttled_wait, wait);
                if !retried {
                    return Err(error);
                }
                throttled_wait += wait;
                wait
            } else {
                let Some(hint) = operation.and_then(|op| retryable(op.idempotency, &error)) else {
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
    sent_as: Option<SentAs>,
) -> Outcome<T> {
    use progenitor_client::Error as Raw;
    let exchange = |status, headers| Exchange {
        status,
        headers,
        client_request_id: Some(client_request_id.as_str().to_owned()),
        attempts,
    };
    Outcome::Done(match raw {
        Ok(value) => Ok(Response::new(value, client_request_id, attempts, sent_as)),
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
            Err(crate::error::RequestError::new(message, None).into())
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
    use crate::operation::Operation;
    use reqwest::header::HeaderMap;

    /// A call's future holds the loop's state inline: it must stay a few kilobytes,
    /// below the 16 KB past which tokio boxes a spawned future itself in a release build,
    /// so that a growing state is noticed here.
    #[test]
    fn a_call_future_is_small() {
        let client = crate::GraphClient::builder()
            .base_url("http://127.0.0.1:9")
            .bearer_token("token")
            .build()
            .expect("a client");
        let request = crate::types::CreateOrGetRequest::new("key");
        let call = client.me().create_or_get(&request);
        let size = std::mem::size_of_val(&call);
        assert!(size <= 8192, "a create_or_get future is {size} bytes");
    }

    #[test]
    fn only_idempotent_operations_are_retried_on_5xx() {
        let api = |status: u16| {
            let exchange = Exchange {
                status: StatusCode::from_u16(status).expect("a status"),
                headers: HeaderMap::new(),
                client_request_id: None,
                attempts: 1,
            };
            Error::from(GraphError::from_body(exchange, b""))
        };
        let create = Operation::CreateOnlineMeeting.idempotency();
        let update = Operation::UpdateOnlineMeeting.idempotency();
        let get = Operation::GetOnlineMeeting.idempotency();
        let create_or_get = Operation::CreateOrGetOnlineMeetingForUser.idempotency();
        for op in [create, update] {
            assert!(retryable(op, &api(429)).is_some());
            assert!(retryable(op, &api(503)).is_none());
            assert!(retryable(op, &api(504)).is_none());
        }
        for op in [
            get,
            create_or_get,
            Operation::DeleteOnlineMeeting.idempotency(),
        ] {
            assert!(retryable(op, &api(503)).is_some());
            assert!(retryable(op, &api(504)).is_some());
            assert!(retryable(op, &api(500)).is_none());
            assert!(retryable(op, &api(502)).is_none());
        }
    }
}
