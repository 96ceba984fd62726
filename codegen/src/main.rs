//! `meetings-codegen`: run the generator outside of `build.rs`.
//!
//! ```text
//! meetings-codegen SPEC               print the generated code
//! meetings-codegen SPEC --out FILE    write it to FILE
//! meetings-codegen SPEC --check FILE  exit 1 if FILE differs from what SPEC generates
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("meetings-codegen: {message}");
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: meetings-codegen SPEC [--out FILE | --check FILE]";

fn run(args: &[String]) -> Result<ExitCode, String> {
    let (spec, mode) = match args {
        [spec] => (spec, None),
        [spec, flag, file] if flag == "--out" || flag == "--check" => {
            (spec, Some((flag.as_str(), PathBuf::from(file))))
        }
        _ => return Err(USAGE.to_owned()),
    };
    let code = graph_online_meetings_codegen::generate(&PathBuf::from(spec))
        .map_err(|err| graph_online_meetings_codegen::report(&err))?;
    match mode {
        None => {
            print!("{code}");
            Ok(ExitCode::SUCCESS)
        }
        Some(("--out", file)) => {
            std::fs::write(&file, code).map_err(|e| format!("{}: {e}", file.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some((_, file)) => {
            let existing =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            if existing == code {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "meetings-codegen: {} is out of date with {spec}; regenerate it",
                    file.display()
                );
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
