//! The fixtures corpus (`tests/fixtures/`, see its README), shared by the test files.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One body from the Graph reference pages.
pub struct Fixture {
    /// The file name, e.g. `seed-004-createorget__example1__request.json`.
    pub name: String,
    /// The parsed body.
    pub value: Value,
}

impl Fixture {
    /// A createOrGet request body (a `CreateOrGetRequest`); every other body is an
    /// onlineMeeting.
    pub fn is_create_or_get_request(&self) -> bool {
        self.name.contains("createorget") && self.name.contains("__request")
    }

    /// A response body.
    pub fn is_response(&self) -> bool {
        self.name.contains("__response")
    }
}

/// Every fixture with real values, sorted by name: the resource pages' JSON
/// representations (`__representation`, placeholder values such as `"String"`) are left
/// out.
pub fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.to_string_lossy().contains("__representation"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            Fixture { name, value }
        })
        .collect()
}
