//! The drift check: regenerate from the spec, cut the code into [`sections`], and
//! compare each section with its committed insta snapshot.

use std::path::{Path, PathBuf};

use crate::error::CodegenError;
use crate::sections::sections;

/// The prefix of the snapshot files the client crate's `tests/models/generated_code.rs`
/// writes (`models__generated_code__<section>.snap`).
pub const SNAPSHOT_PREFIX: &str = "models__generated_code__";

/// One section whose committed snapshot differs from what the spec generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The snapshot file.
    pub file: PathBuf,
    /// A unified diff from the committed snapshot to the generated code (or a note that
    /// one side is missing).
    pub diff: String,
}

/// The body of an insta snapshot file (after its `---` header).
fn snapshot_body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text, |(_, body)| body)
}

/// Compare what `spec` generates with the snapshots in `dir`; empty when they agree.
pub fn check(spec: &Path, dir: &Path) -> Result<Vec<Drift>, CodegenError> {
    let code = crate::generate(spec)?;
    let generated = sections(&code).map_err(|message| CodegenError::Output {
        path: spec.to_owned(),
        stage: "cut into sections",
        message,
    })?;
    let mut drifts = Vec::new();
    let mut expected_files = Vec::new();
    for (name, text) in &generated {
        let file = dir.join(format!("{SNAPSHOT_PREFIX}{name}.snap"));
        expected_files.push(file.clone());
        let committed = std::fs::read_to_string(&file).ok();
        let committed = committed.as_deref().map(snapshot_body).unwrap_or("");
        if committed.trim_end() != text.trim_end() {
            let diff = similar::TextDiff::from_lines(committed.trim_end(), text.trim_end())
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (committed)", file.display()),
                    &format!("{} (generated)", spec.display()),
                )
                .to_string();
            drifts.push(Drift { file, diff });
        }
    }
    let entries = std::fs::read_dir(dir).map_err(|source| CodegenError::Io {
        path: dir.to_owned(),
        action: "listing the snapshots",
        source,
    })?;
    let mut extra: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SNAPSHOT_PREFIX) && n.ends_with(".snap"))
        })
        .filter(|path| !expected_files.contains(path))
        .collect();
    extra.sort();
    for file in extra {
        drifts.push(Drift {
            diff: format!(
                "{}: the spec no longer generates this section; delete the file\n",
                file.display()
            ),
            file,
        });
    }
    Ok(drifts)
}
