//! The receiver as an axum route.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use tokio::sync::mpsc;

use crate::subscriptions::notifications::events::Event;
use crate::subscriptions::notifications::receiver::{Received, Receiver};

/// The largest request body the handler reads, in bytes; a larger one is answered `413`.
/// Graph's notification collections are far smaller.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A `POST` route for the notification URL: the handshake answered at once, each
/// collection checked by `receiver` and answered `202` once its events are in `events`.
/// When the channel is full the answer waits for room, and when its reader is gone it
/// is `503`, so that Graph sends the notifications again: none is dropped here.
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
///             println!("transcript {:?}", change.notification.resource);
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
                for event in delivery.events {
                    if events.send(event).await.is_err() {
                        return (
                            http::StatusCode::SERVICE_UNAVAILABLE,
                            "the app no longer reads notifications",
                        )
                            .into_response();
                    }
                }
            }
            response.into_response()
        }
    }
}
