//! The decoder of the generated methods' JSON bodies.

use crate::runtime::attempt::{ATTEMPT, Seen};

/// A response's JSON body decoded into `T`, with the response's status and headers: what
/// progenitor's `ResponseValue::from_response` returns, with the same errors, but the
/// headers are moved out of the response instead of copied (the codegen's `responses`
/// transform puts this in place of progenitor's function in every generated method).
pub(crate) async fn from_response<T, E>(
    mut response: reqwest::Response,
) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>
where
    T: serde::de::DeserializeOwned,
{
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(progenitor_client::ResponseValue::new(
            value, status, headers,
        )),
        Err(err) => {
            // progenitor's error keeps only the bytes: the call loop gets the status and
            // the headers from here (outside a `GraphClient` call nobody asks).
            let _ = ATTEMPT.try_with(|a| a.undecodable.replace(Some(Seen { status, headers })));
            Err(progenitor_client::Error::InvalidResponsePayload(body, err))
        }
    }
}
