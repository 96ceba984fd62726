//! The operation tables users read, generated from the spec between markers in the
//! repository's Markdown (`<!-- NAME:start -->` … `<!-- NAME:end -->`), so that a path,
//! a status, a retry class or a permission is written in one place, the spec:
//!
//! * `operations` (the README): one row per handle method's operation, a `/me` operation
//!   and its `/users/{userId}` twin in one row, with the Rust call from the operation's
//!   `x-handle`, the request, the answers and what is retried;
//! * `operation-facts` (docs/reliability.md): every operation with all its facts.
//!
//! [`render`] makes a table, [`update`] puts every table of a Markdown text in place, and
//! `meetings-codegen tables` writes the files (`check` fails while one is out of date).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::{operations, resolve};
use crate::facts::OperationFacts;
use crate::transform::calls::USER_SUFFIX;

/// The tables this module makes, by marker name.
pub const TABLES: [&str; 2] = ["operations", "operation-facts"];

/// The table `name` for the spec `doc` with its `facts`, or `None` for a name this module
/// does not make.
pub fn render(name: &str, doc: &Value, facts: &[OperationFacts]) -> Option<String> {
    match name {
        "operations" => Some(handles_table(doc, facts)),
        "operation-facts" => Some(facts_table(doc, facts)),
        _ => None,
    }
}

/// `text` with every table between markers it has made anew. A marker is a line of its
/// own (`<!-- operations:start -->`), so that prose can name one; `Err` names a marker
/// that is opened and not closed, or a table this module does not make.
pub fn update(text: &str, doc: &Value, facts: &[OperationFacts]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(name) = line
            .trim_end()
            .strip_prefix("<!-- ")
            .and_then(|rest| rest.strip_suffix(":start -->"))
        else {
            continue;
        };
        let end_marker = format!("<!-- {name}:end -->");
        let mut block = String::new();
        let mut closed = None;
        for inner in lines.by_ref() {
            if inner.trim_end() == end_marker {
                closed = Some(inner);
                break;
            }
            block.push_str(inner);
        }
        let Some(end_line) = closed else {
            return Err(format!(
                "`<!-- {name}:start -->` has no `{end_marker}` line"
            ));
        };
        match render(name, doc, facts) {
            Some(table) => out.push_str(&table),
            // A block of another tool (the maintainer loop's commands) is left as it is.
            None if name == "maintainer-loop" => out.push_str(&block),
            None => {
                return Err(format!(
                    "`<!-- {name}:start -->` names no table (the tables are: {})",
                    TABLES.join(", ")
                ));
            }
        }
        out.push_str(end_line);
    }
    Ok(out)
}

/// The operation objects by id, for their `x-handle` and responses.
fn objects(doc: &Value) -> BTreeMap<&str, &Value> {
    operations(doc)
        .into_iter()
        .filter_map(|op| {
            op.operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(|id| (id, op.operation))
        })
        .collect()
}

/// An operation's `x-handle` (one call, or a list of calls) as code spans.
fn handle_calls(handle: &Value) -> String {
    match handle {
        Value::String(call) => code(call),
        Value::Array(calls) => calls
            .iter()
            .filter_map(Value::as_str)
            .map(code)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// A Markdown code span.
fn code(text: &str) -> String {
    format!("`{text}`")
}

/// The table cell of a text (a `|` would end the cell).
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// What a success answer is: its statuses, and `pages` for a collection or the media
/// type of content.
fn answers(doc: &Value, operation: &Value, fact: &OperationFacts) -> String {
    let statuses: Vec<String> = fact
        .success_statuses
        .iter()
        .map(|status| code(&status.to_string()))
        .collect();
    let mut out = statuses.join(", ");
    if let Some(media) = &fact.content_type {
        out.push_str(&format!(", {} bytes", code(media)));
    } else if is_collection(doc, operation, fact) {
        out.push_str(", pages");
    }
    out
}

/// Whether the first success answer is a collection: `value` and `@odata.nextLink`.
fn is_collection(doc: &Value, operation: &Value, fact: &OperationFacts) -> bool {
    let Some(status) = fact.success_statuses.first() else {
        return false;
    };
    let schema = operation
        .get("responses")
        .and_then(|r| r.get(status.to_string()))
        .map(|r| resolve(doc, r))
        .and_then(|r| r.pointer("/content/application~1json/schema"))
        .map(|s| resolve(doc, s));
    let properties = schema.and_then(|s| s.get("properties"));
    properties.is_some_and(|p| p.get("value").is_some() && p.get("@odata.nextLink").is_some())
}

fn retried(fact: &OperationFacts) -> &'static str {
    fact.retried_on()
}

fn permissions(list: &[String]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(|p| code(p)).collect::<Vec<_>>().join(", ")
}

/// A path for the README: a `/me` path as `…` and the rest (its twin has the user
/// instead), an OData function's arguments as `(…)`.
fn short_path(path: &str, paired: bool) -> String {
    let path = if paired {
        path.strip_prefix("/me")
            .map_or(path.to_owned(), |rest| format!("…{rest}"))
    } else {
        path.to_owned()
    };
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    out.push_str("(…)");
                }
                depth += 1;
            }
            ')' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The README's table: one row per operation a handle runs, twins together.
