//! The receiver as an axum route.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use std::time::Duration;
use tokio::sync::mpsc;

use crate::subscriptions::notifications::events::Event;
use crate::subscriptions::notifications::receiver::{Received, Receiver};

/// The largest request body the handler reads, in bytes; a larger one is answered `413`.
/// Graph's notification collections are far smaller.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// How long [`axum_handler`] waits for room in the channel for a collection's events
/// before answering `503`, which Graph answers by sending them again: it marks an
/// endpoint slow, then drops its notifications, when answers take over 10 seconds, and
/// asks for the answer within 3 seconds when it can.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// A `POST` route for the notification URL: the handshake answered at once, each
/// collection checked by `receiver` and answered `202` once all its events are in
/// `events`. Room for the whole collection is reserved first, so that a collection is
/// handed on whole or not at all: when there is none within [`QUEUE_WAIT`], or the
/// channel's reader is gone, the answer is `503` and Graph sends the notifications
/// again. None is dropped here, and none is handed on twice for one delivery, as long
/// as the channel's capacity holds a collection (a larger one goes in parts). Refused
/// notifications are answered `202` too and only show as a count
/// ([`Receiver::refused`]) and a `tracing` warning: install a subscriber to see them.
///
/// Serving the router needs axum itself in the app (`axum = "0.8"`, with its `http1`
/// and `tokio` features): this feature brings the handler, not a server.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use graph_online_meetings::notifications::{axum_handler, Event, Receiver};
///
/// let receiver = Receiver::builder("a secret the receiver checks").build()?;
/// let (events, mut incoming) = tokio::sync::mpsc::channel(1024);
/// let app: axum::Router = axum::Router::new().route("/notifications", axum_handler(receiver, events));
/// tokio::spawn(async move {
///     while let Some(event) = incoming.recv().await {
///         if let Event::Transcript(change) = event {
///             println!("transcript {:?}", change.resource.and_then(|t| t.id));
///         }
///     }
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// axum::serve(listener, app).await?;
/// # Ok(())
/// # }
/// ```
pub fn axum_handler<S>(receiver: Receiver, events: mpsc::Sender<Event>) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    axum::routing::post(move |request: Request| {
        let receiver = receiver.clone();
        let events = events.clone();
        async move { handle(&receiver, &events, request).await }
    })
}

async fn handle(receiver: &Receiver, events: &mpsc::Sender<Event>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY_BYTES).await else {
        return (
            http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is over {MAX_BODY_BYTES} bytes or was cut off"),
        )
            .into_response();
    };
    let request = http::Request::from_parts(parts, body);
    match receiver.receive(&request).await {
        Err(error) => error.response().map(Body::from).into_response(),
        Ok(received) => {
            let response = received.response().map(Body::from);
            if let Received::Notifications(delivery) = received {
                let mut events_left = delivery.events.into_iter().peekable();
                // Whole when the channel can hold the collection; in parts of its
                // capacity otherwise.
                while events_left.peek().is_some() {
                    let part = events_left.len().min(events.max_capacity());
                    let room = tokio::time::timeout(QUEUE_WAIT, events.reserve_many(part)).await;
                    let Ok(Ok(permits)) = room else {
                        return (
                            http::StatusCode::SERVICE_UNAVAILABLE,
                            "the app is not reading notifications now",
                        )
                            .into_response();
                    };
                    for (permit, event) in permits.zip(events_left.by_ref()) {
                        permit.send(event);
                    }
                }
            }
            response.into_response()
        }
    }
}
