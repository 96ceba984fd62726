//! Runtime support for the lossless models (see the `lossless` transform in the codegen
//! crate): the generated `Deserialize` impls visit each key once through these helpers,
//! recording what the typed fields cannot reproduce (an explicit `null`, an empty list)
//! in `additional_properties`, and name the path of a bad property in their errors.

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A key of a JSON object: the index of a known property, or another name.
pub(crate) enum Key {
    Known(usize),
    Other(String),
}

/// Reads a key, matching it against the known properties without allocating.
pub(crate) struct KeySeed(pub(crate) fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(match (self.0)(name) {
            Some(index) => Key::Known(index),
            None => Key::Other(name.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Key, E> {
        Ok(match (self.0)(&name) {
            Some(index) => Key::Known(index),
            None => Key::Other(name),
        })
    }
}

/// An `Option` field: an explicit `null` is recorded so that it is written back.
pub(crate) fn read_optional<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    additional: &mut Map<String, Value>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    let value: Option<T> = map.next_value().map_err(|e| at(name, e))?;
    if value.is_none() {
        additional.insert(name.to_owned(), Value::Null);
    }
    *slot = Some(value);
    Ok(())
}

/// A list field that is skipped when empty: an explicit `[]` is recorded.
pub(crate) fn read_list<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
    additional: &mut Map<String, Value>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    let value: Vec<T> = map.next_value().map_err(|e| at(name, e))?;
    if value.is_empty() {
        additional.insert(name.to_owned(), Value::Array(Vec::new()));
    }
    *slot = Some(value);
    Ok(())
}

/// A required field.
pub(crate) fn read_required<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value().map_err(|e| at(name, e))?);
    Ok(())
}

/// `err`, from the value of property `name`, with `name` prefixed to its path:
/// `at \`participants.organizer.upn\`: invalid type: …`. Runs only when decoding fails.
pub(crate) fn at<E: de::Error>(name: &str, err: E) -> E {
    let text = err.to_string();
    // serde_json appends the position to every error; the outermost one keeps it.
    let text = match text.rfind(" at line ") {
        Some(cut) if text[cut..].contains(" column ") => &text[..cut],
        _ => text.as_str(),
    };
    match text
        .strip_prefix("at `")
        .and_then(|rest| rest.split_once("`: "))
    {
        Some((path, message)) => E::custom(format_args!("at `{name}.{path}`: {message}")),
        None => E::custom(format_args!("at `{name}`: {text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compose_and_positions_are_dropped() {
        let inner = <serde_json::Error as de::Error>::custom(
            "invalid type: integer `42`, expected a string at line 1 column 40",
        );
        let once = at("upn", inner);
        assert_eq!(
            once.to_string(),
            "at `upn`: invalid type: integer `42`, expected a string"
        );
        let twice = at("organizer", once);
        assert_eq!(
            twice.to_string(),
            "at `organizer.upn`: invalid type: integer `42`, expected a string"
        );
    }
}
