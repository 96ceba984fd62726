//! Loading the spec: YAML or JSON text → `serde_json::Value` → `openapiv3::OpenAPI`.
//!
//! The document is first read as a plain JSON value so that [`crate::validate`] can walk it
//! and report JSON pointers; only then is it typed as an [`openapiv3::OpenAPI`], with
//! `serde_path_to_error` turning a type mismatch into a pointer too.

use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, escape_pointer_token};

/// Read the spec file at `path` and parse it as JSON (`.json`) or YAML (anything else).
pub fn load_value(path: &Path) -> Result<Value, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
        path: path.to_owned(),
        action: "reading the spec",
        source,
    })?;
    parse_value(path, &text)
}

/// Parse spec text; `path` only names the source in errors and picks the format by its
/// extension.
pub fn parse_value(path: &Path, text: &str) -> Result<Value, CodegenError> {
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(text).map_err(|err| CodegenError::Syntax {
            path: path.to_owned(),
            line: err.line() as u64,
            column: err.column() as u64,
            message: err.to_string(),
        })
    } else {
        serde_saphyr::from_str(text).map_err(|err| {
            let (line, column) = err
                .location()
                .map_or((0, 0), |loc| (loc.line(), loc.column()));
            CodegenError::Syntax {
                path: path.to_owned(),
                line,
                column,
                message: first_line(&err.to_string()),
            }
        })
    }
}

/// serde-saphyr prefixes its message with `error: line L column C:` and appends a source
/// snippet; keep only the message, since the error already carries the line and column.
fn first_line(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = first.strip_prefix("error:").map_or(first, str::trim_start);
    match first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, rest)) if position.contains(" column ") => rest.to_owned(),
        _ => first.to_owned(),
    }
}

/// Type a (validated) document as an OpenAPI 3.0 description.
pub fn to_openapi(path: &Path, value: Value) -> Result<openapiv3::OpenAPI, CodegenError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = err
            .path()
            .iter()
            .map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => escape_pointer_token(key),
                serde_path_to_error::Segment::Enum { variant } => escape_pointer_token(variant),
                serde_path_to_error::Segment::Unknown => "?".to_owned(),
            })
            .fold(String::new(), |acc, token| acc + "/" + &token);
        CodegenError::Invalid {
            path: path.to_owned(),
            pointer: if pointer.is_empty() {
                "/".to_owned()
            } else {
                pointer
            },
            message: format!("not a valid OpenAPI 3.0 document: {}", err.inner()),
        }
    })
}
