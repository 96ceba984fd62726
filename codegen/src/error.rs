//! The one error type of the code generator.
//!
//! Every variant names the spec file, and where it can, the place inside it: a line and
//! column for syntax errors, a JSON pointer for everything found after parsing, and the
//! `operationId` when the generator fails on one operation.

use std::path::PathBuf;

/// Why code generation failed. Each variant's `Display` names the file and the place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The spec file (or the output file) could not be read or written.
    #[error("{path}: {action}")]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// What was being done: `reading the spec`, `writing generated code`, ...
        action: &'static str,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The spec file is larger than the generator reads ([`crate::MAX_SPEC_BYTES`]).
    #[error(
        "{path}: the file is {size} bytes; specs are read up to {limit} bytes (is this \
         the whole Graph description instead of the online-meetings subset?)"
    )]
    TooLarge {
        /// The spec file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit, [`crate::MAX_SPEC_BYTES`].
        limit: u64,
    },

    /// The file is not well-formed YAML or JSON (or not UTF-8, or empty).
    #[error("{path}:{line}:{column}: syntax error: {message}")]
    Syntax {
        /// The spec file.
        path: PathBuf,
        /// 1-based line of the error (0 when the parser could not tell).
        line: u64,
        /// 1-based column of the error (0 when the parser could not tell).
        column: u64,
        /// The parser's message.
        message: String,
    },

    /// The document parsed, but something in it is wrong or cannot be generated.
    #[error("{path}: at {pointer}: {message}")]
    Invalid {
        /// The spec file.
        path: PathBuf,
        /// JSON pointer (RFC 6901) of the offending node, e.g.
        /// `/paths/~1me~1onlineMeetings/post/responses/200`.
        pointer: String,
        /// What is wrong and, where there is one, how to fix it.
        message: String,
    },

    /// progenitor or typify failed (returned an error or panicked) on the document.
    #[error("{path}: {}: the generator failed: {message}", location(.operation))]
    Generator {
        /// The spec file.
        path: PathBuf,
        /// The `operationId` at fault, when it could be narrowed down to one.
        operation: Option<String>,
        /// The generator's message (a panic's payload included).
        message: String,
    },

    /// The generated tokens could not be parsed or transformed (a bug in a transform or
    /// in the generator, never in the spec).
    #[error("{path}: the generated code could not be {stage}: {message}")]
    Output {
        /// The spec file the code was generated from.
        path: PathBuf,
        /// `parsed`, `transformed`, ...
        stage: &'static str,
        /// The message.
        message: String,
    },
}

fn location(operation: &Option<String>) -> String {
    match operation {
        Some(op) => format!("in operation `{op}`"),
        None => "in the document (no single operation at fault)".to_owned(),
    }
}

/// Escape one reference token for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `err` followed by each of its sources, `: `-separated: the whole story on one line,
/// for a terminal or a `cargo::error` line (each error's own `Display` says only its
/// part).
pub fn report(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
