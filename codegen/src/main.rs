//! `meetings-codegen`: the maintainer's tool.
//!
//! ```text
//! meetings-codegen generate SPEC [--out FILE]        print (or write) the generated code
//! meetings-codegen diff OLD NEW [--format F]         the API changes and the version bump
//! meetings-codegen check [--spec SPEC] [--snapshots DIR]   fail on snapshot or table drift
//! meetings-codegen tables [--spec SPEC]                    write the operation tables
//! meetings-codegen sync --metadata FILE [--spec SPEC]      schemas from Graph's CSDL
//! ```
//!
//! `OLD` and `NEW` are files or `git:REV:PATH` (read with `git show`). Exit status: 0 on
//! success (for `diff`: nothing breaking), 1 when `diff` finds a breaking change or
//! `check` finds drift, 2 on bad input, with a message on stderr. `check` and `tables`
//! read and write the tables in `README.md` and `docs/*.md` of the current directory
//! (the repository's root).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use graph_online_meetings_codegen::{diff, report};

/// Write to stdout; a reader that went away (`| head`) ends the output, not the process
/// with a panic, as `print!` would.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// The spec in the repository, from its root.
const SPEC: &str = "openapi/onlinemeetings.yaml";
/// The generated code's snapshots, from the repository root.
const SNAPSHOTS: &str = "tests/models/snapshots";

#[derive(Parser)]
#[command(
    name = "meetings-codegen",
    version,
    about = "Generate, diff, check and sync the graph-online-meetings spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the code generated from SPEC (or write it to --out).
    Generate {
        /// The OpenAPI document.
        spec: PathBuf,
        /// Write the code to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List every change to the generated public API between two specs, each breaking,
    /// additive or docs, and the version bump it needs (exit 1 when something breaks).
    Diff {
        /// The old spec: a file, or git:REV:PATH.
        old: String,
        /// The new spec: a file, or git:REV:PATH.
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The Cargo.toml whose package version the bump applies to.
        #[arg(long, default_value = "Cargo.toml")]
        manifest: PathBuf,
    },
    /// Regenerate and compare with the committed snapshots and with the operation tables
    /// of README.md and docs/*.md; print a unified diff and exit 1 on drift.
    Check {
        /// The OpenAPI document.
        #[arg(long, default_value = SPEC)]
        spec: PathBuf,
        /// The snapshot folder.
        #[arg(long, default_value = SNAPSHOTS)]
        snapshots: PathBuf,
    },
    /// Write the snapshots the spec generates (and delete those it no longer does), as
    /// accepting every change in `cargo insta review` would, without building the tests.
    Snapshots {
        /// The OpenAPI document.
        #[arg(long, default_value = SPEC)]
        spec: PathBuf,
        /// The snapshot folder.
        #[arg(long, default_value = SNAPSHOTS)]
        snapshots: PathBuf,
    },
    /// Write the operation tables between their markers in README.md and docs/*.md from
    /// the spec.
    Tables {
        /// The OpenAPI document.
        #[arg(long, default_value = SPEC)]
        spec: PathBuf,
    },
    /// Rewrite the spec's component schemas from Microsoft's CSDL metadata, keeping
    /// paths, operations, facts, examples and unchanged descriptions.
    Sync {
        /// The CSDL metadata (XML; gzip when the name ends in .gz).
        #[arg(long)]
        metadata: PathBuf,
        /// The spec to rewrite in place.
        #[arg(long, default_value = SPEC)]
        spec: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("meetings-codegen: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Generate { spec, out } => {
            let code = graph_online_meetings_codegen::generate(&spec).map_err(|e| report(&e))?;
            match out {
                None => out!("{code}"),
                Some(file) => {
                    std::fs::write(&file, code).map_err(|e| format!("{}: {e}", file.display()))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            old,
            new,
            format,
            manifest,
        } => {
            let version = crate_version(&manifest)?;
            let result = diff::diff(&load(&old)?, &load(&new)?);
            let text = match format {
                Format::Text => result.to_text(&version),
                Format::Json => result.to_json(&version),
                Format::Markdown => result.to_markdown(&version),
            };
            out!("{text}");
            Ok(if result.is_breaking() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Check { spec, snapshots } => {
            let drifts =
                graph_online_meetings_codegen::check(&spec, &snapshots).map_err(|e| report(&e))?;
            let files = graph_online_meetings_codegen::markdown_files(Path::new("."));
            let tables = graph_online_meetings_codegen::check_tables(&spec, &files)
                .map_err(|e| report(&e))?;
            for drift in drifts.iter().chain(&tables) {
                out!("{}", drift.diff);
            }
            if !drifts.is_empty() {
                eprintln!(
                    "meetings-codegen: {} snapshot(s) differ from what {} generates; run \
                     `cargo insta test --review` and commit the accepted snapshots",
                    drifts.len(),
                    spec.display()
                );
            }
            if !tables.is_empty() {
                eprintln!(
                    "meetings-codegen: the operation tables of {} differ from {}; run \
                     `meetings-codegen tables` and commit them",
                    tables
                        .iter()
                        .map(|d| d.file.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    spec.display()
                );
            }
            if drifts.is_empty() && tables.is_empty() {
                outln!(
                    "the snapshots in {} and the operation tables of {} match {}",
                    snapshots.display(),
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    spec.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            Ok(ExitCode::FAILURE)
        }
        Command::Snapshots { spec, snapshots } => {
            let changed = graph_online_meetings_codegen::write_snapshots(&spec, &snapshots)
                .map_err(|e| report(&e))?;
            for file in &changed {
                outln!("{}", file.display());
            }
            outln!(
                "{} snapshot(s) in {} written or deleted to match {}",
                changed.len(),
                snapshots.display(),
                spec.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Tables { spec } => {
            let files = graph_online_meetings_codegen::markdown_files(Path::new("."));
            let changed = graph_online_meetings_codegen::write_tables(&spec, &files)
                .map_err(|e| report(&e))?;
            for file in &changed {
                outln!("wrote the operation tables of {}", file.display());
            }
            if changed.is_empty() {
                outln!("the operation tables already match {}", spec.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sync { metadata, spec } => {
            let summary = graph_online_meetings_codegen::sync::sync_file(&metadata, &spec)
                .map_err(|e| report(&e))?;
            outln!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A spec from a file or from `git:REV:PATH`, as JSON.
fn load(source: &str) -> Result<serde_json::Value, String> {
    let Some(rest) = source.strip_prefix("git:") else {
        return graph_online_meetings_codegen::load_value(Path::new(source))
            .map_err(|e| report(&e));
    };
    let Some((rev, path)) = rest.split_once(':') else {
        return Err(format!("{source}: expected git:REV:PATH"));
    };
    let output = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| format!("{source}: cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{source}: git show failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text =
        String::from_utf8(output.stdout).map_err(|_| format!("{source}: the file is not UTF-8"))?;
    graph_online_meetings_codegen::parse_value(Path::new(source), &text).map_err(|e| report(&e))
}

/// The `package.version` of a Cargo.toml.
fn crate_version(manifest: &Path) -> Result<semver::Version, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let value: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let version = value
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| format!("{}: no package.version", manifest.display()))?;
    semver::Version::parse(version)
        .map_err(|e| format!("{}: version {version}: {e}", manifest.display()))
}
