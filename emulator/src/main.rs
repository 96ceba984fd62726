//! `meetings-emulator`: runs the Graph online-meetings emulator until Ctrl-C or SIGTERM.
//!
//! The first line on stdout is `listening on http://IP:PORT` (the bound address, so
//! `--listen 127.0.0.1:0` works); logs go to stderr (`RUST_LOG`, default `warn`).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use graph_online_meetings_emulator::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_PAGE_SIZE, Emulator, Fault, RateLimit, RateLimitKind,
};
use tracing_subscriber::EnvFilter;

/// In-memory emulator of Microsoft Graph's online-meetings endpoints (meetings, and the
/// attendance reports, transcripts and recordings of ended ones), for offline tests of Graph
/// clients.
#[derive(Debug, Parser)]
#[command(name = "meetings-emulator", version, about)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    listen: String,

    /// Answer the first N calls with 429 TooManyRequests.
    #[arg(long, value_name = "N", default_value_t = 0)]
    throttle_next: u32,

    /// Retry-After value sent with injected 429s, verbatim (seconds, fractions allowed).
    #[arg(long, value_name = "SECONDS", default_value = "1")]
    retry_after: String,

    /// Answer N calls (after any throttled ones) with 503 ServiceUnavailable.
    #[arg(long, value_name = "N", default_value_t = 0)]
    unavailable_next: u32,

    /// Largest accepted request body, in bytes; larger bodies are answered 413.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Items per page of a collection when the request has no $top.
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_PAGE_SIZE,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
    )]
    page_size: usize,

    /// Throttle like Graph: at most N requests per S seconds per app per tenant (for
    /// example 400/1s); beyond it, 429 TooManyRequests with a Retry-After.
    #[arg(long, value_name = "N/S")]
    rate_limit: Option<RateLimit>,

    /// How --rate-limit counts: fixed-window (N per window of S seconds, the default) or
    /// token-bucket (N at most at once, refilled at N per S seconds).
    #[arg(
        long,
        value_name = "KIND",
        default_value = "fixed-window",
        requires = "rate_limit"
    )]
    rate_limit_kind: RateLimitKind,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    let mut builder = Emulator::builder()
        .max_body_bytes(cli.max_body_bytes)
        .page_size(cli.page_size)
        .fail_next(cli.throttle_next, Fault::throttle(cli.retry_after))
        .fail_next(cli.unavailable_next, Fault::unavailable());
    if let Some(limit) = cli.rate_limit {
        builder = builder.rate_limit(limit.with_kind(cli.rate_limit_kind));
    }
    let emulator = match builder.start(&cli.listen).await {
        Ok(emulator) => emulator,
        Err(err) => {
            eprintln!("meetings-emulator: {}", chain(&err));
            return ExitCode::FAILURE;
        }
    };

    let mut stdout = std::io::stdout().lock();
    if let Err(err) =
        writeln!(stdout, "listening on {}", emulator.base_url()).and_then(|()| stdout.flush())
    {
        tracing::warn!(error = %err, "cannot write the address to stdout");
    }
    drop(stdout);

    shutdown_signal().await;
    tracing::info!("shutting down");
    match emulator.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("meetings-emulator: {}", chain(&err));
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C, or on SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// `err` and its sources, `: `-separated (each error says only its own part).
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
