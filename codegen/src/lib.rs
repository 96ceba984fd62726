//! Code generation for `graph-online-meetings`.
//!
//! One function, [`generate()`], turns the OpenAPI document into the Rust source that the
//! client crate compiles:
//!
//! ```text
//! load (YAML/JSON) → validate (errors name the file and the JSON pointer)
//!   → progenitor (settings in one place) → transforms on the syntax tree
//!   → prettyplease → source text
//! ```
//!
//! `build.rs` calls [`write_generated`]; the `meetings-codegen` binary calls [`generate()`]
//! to print the code or check a file for drift. Every failure is a [`CodegenError`] that
//! names the spec file and the place in it; nothing here panics on a bad spec, and
//! progenitor's own panics are caught and reported the same way.

#![deny(missing_docs)]

#[cfg(feature = "maintainer")]
mod check;
#[cfg(feature = "maintainer")]
pub mod diff;
mod document;
mod error;
pub mod facts;
mod generate;
mod load;
pub mod names;
mod runtime_module;
mod sections;
#[cfg(feature = "maintainer")]
pub mod sync;
#[cfg(feature = "maintainer")]
pub mod tables;
mod transform;
mod validate;

use std::path::{Path, PathBuf};

#[cfg(feature = "maintainer")]
pub use check::{
    Drift, SNAPSHOT_PREFIX, check, check_tables, markdown_files, write_snapshots, write_tables,
};
pub use error::{CodegenError, escape_pointer_token, report};
pub use generate::{DATE_TIME_TYPE, settings};
pub use load::{MAX_SPEC_BYTES, load_value, parse_value};
pub use runtime_module::RUNTIME;
pub use sections::sections;

/// The name of the file [`write_generated`] writes into `OUT_DIR`.
pub const OUTPUT_FILE: &str = "codegen.rs";

/// Generate the formatted Rust source for the spec at `spec_path`.
pub fn generate(spec_path: &Path) -> Result<String, CodegenError> {
    let value = load::load_value(spec_path)?;
    generate_from_value(spec_path, value)
}

/// Generate from spec text already in memory; `spec_path` names it in errors and picks
/// the format (`.json` is JSON, anything else YAML).
pub fn generate_from_str(spec_path: &Path, text: &str) -> Result<String, CodegenError> {
    let value = load::parse_value(spec_path, text)?;
    generate_from_value(spec_path, value)
}

fn generate_from_value(spec_path: &Path, value: serde_json::Value) -> Result<String, CodegenError> {
    validate::validate(spec_path, &value)?;
    let facts = facts::read(spec_path, &value)?;
    let spec = load::to_openapi(spec_path, value.clone())?;
    let tokens = generate::generate_tokens(spec_path, &value, &spec)?;
    let output = |stage: &'static str, message: String| CodegenError::Output {
        path: spec_path.to_owned(),
        stage,
        message,
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| output("parsed", err.to_string()))?;
    let mut file = transform::apply_all(file, &facts, &transform::derived::unions(&value))
        .map_err(|message| output("transformed", message))?;
    let table = facts::table(&facts).map_err(|message| output("tabled", message))?;
    let table = syn::parse2::<syn::File>(table).map_err(|err| output("tabled", err.to_string()))?;
    file.items.extend(table.items);
    Ok(prettyplease::unparse(&file))
}

/// Check spec text without generating code: it parses (YAML or JSON, by the name's
/// extension), passes validation and every operation has its facts. Fast enough to run on
/// every keystroke, and what the fuzz target `load_spec` drives.
pub fn check_spec_text(spec_path: &Path, text: &str) -> Result<(), CodegenError> {
    let value = load::parse_value(spec_path, text)?;
    validate::validate(spec_path, &value)?;
    facts::read(spec_path, &value)?;
    load::to_openapi(spec_path, value).map(drop)
}

/// Generate the code for `spec_path` and write it to `out_dir/`[`OUTPUT_FILE`], only
/// touching the file when its content changes. Returns the path written.
pub fn write_generated(spec_path: &Path, out_dir: &Path) -> Result<PathBuf, CodegenError> {
    let code = generate(spec_path)?;
    let out = out_dir.join(OUTPUT_FILE);
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code).map_err(|source| CodegenError::Io {
            path: out.clone(),
            action: "writing generated code",
            source,
        })?;
    }
    Ok(out)
}
