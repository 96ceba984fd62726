//! Reading an OpenAPI document as JSON: its operations in one order, and local `$ref`s.
//! Shared by validation, the facts table, generation and the diff, and depending on
//! none of them.

use serde_json::Value;

use crate::error::escape_pointer_token;

/// HTTP methods an OpenAPI path item may hold, in the order the spec's operations are
/// read everywhere in this crate.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the document, as found in `paths`.
pub(crate) struct OperationRef<'a> {
    /// The path template (`/users/{userId}/onlineMeetings/createOrGet`).
    pub(crate) path: &'a str,
    /// The lower-case method (`post`).
    pub(crate) method: &'static str,
    /// The operation object.
    pub(crate) operation: &'a Value,
    /// JSON pointer of the operation object.
    pub(crate) pointer: String,
}

/// Every operation of the document, in document order (paths, then [`METHODS`]).
/// Path items that are not objects are skipped here; validation reports them.
pub(crate) fn operations(doc: &Value) -> Vec<OperationRef<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push(OperationRef {
                    path,
                    method,
                    operation,
                    pointer: format!("/paths/{}/{method}", escape_pointer_token(path)),
                });
            }
        }
    }
    out
}

/// Follow a local `$ref` one level; a node without one, or whose `$ref` does not
/// resolve (validation reports that), is returned as it is.
pub(crate) fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(node)
}