fn handles_table(doc: &Value, facts: &[OperationFacts]) -> String {
    let objects = objects(doc);
    let by_id: BTreeMap<&str, &OperationFacts> = facts
        .iter()
        .map(|fact| (fact.operation_id.as_str(), fact))
        .collect();
    let mut out = String::from(
        "| Rust | Graph v1.0 | answers | retried on | delegated | application |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for fact in facts {
        let id = fact.operation_id.as_str();
        if id
            .strip_suffix(USER_SUFFIX)
            .is_some_and(|base| by_id.contains_key(base))
        {
            continue;
        }
        let twin = by_id.get(format!("{id}{USER_SUFFIX}").as_str()).copied();
        let Some(operation) = objects.get(id) else {
            continue;
        };
        let handle = operation
            .get("x-handle")
            .or_else(|| twin.and_then(|t| objects.get(t.operation_id.as_str())?.get("x-handle")))
            .map_or_else(|| "(the raw client)".to_owned(), handle_calls);
        let request = code(&format!(
            "{} {}",
            fact.method,
            short_path(&fact.path, twin.is_some())
        ));
        let mut delegated = fact.delegated.clone();
        let mut application = fact.application.clone();
        if let Some(twin) = twin {
            for p in &twin.delegated {
                if !delegated.contains(p) {
                    delegated.push(p.clone());
                }
            }
            for p in &twin.application {
                if !application.contains(p) {
                    application.push(p.clone());
                }
            }
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&handle),
            cell(&request),
            answers(doc, operation, fact),
            retried(fact),
            permissions(&delegated),
            permissions(&application),
        ));
    }
    out
}

/// Every operation with its facts.
fn facts_table(doc: &Value, facts: &[OperationFacts]) -> String {
    let objects = objects(doc);
    let mut out = String::from(
        "| operation | request | answers | retried on | delegated | application |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for fact in facts {
        let answers = objects
            .get(fact.operation_id.as_str())
            .map(|operation| answers(doc, operation, fact))
            .unwrap_or_default();
        let idempotency = match (&fact.idempotent, &fact.idempotency_key) {
            (true, Some(key)) => format!("{} (idempotent by {})", retried(fact), code(key)),
            _ => retried(fact).to_owned(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            code(&crate::facts::variant_name(&fact.operation_id)),
            cell(&code(&format!("{} {}", fact.method, fact.path))),
            answers,
            idempotency,
            permissions(&fact.delegated),
            permissions(&fact.application),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shortened_for_the_readme() {
        assert_eq!(
            short_path("/me/onlineMeetings/{meetingId}", true),
            "…/onlineMeetings/{meetingId}"
        );
        assert_eq!(
            short_path("/users/{userId}/x/getAll(a='{a}',b={b})/delta", false),
            "/users/{userId}/x/getAll(…)/delta"
        );
    }

    #[test]
    fn prose_may_name_a_marker() {
        let text = "see `<!-- operations:start -->` in the README\n";
        assert_eq!(update(text, &Value::Null, &[]).as_deref(), Ok(text));
    }

    #[test]
    fn an_unclosed_marker_is_an_error() {
        let err = update("a\n<!-- operations:start -->\nb\n", &Value::Null, &[]).expect_err("open");
        assert!(err.contains("operations:end"), "{err}");
        let err = update(
            "<!-- nope:start -->\n<!-- nope:end -->\n",
            &Value::Null,
            &[],
        )
        .expect_err("unknown");
        assert!(err.contains("names no table"), "{err}");
    }
}
