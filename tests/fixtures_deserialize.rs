//! Every JSON body in `tests/fixtures/` (the Graph reference pages' examples, see
//! `tests/fixtures/README.md`) deserializes into the generated model it documents.

use std::path::{Path, PathBuf};

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every response body (the seeds' included) is an onlineMeeting.
#[test]
fn every_response_example_deserializes_into_online_meeting() {
    let responses: Vec<PathBuf> = fixtures()
        .into_iter()
        .filter(|p| name(p).contains("__response"))
        .collect();
    assert!(
        responses.len() >= 20,
        "expected the whole corpus, found {}",
        responses.len()
    );
    let seeds = responses
        .iter()
        .filter(|p| name(p).starts_with("seed-"))
        .count();
    assert!(seeds >= 5, "expected every seed response, found {seeds}");
    for path in &responses {
        let value = read(path);
        if let Err(err) = serde_json::from_value::<OnlineMeeting>(value) {
            panic!(
                "{}: does not deserialize into OnlineMeeting: {err}",
                name(path)
            );
        }
    }
}

/// createOrGet request bodies are `CreateOrGetRequest`s; the other requests (create,
/// update) are onlineMeetings.
#[test]
fn every_request_example_deserializes_into_its_body_type() {
    let requests: Vec<PathBuf> = fixtures()
        .into_iter()
        .filter(|p| name(p).contains("__request"))
        .collect();
    assert!(
        requests.len() >= 10,
        "expected the whole corpus, found {}",
        requests.len()
    );
    for path in &requests {
        let value = read(path);
        let result = if name(path).contains("createorget") {
            serde_json::from_value::<CreateOrGetRequest>(value).map(|_| ())
        } else {
            serde_json::from_value::<OnlineMeeting>(value).map(|_| ())
        };
        if let Err(err) = result {
            panic!("{}: does not deserialize: {err}", name(path));
        }
    }
}

/// A concrete check on one seed, so that "deserializes" also means "reads the right
/// fields".
#[test]
fn seed_createorget_response_reads_its_fields() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed-004-createorget__example1__response.json");
    let meeting: OnlineMeeting = serde_json::from_value(read(&path)).expect("deserializes");
    let raw = read(&path);
    assert_eq!(
        meeting.join_web_url.as_deref(),
        raw["joinWebUrl"].as_str(),
        "joinWebUrl"
    );
    assert_eq!(
        meeting.subject.as_deref(),
        raw["subject"].as_str(),
        "subject"
    );
    assert!(meeting.participants.is_some(), "participants");
}
