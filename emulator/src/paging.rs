//! Server-driven paging of collections: `$top`, `$skiptoken`, `@odata.nextLink` and the
//! delta functions' `$deltatoken`/`@odata.deltaLink`.
//!
//! Tokens are opaque to clients (base64url of a short text) and carry a position, not a
//! copy of the list: a list that grows between two pages neither repeats nor skips an item,
//! because ordered lists page by sequence number (keyset paging) rather than by index.

use axum::http::uri::Authority;
use axum::http::{HeaderMap, Uri, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::graph_error::ErrorAnswer;

/// The largest `$top` accepted.
const MAX_TOP: usize = 100;

/// Where a page starts, as carried by a `$skiptoken` or a `$deltatoken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// An ascending list: the items after this sequence number.
    After(u64),
    /// A descending list: the items before this sequence number, `served` of them sent.
    Before { sequence: u64, served: u64 },
    /// A fixed list: the items from this index.
    Offset(u64),
    /// A delta link: what was added after this sequence number.
    Delta(u64),
}

impl Token {
    pub(crate) fn encode(self) -> String {
        let text = match self {
            Self::After(sequence) => format!("after.{sequence}"),
            Self::Before { sequence, served } => format!("before.{sequence}.{served}"),
            Self::Offset(index) => format!("offset.{index}"),
            Self::Delta(sequence) => format!("delta.{sequence}"),
        };
        URL_SAFE_NO_PAD.encode(text)
    }

    fn decode(token: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('.');
        let kind = parts.next()?;
        let mut number = || parts.next()?.parse::<u64>().ok();
        let token = match kind {
            "after" => Self::After(number()?),
            "before" => Self::Before {
                sequence: number()?,
                served: number()?,
            },
            "offset" => Self::Offset(number()?),
            "delta" => Self::Delta(number()?),
            _ => return None,
        };
        parts.next().is_none().then_some(token)
    }
}

/// How a collection is ordered, which decides the token its pages carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Oldest first, by sequence number.
    Ascending,
    /// Newest first, by sequence number, at most `cap` items in all.
    Descending { cap: u64 },
    /// A list that never changes, by index.
    Fixed,
}

/// The paging parameters of a collection request.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageQuery {
    /// `$top`, when given.
    pub(crate) top: Option<usize>,
    /// `$skiptoken`, when given.
    pub(crate) skip: Option<Token>,
    /// `$deltatoken`, when given.
    pub(crate) delta: Option<Token>,
}

/// The first value of query parameter `name`.
pub(crate) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query
        .into_iter()
        .flat_map(|q| form_urlencoded::parse(q.as_bytes()))
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

impl PageQuery {
    /// Reads `$top`, `$skiptoken` and `$deltatoken`; a bad value is 400.
    pub(crate) fn parse(query: Option<&str>) -> Result<Self, ErrorAnswer> {
        let top = match query_value(query, "$top") {
            None => None,
            Some(text) => match text.trim().parse::<usize>() {
                Ok(top) if (1..=MAX_TOP).contains(&top) => Some(top),
                _ => {
                    return Err(ErrorAnswer::bad_request(format!(
                        "Invalid $top value '{text}': it must be an integer from 1 to {MAX_TOP}."
                    )));
                }
            },
        };
        let token = |name: &str| match query_value(query, name) {
            None => Ok(None),
            Some(text) => Token::decode(&text).map(Some).ok_or_else(|| {
                ErrorAnswer::bad_request(format!("The {name} value '{text}' is not valid."))
            }),
        };
        let skip = token("$skiptoken")?;
        let delta = token("$deltatoken")?;
        if skip.is_some() && delta.is_some() {
            return Err(ErrorAnswer::bad_request(
                "$skiptoken and $deltatoken cannot be used together.",
            ));
        }
        Ok(Self { top, skip, delta })
    }
}

/// One page of a collection: its items, and where the next page starts (none: last page).
#[derive(Debug)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<Token>,
}

fn foreign_token() -> ErrorAnswer {
    ErrorAnswer::bad_request("The $skiptoken value is not valid for this collection.")
}

/// The page of `items` (each with its sequence number, in `order`) that starts at `skip`
/// and holds at most `size` items.
pub(crate) fn paginate<T>(
    items: Vec<(u64, T)>,
    order: Order,
    skip: Option<Token>,
    size: usize,
) -> Result<Page<T>, ErrorAnswer> {
    let size = size.max(1);
    match order {
        Order::Ascending => {
            let after = match skip {
                None => 0,
                Some(Token::After(sequence)) => sequence,
                Some(_) => return Err(foreign_token()),
            };
            let mut rest: Vec<(u64, T)> = items.into_iter().filter(|(s, _)| *s > after).collect();
            let more = rest.len() > size;
            rest.truncate(size);
            let next = match rest.last() {
                Some((last, _)) if more => Some(Token::After(*last)),
                _ => None,
            };
            Ok(Page {
                items: rest.into_iter().map(|(_, item)| item).collect(),
                next,
            })
        }
        Order::Descending { cap } => {
            let (before, served) = match skip {
                None => (u64::MAX, 0),
                Some(Token::Before { sequence, served }) => (sequence, served),
                Some(_) => return Err(foreign_token()),
            };
            let allowed = usize::try_from(cap.saturating_sub(served)).unwrap_or(usize::MAX);
            let take = size.min(allowed);
            let mut rest: Vec<(u64, T)> = items.into_iter().filter(|(s, _)| *s < before).collect();
            let more = rest.len() > take;
            rest.truncate(take);
            let served = served.saturating_add(rest.len() as u64);
            let next = match rest.last() {
                Some((last, _)) if more && served < cap => Some(Token::Before {
                    sequence: *last,
                    served,
                }),
                _ => None,
            };
            Ok(Page {
                items: rest.into_iter().map(|(_, item)| item).collect(),
                next,
            })
        }
        Order::Fixed => {
            let offset = match skip {
                None => 0,
                Some(Token::Offset(offset)) => offset,
                Some(_) => return Err(foreign_token()),
            };
            let offset = usize::try_from(offset).unwrap_or(usize::MAX);
            let mut rest: Vec<T> = items.into_iter().skip(offset).map(|(_, i)| i).collect();
            let more = rest.len() > size;
            rest.truncate(size);
            let next = more.then(|| Token::Offset(offset.saturating_add(size) as u64));
            Ok(Page { items: rest, next })
        }
    }
}

