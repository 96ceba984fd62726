//! The codegen's spec loader and validator on arbitrary text, as YAML and as JSON: an
//! error naming the file and the place, or a spec that passes; never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz.yaml", "fuzz.json"] {
        if let Err(err) = graph_online_meetings_codegen::check_spec_text(Path::new(name), text) {
            assert!(err.to_string().contains(name), "{err}");
        }
    }
});
