//! OData function calls in a path segment: `getAllTranscripts(…)` and `getAllRecordings(…)`,
//! whose parameters (`meetingOrganizerUserId`, `startDateTime`, `endDateTime`) sit inside
//! the segment.

use chrono::{DateTime, FixedOffset};

use crate::graph_error::ErrorAnswer;

/// Which artifacts a `getAll…` function lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    /// `getAllTranscripts(…)`.
    Transcripts,
    /// `getAllRecordings(…)`.
    Recordings,
}

impl Function {
    /// The function's name, as in the path.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Transcripts => "getAllTranscripts",
            Self::Recordings => "getAllRecordings",
        }
    }

    /// The `@odata.type` of what it lists.
    pub(crate) fn odata_type(self) -> &'static str {
        match self {
            Self::Transcripts => "microsoft.graph.callTranscript",
            Self::Recordings => "microsoft.graph.callRecording",
        }
    }
}

/// The parameters of a `getAll…` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FunctionCall {
    /// `meetingOrganizerUserId`.
    pub(crate) organizer: String,
    /// `startDateTime`, unless left out or `null`.
    pub(crate) start: Option<DateTime<FixedOffset>>,
    /// `endDateTime`, unless left out or `null`.
    pub(crate) end: Option<DateTime<FixedOffset>>,
}

/// A parameter value: a quoted string literal (`''` inside stands for `'`) or bare text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Literal {
    Quoted(String),
    Bare(String),
}

fn malformed_call(segment: &str, function: Function, detail: &str) -> ErrorAnswer {
    ErrorAnswer::bad_request(format!(
        "The function call '{segment}' is not valid ({detail}): expected {}(meetingOrganizerUserId='{{userId}}',startDateTime={{startDateTime}},endDateTime={{endDateTime}}), the times optional.",
        function.name()
    ))
}

/// The `name=value` pairs between the parentheses of a function call.
fn parameters(inner: &str) -> Result<Vec<(String, Literal)>, String> {
    let mut chars = inner.chars().peekable();
    let mut pairs = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            if pairs.is_empty() {
                return Ok(pairs);
            }
            return Err("a parameter is missing after a comma".to_owned());
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=') {
            name.push(c);
        }
        if chars.next() != Some('=') {
            return Err(format!("'{}' has no value", name.trim()));
        }
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err("a parameter has no name".to_owned());
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let value = if chars.next_if_eq(&'\'').is_some() {
            let mut text = String::new();
            loop {
                match chars.next() {
                    None => return Err(format!("the string for {name} is not closed")),
                    Some('\'') if chars.next_if_eq(&'\'').is_some() => text.push('\''),
                    Some('\'') => break,
                    Some(c) => text.push(c),
                }
            }
            Literal::Quoted(text)
        } else {
            let mut text = String::new();
            while let Some(c) = chars.next_if(|c| *c != ',') {
                text.push(c);
            }
            Literal::Bare(text.trim().to_owned())
        };
        pairs.push((name, value));
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Ok(pairs),
            Some(',') => {}
            Some(c) => return Err(format!("unexpected '{c}' after a value")),
        }
    }
}

/// An optional `Edm.DateTimeOffset` parameter: unquoted RFC 3339, or `null`.
fn time_parameter(name: &str, value: &Literal) -> Result<Option<DateTime<FixedOffset>>, String> {
    match value {
        Literal::Bare(text) if text == "null" => Ok(None),
        Literal::Bare(text) => DateTime::parse_from_rfc3339(text)
            .map(Some)
            .map_err(|err| format!("{name} '{text}' is not an RFC 3339 date-time: {err}")),
        Literal::Quoted(text) => Err(format!(
            "{name} is a DateTimeOffset, written without quotes, not '{text}'"
        )),
    }
}

