//! Runtime support for the lossless models (see the `lossless` transform in the codegen
//! crate): every generated struct serializes and deserializes through these two
//! functions, so that a value read and written back loses nothing.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde_json::{Map, Value};

/// Properties of the input that the typed fields cannot reproduce on their own:
/// explicit `null`s, empty arrays and empty objects (the typed field holds `None` or an
/// empty collection and is skipped on output).
pub(crate) type Recorded = Vec<(String, Value)>;

/// Deserialize an object with the derived (remote) impl `derived`, returning it with the
/// properties to [`restore`]. Errors name the path inside the object.
pub(crate) fn deserialize<'de, D, T>(
    deserializer: D,
    derived: impl FnOnce(
        serde_path_to_error::Deserializer<'_, '_, Value>,
    ) -> Result<T, serde_json::Error>,
) -> Result<(T, Recorded), D::Error>
where
    D: serde::Deserializer<'de>,
{
    let map = <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
    let recorded: Recorded = map
        .iter()
        .filter(|(_, value)| is_unreproducible(value))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let mut track = serde_path_to_error::Track::new();
    let wrapped = serde_path_to_error::Deserializer::new(Value::Object(map), &mut track);
    match derived(wrapped) {
        Ok(value) => Ok((value, recorded)),
        Err(err) => {
            let path = track.path().to_string();
            Err(if path == "." || path.is_empty() {
                D::Error::custom(err)
            } else {
                D::Error::custom(format_args!("at `{path}`: {err}"))
            })
        }
    }
}

fn is_unreproducible(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Put the recorded properties into `additional`, where unknown properties already are.
pub(crate) fn restore(additional: &mut Map<String, Value>, recorded: Recorded) {
    for (key, value) in recorded {
        additional.entry(key).or_insert(value);
    }
}

/// Serialize `typed` (the derived impl's output, without the additional properties), then
/// every additional property it does not already contain.
pub(crate) fn serialize<S: serde::Serializer>(
    typed: Result<Value, serde_json::Error>,
    additional: &Map<String, Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut object = match typed.map_err(S::Error::custom)? {
        Value::Object(object) => object,
        other => {
            return Err(S::Error::custom(format_args!(
                "a model serialized to {other} instead of an object"
            )));
        }
    };
    for (key, value) in additional {
        if !object.contains_key(key) {
            object.insert(key.clone(), value.clone());
        }
    }
    serde::Serialize::serialize(&object, serializer)
}
