//! Generates the client from `openapi/onlinemeetings.yaml` into `$OUT_DIR/codegen.rs`.
//!
//! The work is in the `graph-online-meetings-codegen` crate; a change to it rebuilds this
//! script (it is a build-dependency) and so reruns it. Only the spec is watched here, so
//! an unchanged spec never reruns the generator.

use std::path::Path;
use std::process::ExitCode;

const SPEC: &str = "openapi/onlinemeetings.yaml";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed=build.rs");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("error: OUT_DIR is not set; run this through cargo");
        return ExitCode::FAILURE;
    };
    match graph_online_meetings_codegen::write_generated(Path::new(SPEC), Path::new(&out_dir)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            // `cargo::error` shows the message without a backtrace or a wall of output.
            println!(
                "cargo::error={}",
                graph_online_meetings_codegen::report(&err)
            );
            ExitCode::FAILURE
        }
    }
}
