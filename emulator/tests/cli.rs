//! The `meetings-emulator` binary.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};

use common::*;
use serde_json::json;

/// A spawned emulator, killed when dropped (even when an assertion fails).
struct Spawned {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> (Spawned, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
        .args(args)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut spawned = Spawned {
        child,
        stdout: BufReader::new(stdout),
    };
    let mut first_line = String::new();
    spawned
        .stdout
        .read_line(&mut first_line)
        .expect("the first line arrives");
    (spawned, first_line)
}

fn base_url_from(first_line: &str) -> String {
    let base = first_line
        .strip_suffix('\n')
        .and_then(|line| line.strip_prefix("listening on "))
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"));
    let port = base
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected address {base:?}"));
    let port: u16 = port.parse().expect("a port number");
    assert_ne!(port, 0, "the real bound port is printed");
    base.to_owned()
}

#[tokio::test]
async fn prints_the_bound_address_first_and_serves() {
    let (_spawned, first_line) = spawn(&["--listen", "127.0.0.1:0"]);
    let base = base_url_from(&first_line);

    let client = client();
    let url = format!("{base}/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    let body = json!({"externalId": "from-the-cli"});
    let first = post(&client, &url, &token, &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = post(&client, &url, &token, &body).await;
    assert_eq!(second.status, 200);
    assert_eq!(first.body["id"], second.body["id"]);
}

#[tokio::test]
async fn the_page_size_flag_sets_the_page_size() {
    let (_spawned, first_line) = spawn(&["--listen", "127.0.0.1:0", "--page-size", "2"]);
    let base = base_url_from(&first_line);
    let client = client();
    let token = delegated(TENANT, USER);
    let created = post(
        &client,
        &format!("{base}/v1.0/me/onlineMeetings"),
        &token,
        &json!({}),
    )
    .await;
    let meeting = format!(
        "/v1.0/me/onlineMeetings/{}",
        created.body["id"].as_str().expect("an id")
    );
    let attendee =
        |name: &str| json!({"displayName": name, "emailAddress": format!("{name}@contoso.com")});
    let ended = post(
        &client,
        &format!("{base}/_emulator{meeting}/end"),
        &token,
        &json!({"attendees": [attendee("a"), attendee("b"), attendee("c")]}),
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    let reports = answer(
        client
            .get(format!("{base}{meeting}/attendanceReports"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    let report = reports.body["value"][0]["id"].as_str().expect("a report");
    let records = answer(
        client
            .get(format!(
                "{base}{meeting}/attendanceReports/{report}/attendanceRecords"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(records.status, 200, "{}", records.body);
    assert_eq!(records.body["value"].as_array().map(Vec::len), Some(2));
    assert!(records.body["@odata.nextLink"].is_string());
}

#[test]
fn a_zero_page_size_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
        .args(["--listen", "127.0.0.1:0", "--page-size", "0"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--page-size"), "{stderr}");
}

#[tokio::test]
async fn fault_flags_throttle_then_fail_then_serve() {
    let (_spawned, first_line) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--throttle-next",
        "2",
        "--retry-after",
        "0.5",
        "--unavailable-next",
        "1",
    ]);
    let base = base_url_from(&first_line);
    let client = client();
    let url = format!("{base}/beta/me/onlineMeetings");
    let token = delegated(TENANT, USER);

    for _ in 0..2 {
        let throttled = post(&client, &url, &token, &json!({})).await;
        assert_eq!(throttled.status, 429);
        assert_eq!(throttled.header("retry-after"), Some("0.5"));
        assert_eq!(throttled.error_code(), "TooManyRequests");
    }
    let unavailable = post(&client, &url, &token, &json!({})).await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.error_code(), "ServiceUnavailable");
    let created = post(&client, &url, &token, &json!({})).await;
    assert_eq!(created.status, 201);
}

#[tokio::test]
async fn a_small_body_limit_flag_gives_413() {
    let (_spawned, first_line) = spawn(&["--listen", "127.0.0.1:0", "--max-body-bytes", "10"]);
    let base = base_url_from(&first_line);
    let answer = post(
        &client(),
        &format!("{base}/v1.0/me/onlineMeetings"),
        &delegated(TENANT, USER),
        &json!({"subject": "longer than ten bytes"}),
    )
    .await;
    assert_eq!(answer.status, 413);
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_it_cleanly() {
    let (mut spawned, first_line) = spawn(&["--listen", "127.0.0.1:0"]);
    let base = base_url_from(&first_line);
    let answer = post(
        &client(),
        &format!("{base}/v1.0/me/onlineMeetings"),
        &delegated(TENANT, USER),
        &json!({}),
    )
    .await;
    assert_eq!(answer.status, 201);

    let pid = spawned.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = spawned.child.wait().expect("the emulator exits");
    assert!(exit.success(), "graceful exit, got {exit:?}");
    let mut rest = String::new();
    spawned
        .stdout
        .read_to_string(&mut rest)
        .expect("stdout closes");
    assert_eq!(rest, "", "nothing but the address on stdout");
}

#[test]
fn an_unusable_address_fails_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
        .args(["--listen", "not-an-address"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not-an-address"), "{stderr}");
}

#[test]
fn help_lists_the_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--listen",
        "--throttle-next",
        "--retry-after",
        "--unavailable-next",
        "--max-body-bytes",
        "--page-size",
        "--rate-limit",
        "--rate-limit-kind",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[tokio::test]
async fn the_rate_limit_flag_throttles_beyond_the_budget() {
    let (_spawned, first_line) = spawn(&["--listen", "127.0.0.1:0", "--rate-limit", "2/60s"]);
    let base = base_url_from(&first_line);
    let client = client();
    let url = format!("{base}/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    let body = json!({"externalId": "rate-limited"});
    for expected in [201, 200, 429] {
        let answer = post(&client, &url, &token, &body).await;
        assert_eq!(answer.status, expected, "{}", answer.body);
    }
}

#[test]
fn a_bad_rate_limit_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
        .args(["--listen", "127.0.0.1:0", "--rate-limit", "0/1s"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--rate-limit"), "{stderr}");
}

#[tokio::test]
async fn the_rate_limit_kind_flag_makes_a_token_bucket() {
    let (_spawned, first_line) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--rate-limit",
        "2/60s",
        "--rate-limit-kind",
        "token-bucket",
    ]);
    let base = base_url_from(&first_line);
    let client = client();
    let url = format!("{base}/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    let body = json!({"externalId": "bucket"});
    for expected in [201, 200, 429] {
        let answer = post(&client, &url, &token, &body).await;
        assert_eq!(answer.status, expected, "{}", answer.body);
        if expected == 429 {
            // The next token, not the end of a 60 s window: one token every 30 s.
            let wait: f64 = answer
                .header("retry-after")
                .and_then(|v| v.parse().ok())
                .expect("a Retry-After in seconds");
            assert!(wait > 0.0 && wait <= 30.0, "{wait}");
        }
    }
}

#[test]
fn a_rate_limit_kind_needs_a_known_kind_and_a_rate_limit() {
    for args in [
        &["--rate-limit", "2/1s", "--rate-limit-kind", "leaky-bucket"][..],
        &["--rate-limit-kind", "token-bucket"][..],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_meetings-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .expect("the binary runs");
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--rate-limit"), "{args:?}: {stderr}");
    }
}
