//! Every JSON body in `tests/fixtures/` (the Graph reference pages' examples, see
//! `tests/fixtures/README.md`) deserializes into the generated model it documents.

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};

/// Every response body (the seeds' included) is an onlineMeeting.
#[test]
fn every_response_example_deserializes_into_online_meeting() {
    let responses: Vec<_> = crate::fixtures::fixtures()
        .into_iter()
        .filter(|f| f.is_response())
        .collect();
    assert!(
        responses.len() >= 20,
        "expected the whole corpus, found {}",
        responses.len()
    );
    let seeds = responses
        .iter()
        .filter(|f| f.name.starts_with("seed-"))
        .count();
    assert!(seeds >= 5, "expected every seed response, found {seeds}");
    for fixture in responses {
        if let Err(err) = serde_json::from_value::<OnlineMeeting>(fixture.value) {
            panic!(
                "{}: does not deserialize into OnlineMeeting: {err}",
                fixture.name
            );
        }
    }
}

/// createOrGet request bodies are `CreateOrGetRequest`s; the other requests (create,
/// update) are onlineMeetings.
#[test]
fn every_request_example_deserializes_into_its_body_type() {
    let requests: Vec<_> = crate::fixtures::fixtures()
        .into_iter()
        .filter(|f| !f.is_response())
        .collect();
    assert!(
        requests.len() >= 10,
        "expected the whole corpus, found {}",
        requests.len()
    );
    for fixture in requests {
        let result = if fixture.is_create_or_get_request() {
            serde_json::from_value::<CreateOrGetRequest>(fixture.value).map(|_| ())
        } else {
            serde_json::from_value::<OnlineMeeting>(fixture.value).map(|_| ())
        };
        if let Err(err) = result {
            panic!("{}: does not deserialize: {err}", fixture.name);
        }
    }
}

/// A concrete check on one seed, so that "deserializes" also means "reads the right
/// fields".
#[test]
fn seed_createorget_response_reads_its_fields() {
    let fixture = crate::fixtures::fixtures()
        .into_iter()
        .find(|f| f.name == "seed-004-createorget__example1__response.json")
        .expect("the seed fixture");
    let meeting: OnlineMeeting =
        serde_json::from_value(fixture.value.clone()).expect("deserializes");
    assert_eq!(
        meeting.join_web_url.as_deref(),
        fixture.value["joinWebUrl"].as_str(),
        "joinWebUrl"
    );
    assert_eq!(
        meeting.subject.as_deref(),
        fixture.value["subject"].as_str(),
        "subject"
    );
    assert!(meeting.participants.is_some(), "participants");
}
