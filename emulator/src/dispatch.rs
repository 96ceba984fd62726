//! Which route a request is for: its path matched against the route table's patterns,
//! segment by segment.
//!
//! A pattern segment is literal text, a `{parameter}` (any non-empty segment), or an OData
//! function call `name(…)` (a segment that calls `name`, percent-encoded or not). When
//! several patterns match, the most specific wins, segment by segment from the left:
//! literal text before a function call before a parameter (so
//! `…/onlineMeetings/getAllTranscripts(…)` is the function, not a meeting id, and
//! `…/onlineMeetings/createOrGet` is not a meeting either). When the winner has no route
//! for the request's method, the answer is `405` with the methods it has.

use std::collections::HashMap;

use axum::http;
use percent_encoding::percent_decode_str;

use crate::graph_error::ErrorAnswer;
use crate::route_table::{Control, Method, Route, VersionSegment};

/// What a request path can be served by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A Graph route, in one API version.
    Graph {
        /// The route.
        route: Route,
        /// The version segment the path starts with.
        version: VersionSegment,
    },
    /// A `/_emulator` test control.
    Control(Control),
}

impl Target {
    fn method(self) -> Method {
        match self {
            Self::Graph { route, .. } => route.method(),
            Self::Control(control) => control.method(),
        }
    }

    /// The pattern's segments, the version segment first for a Graph route.
    fn segments(self) -> impl Iterator<Item = &'static str> {
        let (version, pattern) = match self {
            Self::Graph { route, version } => (Some(version.segment()), route.path_pattern()),
            Self::Control(control) => (None, control.path_pattern()),
        };
        version
            .into_iter()
            .chain(pattern.strip_prefix('/').unwrap_or(pattern).split('/'))
    }

    /// Every target: each Graph route in each version, then the controls.
    fn all() -> impl Iterator<Item = Target> {
        VersionSegment::ALL
            .into_iter()
            .flat_map(|version| {
                Route::ALL
                    .into_iter()
                    .map(move |route| Target::Graph { route, version })
            })
            .chain(Control::ALL.into_iter().map(Target::Control))
    }
}

/// One segment of a pattern.
enum Template<'a> {
    Literal(&'a str),
    Parameter(&'a str),
    Function(&'a str),
}

impl<'a> Template<'a> {
    fn of(segment: &'a str) -> Self {
        if let Some(name) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Self::Parameter(name)
        } else if let Some((name, _)) = segment.split_once('(') {
            Self::Function(name)
        } else {
            Self::Literal(segment)
        }
    }

    /// How specifically this template matches `segment` (higher is more specific), if it
    /// does.
    fn fit(&self, segment: &str) -> Option<u8> {
        match self {
            Self::Literal(text) => (*text == segment).then_some(2),
            Self::Function(name) => calls(segment, name).then_some(1),
            Self::Parameter(_) => (!segment.is_empty()).then_some(0),
        }
    }
}

/// Whether the (raw) path segment calls the OData function `name`: `name(…)` once
/// percent-decoded.
fn calls(segment: &str, name: &str) -> bool {
    percent_decode_str(segment)
        .decode_utf8()
        .is_ok_and(|decoded| {
            decoded
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('('))
        })
}

/// Path parameters as sent: each parameter's (or function's) name and its raw segment.
type RawParams = Vec<(&'static str, String)>;

/// A request matched to a target: the target and its path parameters, as sent
/// (percent-encoded). A function call's segment is kept under the function's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) target: Target,
    raw_params: RawParams,
}

impl Found {
    /// The path parameters, percent-decoded; `400` when one is not UTF-8.
    pub(crate) fn params(&self) -> Result<HashMap<String, String>, ErrorAnswer> {
        self.raw_params
            .iter()
            .map(|(name, raw)| {
                percent_decode_str(raw)
                    .decode_utf8()
                    .map(|value| ((*name).to_owned(), value.into_owned()))
                    .map_err(|err| {
                        ErrorAnswer::bad_request(format!(
                            "Invalid path parameter: {name} is not UTF-8 once percent-decoded ({err})."
                        ))
                    })
            })
            .collect()
    }
}

/// What serves a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// A route or control for this path and method.
    Found(Found),
    /// The path is a route's, but not with this method: the `Allow` header's value.
    MethodNotAllowed(String),
    /// No route has this path.
    NotFound,
}

