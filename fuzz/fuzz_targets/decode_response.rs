//! Every response body type of the client, decoded from arbitrary bytes: a value or an
//! error, never a panic; a decoded value encodes and decodes again.
#![no_main]

use graph_online_meetings::types::{OdataError, OnlineMeeting, OnlineMeetingCollectionResponse};
use libfuzzer_sys::fuzz_target;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let bytes = serde_json::to_vec(&value).expect("a decoded value encodes");
        serde_json::from_slice::<T>(&bytes).expect("and decodes again");
    }
}

fuzz_target!(|data: &[u8]| {
    check::<OnlineMeeting>(data);
    check::<OnlineMeetingCollectionResponse>(data);
    check::<OdataError>(data);
});