/// Parses a (decoded) `getAll…(…)` segment.
pub(crate) fn parse_call(segment: &str, function: Function) -> Result<FunctionCall, ErrorAnswer> {
    let malformed = |detail: &str| malformed_call(segment, function, detail);
    let inner = segment
        .strip_prefix(function.name())
        .and_then(|rest| rest.strip_prefix('('))
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| malformed("unbalanced parentheses"))?;
    let mut organizer = None;
    let mut start = None;
    let mut end = None;
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in parameters(inner).map_err(|detail| malformed(&detail))? {
        if seen.contains(&name) {
            return Err(malformed(&format!("{name} is given twice")));
        }
        match name.as_str() {
            "meetingOrganizerUserId" => match value {
                Literal::Quoted(id) => organizer = Some(id),
                Literal::Bare(text) if text == "null" => {}
                Literal::Bare(text) => {
                    return Err(malformed(&format!(
                        "meetingOrganizerUserId is a string, written in quotes: '{text}'"
                    )));
                }
            },
            "startDateTime" => start = time_parameter(&name, &value).map_err(|d| malformed(&d))?,
            "endDateTime" => end = time_parameter(&name, &value).map_err(|d| malformed(&d))?,
            other => return Err(malformed(&format!("unknown parameter '{other}'"))),
        }
        seen.push(name);
    }
    let organizer = organizer
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            ErrorAnswer::bad_request(format!(
                "The parameter meetingOrganizerUserId of {} is required.",
                function.name()
            ))
        })?;
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(ErrorAnswer::bad_request(
            "The endDateTime cannot be earlier than the startDateTime.",
        ));
    }
    Ok(FunctionCall {
        organizer,
        start,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(segment: &str) -> Result<FunctionCall, String> {
        parse_call(segment, Function::Transcripts).map_err(|e| e.message)
    }

    #[test]
    fn calls_are_parsed() {
        let full = call(
            "getAllTranscripts(meetingOrganizerUserId='o''brien',startDateTime=2026-01-05T09:00:00Z, endDateTime=null)",
        );
        assert_eq!(
            full,
            Ok(FunctionCall {
                organizer: "o'brien".into(),
                start: DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").ok(),
                end: None,
            })
        );
        let short = call("getAllTranscripts(meetingOrganizerUserId='a,b)c')");
        assert_eq!(short.map(|c| c.organizer), Ok("a,b)c".to_owned()));
        let offset = call(
            "getAllTranscripts(meetingOrganizerUserId='x',endDateTime=2026-01-05T09:00:00+01:00)",
        );
        assert!(offset.is_ok_and(|c| c.end.is_some()));
    }

    #[test]
    fn bad_calls_are_400() {
        for (segment, needle) in [
            ("getAllTranscripts()", "required"),
            ("getAllTranscripts(startDateTime=null)", "required"),
            ("getAllTranscripts(meetingOrganizerUserId=null)", "required"),
            ("getAllTranscripts(meetingOrganizerUserId=x)", "quotes"),
            (
                "getAllTranscripts(meetingOrganizerUserId='x'",
                "parentheses",
            ),
            ("getAllTranscripts(meetingOrganizerUserId='x)", "not closed"),
            ("getAllTranscripts(meetingOrganizerUserId='x',)", "missing"),
            (
                "getAllTranscripts(meetingOrganizerUserId='x')x)",
                "unexpected",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',top=1)",
                "unknown",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',meetingOrganizerUserId='x')",
                "twice",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime=yesterday)",
                "RFC 3339",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime='2026-01-05T09:00:00Z')",
                "without quotes",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime=2026-01-06T00:00:00Z,endDateTime=2026-01-05T00:00:00Z)",
                "earlier",
            ),
            ("getAllTranscripts(=1)", "no name"),
            ("getAllTranscripts(meetingOrganizerUserId)", "no value"),
        ] {
            let result = call(segment);
            assert!(
                result.as_ref().is_err_and(|m| m.contains(needle)),
                "{segment}: {result:?}"
            );
        }
    }
}
