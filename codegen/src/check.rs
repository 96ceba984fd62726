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

/// The header insta writes above a snapshot of `tests/models/generated_code.rs`.
const SNAPSHOT_HEADER: &str =
    "---\nsource: tests/models/generated_code.rs\nexpression: code\n---\n";

/// What `spec` generates, as (snapshot file in `dir`, section text), and the snapshot
/// files in `dir` it no longer generates.
type Sections = (Vec<(PathBuf, String)>, Vec<PathBuf>);

fn generated_sections(spec: &Path, dir: &Path) -> Result<Sections, CodegenError> {
    let code = crate::generate(spec)?;
    let generated: Vec<(PathBuf, String)> = sections(&code)
        .map_err(|message| CodegenError::Output {
            path: spec.to_owned(),
            stage: "cut into sections",
            message,
        })?
        .into_iter()
        .map(|(name, text)| (dir.join(format!("{SNAPSHOT_PREFIX}{name}.snap")), text))
        .collect();
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
        .filter(|path| !generated.iter().any(|(file, _)| file == path))
        .collect();
    extra.sort();
    Ok((generated, extra))
}

/// Compare what `spec` generates with the snapshots in `dir`; empty when they agree.
pub fn check(spec: &Path, dir: &Path) -> Result<Vec<Drift>, CodegenError> {
    let (generated, extra) = generated_sections(spec, dir)?;
    let mut drifts = Vec::new();
    for (file, text) in generated {
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

/// Write the snapshots `spec` generates into `dir` where they differ, and delete those it
/// no longer generates: what accepting every change in `cargo insta review` leaves,
/// without building the tests (the weekly sync's pull request is reviewed from it).
/// Returns the files written or deleted.
pub fn write_snapshots(spec: &Path, dir: &Path) -> Result<Vec<PathBuf>, CodegenError> {
    let (generated, extra) = generated_sections(spec, dir)?;
    let mut changed = Vec::new();
    for (file, text) in generated {
        let committed = std::fs::read_to_string(&file).ok();
        if committed.as_deref().map(snapshot_body).map(str::trim_end) == Some(text.trim_end()) {
            continue;
        }
        let body = format!("{SNAPSHOT_HEADER}{}\n", text.trim_end());
        std::fs::write(&file, body).map_err(|source| CodegenError::Io {
            path: file.clone(),
            action: "writing the snapshot",
            source,
        })?;
        changed.push(file);
    }
    for file in extra {
        std::fs::remove_file(&file).map_err(|source| CodegenError::Io {
            path: file.clone(),
            action: "deleting the snapshot",
            source,
        })?;
        changed.push(file);
    }
    Ok(changed)
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
