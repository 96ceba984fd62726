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

/// The Markdown files whose operation tables are generated: `README.md` and
/// `docs/*.md` under `root`, those that exist.
pub fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut docs: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "md"))
            .collect();
        docs.sort();
        files.extend(docs);
    }
    files.retain(|file| file.is_file());
    files
}

/// Each of `files` with its operation tables made anew from `spec` (see
/// [`crate::tables`]): `(file, current text, new text)`.
fn tables_of(
    spec: &Path,
    files: &[PathBuf],
) -> Result<Vec<(PathBuf, String, String)>, CodegenError> {
    let doc = crate::load::load_value(spec)?;
    crate::validate::validate(spec, &doc)?;
    let facts = crate::facts::read(spec, &doc)?;
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|source| CodegenError::Io {
            path: file.clone(),
            action: "reading the tables' file",
            source,
        })?;
        let new =
            crate::tables::update(&text, &doc, &facts).map_err(|message| CodegenError::Output {
                path: file.clone(),
                stage: "given its operation tables",
                message,
            })?;
        out.push((file.clone(), text, new));
    }
    Ok(out)
}

/// The operation tables of `files` that differ from what `spec` makes; empty when they
/// agree.
pub fn check_tables(spec: &Path, files: &[PathBuf]) -> Result<Vec<Drift>, CodegenError> {
    Ok(tables_of(spec, files)?
        .into_iter()
        .filter(|(_, text, new)| text != new)
        .map(|(file, text, new)| Drift {
            diff: similar::TextDiff::from_lines(&text, &new)
                .unified_diff()
                .context_radius(1)
                .header(
                    &format!("{} (committed)", file.display()),
                    &format!("{} (generated)", spec.display()),
                )
                .to_string(),
            file,
        })
        .collect())
}

/// Write the operation tables of `files` from `spec`; returns the files that changed.
pub fn write_tables(spec: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>, CodegenError> {
    let mut changed = Vec::new();
    for (file, text, new) in tables_of(spec, files)? {
        if text != new {
            std::fs::write(&file, new).map_err(|source| CodegenError::Io {
                path: file.clone(),
                action: "writing the tables",
                source,
            })?;
            changed.push(file);
        }
    }
    Ok(changed)
}
