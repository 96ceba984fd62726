//! Collections that span pages: [`Pages`] follows `@odata.nextLink` lazily, one page
//! held at a time, and keeps the `@odata.deltaLink` a delta round ends with.
//!
//! The first page is a generated method's call; every later page is a `GET` of the link
//! Graph gave, sent through the same call loop (token, retries, limits) as the operation
//! of the first page. A link that leaves the configured origin or base path is refused
//! before anything is sent ([`Error::ForeignLink`](crate::Error::ForeignLink)), and so is
//! a link this walk already followed (it would walk the same pages for ever).

use std::borrow::BorrowMut;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderValue};

use crate::generated::Client;
use crate::runtime::call::RawResult;
use crate::runtime::client::GraphClient;
use crate::runtime::error::{ForeignLink, RequestError, Result};
use crate::runtime::operation::Operation;
use crate::runtime::page::{Collection, Page};
use crate::runtime::response::Response;

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
    /// The operation every page is sent as: the first page's, or the one a kept link
    /// continues.
    operation: Option<Operation>,
    /// Sends a link's request and reads it as the collection of the first page.
    follow: fn(&'c GraphClient, Url, Operation) -> PageFuture<'c, T>,
    /// The links this walk followed: one of them again would repeat the walk for ever.
    followed: HashSet<String>,
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
            .field("operation", &self.operation)
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
            operation: None,
            follow: follow::<C>,
            followed: HashSet::new(),
            delta_link: None,
        }
    }

    /// The pages that start at a link the caller kept (a delta link), sent as
    /// `operation`.
    pub(crate) fn from_link<C>(client: &'c GraphClient, link: &str, operation: Operation) -> Self
    where
        C: Collection<Item = T> + 'c,
    {
        Pages {
            client,
            next: Next::Link(link.to_owned()),
            operation: Some(operation),
            follow: follow::<C>,
            followed: HashSet::new(),
            delta_link: None,
        }
    }

    /// The next page, or `None` after the last one (or after a page failed).
    pub async fn next_page(&mut self) -> Option<Result<Response<Page<T>>>> {
        let request = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::First(first) => first,
            Next::Link(link) => match self.follow_link(link) {
                Ok(request) => request,
                Err(err) => return Some(Err(err)),
            },
        };
        let page = match request.await {
            Ok(page) => page,
            Err(err) => return Some(Err(err)),
        };
        self.operation = Some(page.operation());
        if let Some(next) = page.next_link() {
            self.next = Next::Link(next.to_owned());
        }
        if let Some(link) = page.delta_link() {
            self.delta_link = Some(link.to_owned());
        }
        Some(Ok(page))
    }

    /// The request of `link`, if it may be sent: to the client's origin, and not
    /// followed before in this walk.
    fn follow_link(&mut self, link: String) -> Result<PageFuture<'c, T>> {
        let url = checked_link(self.client, &link)?;
        let Some(operation) = self.operation else {
            // Only a first page that failed has no operation, and there is no link after it.
            return Err(
                RequestError::new("a page link has no operation to be sent as", None).into(),
            );
        };
        if !self.followed.insert(link) {
            return Err(RequestError::new(
                format!(
                    "the link `{url}` was followed before in this walk: following it again \
                     would repeat the same pages for ever; not followed"
                ),
                None,
            )
            .into());
        }
        Ok((self.follow)(self.client, url, operation))
    }

    /// The items of the pages not read yet, one page held at a time; an error ends the
    /// stream after it is yielded. Borrows the pages, so that
    /// [`delta_link`](Self::delta_link) can be read afterwards.
    ///
    /// [`Items::next`] needs no import; [`Items`] is also a
    /// [`Stream`](futures_core::Stream), for the combinators of `futures-util`'s
    /// `StreamExt` (or `futures`' or `tokio-stream`'s).
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// let mut transcripts = client.me().meeting("MSpkYzE3...").transcripts();
    /// let mut items = transcripts.items();
    /// while let Some(transcript) = items.next().await {
    ///     println!("{:?}", transcript?.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(&mut self) -> Items<'_, T> {
        Items::new(self)
    }

    /// [`items`](Self::items), owning the pages (to return the stream, or to stream a
    /// list made in the same expression).
    pub fn into_items(self) -> Items<'c, T>
    where
        T: 'c,
    {
        Items::new(self)
    }

    /// Every item of the pages not read yet, collected (all of them held at once).
    pub async fn all(&mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.into_inner().into_items());
        }
        Ok(all)
    }

    /// The `@odata.deltaLink` of the last page read, once a delta round reached it:
    /// keep it, and start the next round there to get only what was added since.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
}

/// The items of [`Pages`], one page held at a time: from [`Pages::items`] (borrowing
/// the pages) or [`Pages::into_items`] (owning them).
///
/// `while let Some(item) = items.next().await` reads them with nothing to pin or import;
/// it is also a [`Stream`](futures_core::Stream) of `Result<T>` (an error ends it).
#[must_use = "items send nothing until they are read"]
pub struct Items<'p, T> {
    stream: Pin<Box<dyn Stream<Item = Result<T>> + Send + 'p>>,
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<'p, T: fmt::Debug + Send + 'p> Items<'p, T> {
    /// The items of `pages`, owned or borrowed.
    fn new<'c: 'p, P>(pages: P) -> Self
    where
        T: 'c,
        P: BorrowMut<Pages<'c, T>> + Send + 'p,
    {
        let stream = futures_util::stream::unfold(
            (pages, Vec::new().into_iter()),
            |(mut pages, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.next() {
                        return Some((Ok(item), (pages, buffer)));
                    }
                    match pages.borrow_mut().next_page().await? {
                        Ok(page) => buffer = page.into_inner().into_items().into_iter(),
                        Err(err) => return Some((Err(err), (pages, buffer))),
                    }
                }
            },
        );
        Items {
            stream: Box::pin(stream),
        }
    }

    /// The next item, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await
    }
}

impl<T> Stream for Items<'_, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

/// `link` parsed, if it goes to the client's origin under its base path (the version
/// segment): Graph's links do; a link elsewhere would take the access token with it.
fn checked_link(client: &GraphClient, link: &str) -> Result<Url> {
    let url = Url::parse(link)
        .map_err(|err| ForeignLink::new(link, format!("it is not an absolute URL ({err})")))?;
    crate::runtime::hooks::under_base(client.base_url(), &url)
        .map_err(|why| ForeignLink::new(link, why))?;
    Ok(url)
}

/// The request of a page's link, through the call loop, read as `C`.
fn follow<'c, C: Collection + 'c>(
    client: &'c GraphClient,
    url: Url,
    operation: Operation,
) -> PageFuture<'c, C::Item> {
    Box::pin(async move {
        let page = client
            .run(|raw| Ok((operation, get_link::<C>(raw, url.clone(), operation))))
            .await?;
        Ok(page.map(C::into_page))
    })
}

/// One attempt of a link's `GET`, answered like a generated list method: `200` is the
/// collection, `4xx`/`5xx` Graph's error.
async fn get_link<C: Collection>(raw: &Client, url: Url, operation: Operation) -> RawResult<C> {
    let mut request = raw
        .client()
        .get(url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .build()?;
    crate::runtime::hooks::pre_link(raw, &mut request, operation).await?;
    let info = OperationInfo {
        operation_id: operation.id(),
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
