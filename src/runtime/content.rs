//! [`Content`]: the bytes of a transcript or a recording, streamed as they arrive.
//!
//! Content is never held whole (a recording runs to gigabytes): it is not bounded by the
//! JSON size limit and has no total timeout, only the client's stall timeout (see
//! [`GraphClientBuilder::stall_timeout`](crate::GraphClientBuilder::stall_timeout)).

use std::fmt;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt as _;
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use crate::generated::ByteStream;
use crate::runtime::error::{Error, Result, TransportError, WriteError};
use crate::runtime::response::Response;

/// The body of a content download, not yet read: stream it
/// ([`into_stream`](Self::into_stream)) or write it to a file
/// ([`write_to`](Self::write_to)). The status and headers (`Content-Type`,
/// `Content-Length`) are on the [`Response`] around it.
///
/// A failure while reading (a reset, a stall past the stall timeout) ends the stream with
/// an [`Error`]; it is not retried, since part of the content was already handed over.
pub struct Content {
    stream: ByteStream,
    client_request_id: String,
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Content")
            .field("client_request_id", &self.client_request_id)
            .finish_non_exhaustive()
    }
}

impl Content {
    /// A generated method's byte stream as content.
    pub(crate) fn from_response(response: Response<ByteStream>) -> Response<Content> {
        let client_request_id = response.client_request_id().to_owned();
        response.map(|stream| Content {
            stream,
            client_request_id,
        })
    }

    /// The bytes, chunk by chunk as they arrive.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes>> + Send {
        let Content {
            stream,
            client_request_id,
        } = self;
        stream.into_inner().map(move |chunk| {
            chunk.map_err(|err| Error::from(TransportError::new(err, &client_request_id)))
        })
    }

    /// Write every byte to `sink` (a file, a `Vec<u8>`), one chunk at a time, and flush
    /// it; returns the number of bytes written.
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let recording = client.me().meeting("MSpkYzE3...").recording("VjIjIzE3...");
    /// let mut file = tokio::fs::File::create("meeting.mp4").await?;
    /// let written = recording.content().await?.into_inner().write_to(&mut file).await?;
    /// println!("{written} bytes");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn write_to<W>(self, sink: &mut W) -> Result<u64>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let client_request_id = self.client_request_id.clone();
        let failed = |written, err| Error::Write(WriteError::new(written, &client_request_id, err));
        let mut written = 0u64;
        let mut stream = std::pin::pin!(self.into_stream());
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            sink.write_all(&chunk)
                .await
                .map_err(|err| failed(written, err))?;
            written += chunk.len() as u64;
        }
        sink.flush().await.map_err(|err| failed(written, err))?;
        Ok(written)
    }
}