/// How `segments` fit `target`: the specificity of each segment and the parameters, if
/// the whole path fits.
fn fit(target: Target, segments: &[&str]) -> Option<(Vec<u8>, RawParams)> {
    let mut ranks = Vec::with_capacity(segments.len());
    let mut params = Vec::new();
    let mut pattern = target.segments();
    for segment in segments {
        let template = pattern.next()?;
        let parsed = Template::of(template);
        ranks.push(parsed.fit(segment)?);
        match parsed {
            Template::Parameter(name) | Template::Function(name) => {
                params.push((name, (*segment).to_owned()));
            }
            Template::Literal(_) => {}
        }
    }
    pattern.next().is_none().then_some((ranks, params))
}

/// The route or control that serves `method path`, or why none does.
pub(crate) fn resolve(method: &http::Method, path: &str) -> Resolution {
    let Some(rest) = path.strip_prefix('/') else {
        return Resolution::NotFound;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut best: Option<Vec<u8>> = None;
    let mut candidates: Vec<(Target, RawParams)> = Vec::new();
    for target in Target::all() {
        let Some((ranks, params)) = fit(target, &segments) else {
            continue;
        };
        match best.as_ref().map(|best| ranks.cmp(best)) {
            Some(std::cmp::Ordering::Less) => continue,
            Some(std::cmp::Ordering::Equal) => {}
            None | Some(std::cmp::Ordering::Greater) => {
                best = Some(ranks);
                candidates.clear();
            }
        }
        candidates.push((target, params));
    }
    // HEAD is served as GET (without the body), as axum does.
    let wanted = if method == http::Method::HEAD {
        Some(Method::Get)
    } else {
        Method::of_name(method.as_str())
    };
    if let Some(index) = candidates
        .iter()
        .position(|(target, _)| Some(target.method()) == wanted)
    {
        let (target, raw_params) = candidates.swap_remove(index);
        return Resolution::Found(Found { target, raw_params });
    }
    if candidates.is_empty() {
        return Resolution::NotFound;
    }
    let mut allow: Vec<&str> = Vec::new();
    for (target, _) in &candidates {
        let names: &[&str] = match target.method() {
            Method::Get => &["GET", "HEAD"],
            other => &[other.as_str()],
        };
        for name in names {
            if !allow.contains(name) {
                allow.push(name);
            }
        }
    }
    Resolution::MethodNotAllowed(allow.join(","))
}

/// The first path segment that leaves every route (Graph names it in its error): the
/// segment after the longest prefix that some pattern matches; for a prefix of a route
/// (or a route with the wrong method), the last segment.
pub(crate) fn unknown_segment(path: &str) -> &str {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let deepest = Target::all()
        .map(|target| {
            target
                .segments()
                .zip(&segments)
                .take_while(|(template, segment)| Template::of(template).fit(segment).is_some())
                .count()
        })
        .max()
        .unwrap_or(0);
    match segments.get(deepest) {
        Some(segment) => segment,
        None => segments.last().copied().unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(method: http::Method, path: &str) -> Option<Target> {
        match resolve(&method, path) {
            Resolution::Found(found) => Some(found.target),
            _ => None,
        }
    }

    fn graph(route: Route, version: VersionSegment) -> Option<Target> {
        Some(Target::Graph { route, version })
    }

    #[test]
    fn paths_find_their_routes() {
        use VersionSegment::{Beta, V1};
        let get = http::Method::GET;
        assert_eq!(
            found(get.clone(), "/v1.0/me/onlineMeetings/m1"),
            graph(Route::GetMe, V1)
        );
        assert_eq!(
            found(http::Method::HEAD, "/beta/me/onlineMeetings/m1"),
            graph(Route::GetMe, Beta)
        );
        let function =
            "/v1.0/users/u/onlineMeetings/getAllTranscripts(meetingOrganizerUserId=%27u%27)";
        assert_eq!(
            found(get.clone(), function),
            graph(Route::GetAllTranscripts, V1)
        );
        assert_eq!(
            found(
                get.clone(),
                "/beta/users/u/onlineMeetings/getAllRecordings%28%29/delta"
            ),
            graph(Route::GetAllRecordingsDelta, Beta)
        );
        // Only the `/users` form has the functions: under `/me` it is a meeting id.
        assert_eq!(
            found(get.clone(), "/v1.0/me/onlineMeetings/getAllTranscripts(x)"),
            graph(Route::GetMe, V1)
        );
        assert_eq!(
            found(
                get.clone(),
                "/v1.0/me/onlineMeetings/createOrGet/transcripts"
            ),
            graph(Route::ListTranscriptsMe, V1)
        );
        assert_eq!(
            found(
                http::Method::POST,
                "/_emulator/v1.0/users/u/onlineMeetings/m/end"
            ),
            Some(Target::Control(Control::EndMeetingUser))
        );
    }

    #[test]
    fn parameters_are_decoded() {
        let Resolution::Found(found) = resolve(
            &http::Method::GET,
            "/v1.0/users/a%40b/onlineMeetings/getAllTranscripts%28x%29",
        ) else {
            panic!("a route");
        };
        let params = found.params().unwrap_or_default();
        assert_eq!(params.get("userId").map(String::as_str), Some("a@b"));
        assert_eq!(
            params.get("getAllTranscripts").map(String::as_str),
            Some("getAllTranscripts(x)")
        );
        let Resolution::Found(bad) = resolve(
            &http::Method::POST,
            "/v1.0/users/%FF/onlineMeetings/createOrGet",
        ) else {
            panic!("a route");
        };
        assert!(bad.params().is_err());
    }

    #[test]
    fn other_methods_and_unknown_paths() {
        let cases = [
            (
                http::Method::PUT,
                "/v1.0/me/onlineMeetings/m1",
                "GET,HEAD,PATCH,DELETE",
            ),
            (
                http::Method::GET,
                "/v1.0/me/onlineMeetings/createOrGet",
                "POST",
            ),
            (
                http::Method::PATCH,
                "/beta/me/onlineMeetings",
                "POST,GET,HEAD",
            ),
            (
                http::Method::DELETE,
                "/v1.0/users/u/onlineMeetings/getAllTranscripts(x)",
                "GET,HEAD",
            ),
            (
                http::Method::PATCH,
                "/v1.0/users/u/onlineMeetings/getAllRecordings(x)/delta",
                "GET,HEAD",
            ),
            (
                http::Method::GET,
                "/_emulator/v1.0/me/onlineMeetings/m/end",
                "POST",
            ),
        ];
        for (method, path, allow) in cases {
            assert_eq!(
                resolve(&method, path),
                Resolution::MethodNotAllowed(allow.to_owned()),
                "{method} {path}"
            );
        }
        for path in [
            "",
            "/",
            "/v1.0/users/u/onlineMeetings/m1/delta",
            "/v1.0/me/onlineMeetings/",
            "/v1.0//onlineMeetings",
            "/_emulator/beta/me/onlineMeetings/m/end",
        ] {
            assert_eq!(
                resolve(&http::Method::GET, path),
                Resolution::NotFound,
                "{path}"
            );
        }
    }

    #[test]
    fn unknown_segments_are_named() {
        let cases = [
            ("/", ""),
            ("/v2.0/me/onlineMeetings", "v2.0"),
            ("/v1.0/me/calendar", "calendar"),
            ("/v1.0/me/onlineMeetings/createOrGet/extra", "extra"),
            ("/beta/users/u1/events", "events"),
            ("/beta/users/u1/onlineMeetings/m1/bogus", "bogus"),
            ("/v1.0/users/u1", "u1"),
            ("/v1.0/groups", "groups"),
            ("/v1.0/me/onlineMeetings/", ""),
            (
                "/v1.0/me/onlineMeetings/m1/transcripts/t1/content",
                "content",
            ),
            ("/v1.0/me/onlineMeetings/m1/transcripts/t1/content/x", "x"),
            (
                "/v1.0/me/onlineMeetings/m1/recordings/r1/metadataContent",
                "metadataContent",
            ),
            (
                "/v1.0/me/onlineMeetings/m1/attendanceReports/a/attendanceRecords/r",
                "r",
            ),
            ("/v1.0/me/onlineMeetings/m1/delta", "delta"),
            ("/v1.0/users/u/onlineMeetings/m1/delta", "delta"),
            (
                "/v1.0/users/u/onlineMeetings/getAllTranscripts(x)/delta",
                "delta",
            ),
            (
                "/v1.0/users/u/onlineMeetings/getAllRecordings%28x%29/delta/x",
                "x",
            ),
            ("/_emulator/v1.0/me/onlineMeetings/m1/end", "end"),
            ("/_emulator/v1.0/me/onlineMeetings/m1/stop", "stop"),
            ("/_emulator/beta/me/onlineMeetings/m1/end", "beta"),
            ("/_emulator", "_emulator"),
        ];
        for (path, segment) in cases {
            assert_eq!(unknown_segment(path), segment, "{path}");
        }
    }
}
