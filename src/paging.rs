//! Collections that span pages: [`Pages`] follows `@odata.nextLink` lazily, one page
//! held at a time, and keeps the `@odata.deltaLink` a delta round ends with.
//!
//! The first page is a generated method's call; every later page is a `GET` of the link
//! Graph gave, sent through the same call loop (token, retries, limits) as the operation
//! of the first page. A link that leaves the configured origin or base path is refused
//! before anything is sent ([`Error::ForeignLink`]).

use std::borrow::BorrowMut;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderValue};

use crate::attempt::SentAs;
use crate::call::RawResult;
use crate::client::GraphClient;
use crate::error::{ForeignLink, RequestError, Result};
use crate::generated::Client;
use crate::response::Response;
use crate::types;

/// One page of a collection: its items and the links Graph gave with them.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    next_link: Option<String>,
    delta_link: Option<String>,
}

impl<T> Page<T> {
    /// The page's items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The page's items, without the links.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// `@odata.nextLink`: the URL of the next page, when there is one.
    pub fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }

    /// `@odata.deltaLink`: on the last page of a delta round, the URL that later returns
    /// only what was added since.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
}

/// A generated collection response: one page of items.
pub(crate) trait Collection: serde::de::DeserializeOwned + fmt::Debug + Send {
    /// The item type.
    type Item: fmt::Debug + Send;

    /// The page it is.
    fn into_page(self) -> Page<Self::Item>;
}

/// The collection responses of the spec, each a page: `value`, `@odata.nextLink` and,
/// for those a delta round returns, `@odata.deltaLink`.
macro_rules! collections {
    ($($collection:ident => $item:ident $(, $delta:ident)?;)*) => {$(
        impl Collection for types::$collection {
            type Item = types::$item;

            fn into_page(self) -> Page<types::$item> {
                Page {
                    items: self.value,
                    next_link: self.odata_next_link,
                    delta_link: collections!(@delta self $(, $delta)?),
                }
            }
        }
    )*};
    (@delta $self:ident) => { None };
    (@delta $self:ident, $delta:ident) => { $self.$delta };
}

collections! {
    MeetingAttendanceReportCollectionResponse => MeetingAttendanceReport;
    AttendanceRecordCollectionResponse => AttendanceRecord;
    CallTranscriptCollectionResponse => CallTranscript, odata_delta_link;
    CallRecordingCollectionResponse => CallRecording, odata_delta_link;
}

type PageFuture<'c, T> = Pin<Box<dyn Future<Output = Result<Response<Page<T>>>> + Send + 'c>>;

/// Where the next page comes from.
enum Next<'c, T> {
    /// The first page: a generated method's call, not yet polled.
    First(PageFuture<'c, T>),
    /// A link Graph gave (or the caller kept).
    Link(String),
    /// The last page was read (or a page failed).
    Done,
}

/// The pages of a collection, read lazily: [`next_page`](Self::next_page) walks them,
/// [`items`](Self::items) and [`into_items`](Self::into_items) stream their items,
/// [`all`](Self::all) collects them. Nothing is sent before the first of these is awaited.
///
/// Every page request goes through the client's call loop (token, retries, limits); a
/// page that fails ends the walk with its error.
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// let mut reports = client.me().meeting("MSpkYzE3...").attendance_reports();
/// while let Some(page) = reports.next_page().await {
///     for report in page?.items() {
///         println!("{:?}: {:?} participants", report.id, report.total_participant_count);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "pages send nothing until they are read"]
pub struct Pages<'c, T> {
    client: &'c GraphClient,
    next: Next<'c, T>,
    /// The operation every page is sent as: the first page's (learnt from its request),
    /// or the one a kept link continues.
    sent_as: Option<SentAs>,
    /// Sends a link's request and reads it as the collection of the first page.
    follow: fn(&'c GraphClient, Url, SentAs) -> PageFuture<'c, T>,
    delta_link: Option<String>,
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let next = match &self.next {
            Next::First(_) => "first page",
            Next::Link(link) => link.as_str(),
            Next::Done => "done",
        };
        f.debug_struct("Pages")
            .field("next", &next)
            .field("delta_link", &self.delta_link)
            .finish()
    }
}

