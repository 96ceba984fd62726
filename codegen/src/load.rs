//! Loading the spec: YAML or JSON text → `serde_json::Value` → `openapiv3::OpenAPI`.
//!
//! The document is first read as a plain JSON value so that [`crate::validate`] can walk it
//! and report JSON pointers; only then is it typed as an [`openapiv3::OpenAPI`], with
//! `serde_path_to_error` turning a type mismatch into a pointer too.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, escape_pointer_token};

/// The largest spec the generator reads: 16 MiB. Ours is about 100 KB; a file of tens of
/// MB is a mistake (the whole Graph description instead of our subset, a runaway sync),
/// and parsing it would hold hundreds of MB of memory before failing somewhere else.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// Read the spec file at `path` and parse it as JSON (`.json`) or YAML (anything else).
///
/// A file larger than [`MAX_SPEC_BYTES`] is refused before it is read (at most one byte
/// more than the limit is ever read), and a file that is not UTF-8 is a syntax error at
/// the line and column of the first bad byte.
pub fn load_value(path: &Path) -> Result<Value, CodegenError> {
    let io = |action: &'static str| {
        move |source| CodegenError::Io {
            path: path.to_owned(),
            action,
            source,
        }
    };
    let file = std::fs::File::open(path).map_err(io("reading the spec"))?;
    let mut bytes = Vec::new();
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io("reading the spec"))?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(too_large(path, size));
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let bytes = err.as_bytes();
        let at = err.utf8_error().valid_up_to();
        let (line, column) = line_column(&bytes[..at]);
        CodegenError::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: format!(
                "the file is not UTF-8 (byte 0x{:02X}); save it as UTF-8",
                bytes[at]
            ),
        }
    })?;
    parse_value(path, &text)
}

fn too_large(path: &Path, size: u64) -> CodegenError {
    CodegenError::TooLarge {
        path: path.to_owned(),
        size,
        limit: MAX_SPEC_BYTES,
    }
}

/// 1-based line and column (in characters) of the position just after `before`.
fn line_column(before: &[u8]) -> (u64, u64) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() as u64 + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count()) as u64
        + 1;
    (line, column)
}

/// Parse spec text; `path` only names the source in errors and picks the format by its
/// extension.
pub fn parse_value(path: &Path, text: &str) -> Result<Value, CodegenError> {
    if text.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(path, text.len() as u64));
    }
    if text.trim().is_empty() {
        return Err(CodegenError::Syntax {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; expected an OpenAPI 3.0 document".to_owned(),
        });
    }
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