/// `http://host` of a request: its absolute URI's authority, else its `Host` header, else
/// `fallback` (the emulator's own base URL), so that links lead back to the emulator through
/// whatever address the client used.
pub(crate) fn origin(uri: &Uri, headers: &HeaderMap, fallback: &str) -> String {
    let host = uri.authority().cloned().or_else(|| {
        headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse::<Authority>().ok())
    });
    match host {
        Some(host) => format!("http://{host}"),
        None => fallback.to_owned(),
    }
}

/// `@odata.nextLink`: the request's URL (`origin` + raw `path`) with the next page's
/// `$skiptoken`, and `$top` when the request had one.
pub(crate) fn next_link(origin: &str, path: &str, next: Token, top: Option<usize>) -> String {
    let mut link = format!("{origin}{path}?$skiptoken={}", next.encode());
    if let Some(top) = top {
        link.push_str(&format!("&$top={top}"));
    }
    link
}

/// `@odata.deltaLink`: the delta request's URL with a `$deltatoken` for what comes after
/// sequence number `seen`.
pub(crate) fn delta_link(origin: &str, path: &str, seen: u64) -> String {
    format!("{origin}{path}?$deltatoken={}", Token::Delta(seen).encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(sequences: impl IntoIterator<Item = u64>) -> Vec<(u64, u64)> {
        sequences.into_iter().map(|s| (s, s)).collect()
    }

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        for token in [
            Token::After(7),
            Token::Before {
                sequence: u64::MAX,
                served: 3,
            },
            Token::Offset(20),
            Token::Delta(0),
        ] {
            assert_eq!(Token::decode(&token.encode()), Some(token));
        }
        for bad in ["", "!!", "YWZ0ZXI", "YWZ0ZXIuMS4y", "bm9wZS4x"] {
            assert_eq!(Token::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_rules() {
        let parsed = PageQuery::parse(Some("$top=5&$skiptoken=YWZ0ZXIuMw")).ok();
        assert_eq!(parsed.as_ref().and_then(|q| q.top), Some(5));
        assert_eq!(parsed.and_then(|q| q.skip), Some(Token::After(3)));
        for bad in [
            "$top=0",
            "$top=101",
            "$top=x",
            "$skiptoken=nope",
            "$deltatoken=%%",
            "$skiptoken=YWZ0ZXIuMw&$deltatoken=ZGVsdGEuMA",
        ] {
            assert!(PageQuery::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn ascending_pages_follow_the_last_sequence() -> Result<(), ErrorAnswer> {
        let first = paginate(numbered(1..=5), Order::Ascending, None, 2)?;
        assert_eq!(
            (first.items, first.next),
            (vec![1, 2], Some(Token::After(2)))
        );
        // An item added between two pages is not lost.
        let second = paginate(
            numbered([1, 2, 3, 4, 5, 9]),
            Order::Ascending,
            first.next,
            4,
        )?;
        assert_eq!((second.items, second.next), (vec![3, 4, 5, 9], None));
        assert!(paginate(numbered(1..=3), Order::Ascending, Some(Token::Offset(1)), 2).is_err());
        Ok(())
    }

    #[test]
    fn descending_pages_stop_at_the_cap() -> Result<(), ErrorAnswer> {
        let items = || numbered((1..=7).rev());
        let order = Order::Descending { cap: 5 };
        let first = paginate(items(), order, None, 3)?;
        assert_eq!(first.items, vec![7, 6, 5]);
        let second = paginate(items(), order, first.next, 3)?;
        assert_eq!((second.items, second.next), (vec![4, 3], None));
        Ok(())
    }

    #[test]
    fn fixed_lists_page_by_index() -> Result<(), ErrorAnswer> {
        let first = paginate(numbered(0..5), Order::Fixed, None, 2)?;
        assert_eq!(
            (first.items, first.next),
            (vec![0, 1], Some(Token::Offset(2)))
        );
        let last = paginate(numbered(0..5), Order::Fixed, Some(Token::Offset(4)), 2)?;
        assert_eq!((last.items, last.next), (vec![4], None));
        let beyond = paginate(
            numbered(0..5),
            Order::Fixed,
            Some(Token::Offset(u64::MAX)),
            2,
        )?;
        assert!(beyond.items.is_empty() && beyond.next.is_none());
        Ok(())
    }

    #[test]
    fn links_are_absolute() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::HOST,
            axum::http::HeaderValue::from_static("127.0.0.1:9"),
        );
        let uri: Uri = "/v1.0/me/onlineMeetings/m/transcripts"
            .parse()
            .unwrap_or_default();
        let origin = origin(&uri, &headers, "http://fallback");
        assert_eq!(origin, "http://127.0.0.1:9");
        assert_eq!(
            next_link(&origin, uri.path(), Token::After(3), Some(4)),
            "http://127.0.0.1:9/v1.0/me/onlineMeetings/m/transcripts?$skiptoken=YWZ0ZXIuMw&$top=4"
        );
        assert_eq!(
            super::origin(&uri, &HeaderMap::new(), "http://fallback"),
            "http://fallback"
        );
    }
}