impl<'c, T: fmt::Debug + Send + 'c> Pages<'c, T> {
    /// The pages whose first page `first` reads (a generated method's call).
    pub(crate) fn new<C>(
        client: &'c GraphClient,
        first: impl Future<Output = Result<Response<C>>> + Send + 'c,
    ) -> Self
    where
        C: Collection<Item = T> + 'c,
    {
        let first = async move { first.await.map(|page| page.map(C::into_page)) };
        Pages {
            client,
            next: Next::First(Box::pin(first)),
            sent_as: None,
            follow: follow::<C>,
            delta_link: None,
        }
    }

    /// The pages that start at a link the caller kept (a delta link), sent as
    /// `sent_as`.
    pub(crate) fn from_link<C>(client: &'c GraphClient, link: &str, sent_as: SentAs) -> Self
    where
        C: Collection<Item = T> + 'c,
    {
        Pages {
            client,
            next: Next::Link(link.to_owned()),
            sent_as: Some(sent_as),
            follow: follow::<C>,
            delta_link: None,
        }
    }

    /// The next page, or `None` after the last one (or after a page failed).
    pub async fn next_page(&mut self) -> Option<Result<Response<Page<T>>>> {
        let (request, link) = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::First(first) => (first, None),
            Next::Link(link) => match self.follow_link(&link) {
                Ok(request) => (request, Some(link)),
                Err(err) => return Some(Err(err)),
            },
        };
        let page = match request.await {
            Ok(page) => page,
            Err(err) => return Some(Err(err)),
        };
        self.sent_as = self.sent_as.or(page.sent_as());
        if let Some(next) = page.next_link() {
            if link.as_deref() == Some(next) {
                // Following it again would return this page again, forever.
                return Some(Err(RequestError::new(
                    format!("the page at `{next}` gives itself as the next page; not followed"),
                    None,
                )
                .into()));
            }
            self.next = Next::Link(next.to_owned());
        }
        if let Some(link) = page.delta_link() {
            self.delta_link = Some(link.to_owned());
        }
        Some(Ok(page))
    }

    /// The request of `link`, if it may be sent.
    fn follow_link(&self, link: &str) -> Result<PageFuture<'c, T>> {
        let url = checked_link(self.client, link)?;
        let sent_as = self.sent_as.ok_or_else(|| {
            // Only a first page that never reached the hooks has no operation, and it
            // failed: there is no link after it.
            RequestError::new("a page link has no operation to be sent as", None)
        })?;
        Ok((self.follow)(self.client, url, sent_as))
    }

    /// The items of the pages not read yet, one page held at a time; an error ends the
    /// stream after it is yielded. Borrows the pages, so that
    /// [`delta_link`](Self::delta_link) can be read afterwards.
    pub fn items(&mut self) -> impl Stream<Item = Result<T>> + Send + '_ {
        item_stream(self)
    }

    /// [`items`](Self::items), owning the pages (to return the stream, or to stream a
    /// list made in the same expression).
    pub fn into_items(self) -> impl Stream<Item = Result<T>> + Send + 'c
    where
        T: 'c,
    {
        item_stream(self)
    }

    /// Every item of the pages not read yet, collected (all of them held at once).
    pub async fn all(&mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.into_inner().items);
        }
        Ok(all)
    }

    /// The `@odata.deltaLink` of the last page read, once a delta round reached it:
    /// keep it, and start the next round there to get only what was added since.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
}

/// The items of `pages`, owned or borrowed, one page held at a time.
fn item_stream<'c, T, P>(pages: P) -> impl Stream<Item = Result<T>> + Send
where
    T: fmt::Debug + Send + 'c,
    P: BorrowMut<Pages<'c, T>> + Send,
{
    futures_util::stream::unfold(
        (pages, Vec::new().into_iter()),
        |(mut pages, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.next() {
                    return Some((Ok(item), (pages, buffer)));
                }
                match pages.borrow_mut().next_page().await? {
                    Ok(page) => buffer = page.into_inner().items.into_iter(),
                    Err(err) => return Some((Err(err), (pages, buffer))),
                }
            }
        },
    )
}

/// `link` parsed, if it goes to the client's origin under its base path (the version
/// segment): Graph's links do; a link elsewhere would take the access token with it.
fn checked_link(client: &GraphClient, link: &str) -> Result<Url> {
    let url = Url::parse(link)
        .map_err(|err| ForeignLink::new(link, format!("it is not an absolute URL ({err})")))?;
    crate::hooks::under_base(client.base_url(), &url).map_err(|why| ForeignLink::new(link, why))?;
    Ok(url)
}

/// The request of a page's link, through the call loop, read as `C`.
fn follow<'c, C: Collection + 'c>(
    client: &'c GraphClient,
    url: Url,
    sent_as: SentAs,
) -> PageFuture<'c, C::Item> {
    Box::pin(async move {
        let page = client
            .run(|raw| get_link::<C>(raw, url.clone(), sent_as))
            .await?;
        Ok(page.map(C::into_page))
    })
}

/// One attempt of a link's `GET`, answered like a generated list method: `200` is the
/// collection, `4xx`/`5xx` Graph's error.
async fn get_link<C: Collection>(raw: &Client, url: Url, sent_as: SentAs) -> RawResult<C> {
    let mut request = raw
        .client()
        .get(url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .build()?;
    crate::hooks::pre_link(raw, &mut request, sent_as).await?;
    let info = OperationInfo {
        operation_id: sent_as.id,
    };
    let response = raw.exec(request, &info).await?;
    match response.status().as_u16() {
        200 => crate::runtime::from_response(response).await,
        400..=599 => Err(progenitor_client::Error::ErrorResponse(
            crate::runtime::from_response(response).await?,
        )),
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}
