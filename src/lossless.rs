//! Runtime support for the lossless models (see the `lossless` transform in the codegen
//! crate): the generated `Deserialize` impls visit each key once through these helpers,
//! recording what the typed fields cannot reproduce (an explicit `null`, an empty list)
//! in [`ExplicitNulls`], and name the path of a bad property in their errors. The
//! generated code reaches them through the runtime module.

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

/// The known properties of a model value (a struct of `types`) that were
/// an explicit `null`, or an empty list `[]`, in the JSON the value was read from. A typed
/// field cannot tell them from an absent property (both are `None`, or an empty `Vec`),
/// so the value records them here, one bit a property, and writes them back while the
/// field is still unset: a meeting read and written back keeps its nulls. Setting the
/// field wins over the record.
///
/// Ask a value by property name with its `is_explicit_null` method; clear the record
/// (so that unset fields are left out when the value is written) with
/// [`clear`](Self::clear). A value built in code has none (the `Default`).
///
/// ```
/// use graph_online_meetings::types::OnlineMeeting;
///
/// let mut meeting: OnlineMeeting = serde_json::from_str(r#"{"subject": null}"#)?;
/// assert_eq!(meeting.subject, None);
/// assert!(meeting.is_explicit_null("subject"));
/// assert_eq!(serde_json::to_string(&meeting)?, r#"{"subject":null}"#);
///
/// meeting.explicit_nulls.clear();
/// assert_eq!(serde_json::to_string(&meeting)?, "{}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ExplicitNulls(Vec<u64>);

impl ExplicitNulls {
    /// Whether no property is recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Forget every recorded property.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Record the property with this index (its field's place in the struct). The record
    /// grows with the index, so a model may have any number of properties; one with no
    /// explicit `null` allocates nothing.
    pub(crate) fn insert(&mut self, index: usize) {
        let (word, bit) = (index / 64, index % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(word) = self.0.get_mut(word) {
            *word |= 1 << bit;
        }
    }

    /// Whether the property with this index is recorded.
    pub(crate) fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }
}

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

/// An `Option` field (property `index`): an explicit `null` is recorded so that it is
/// written back.
pub(crate) fn read_optional<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    explicit: &mut ExplicitNulls,
    index: usize,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    read_required(map, slot, name)?;
    if matches!(slot, Some(None)) {
        explicit.insert(index);
    }
    Ok(())
}

/// A list field that is skipped when empty (property `index`): an explicit `[]` is
/// recorded.
pub(crate) fn read_list<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
    explicit: &mut ExplicitNulls,
    index: usize,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    read_required(map, slot, name)?;
    if slot.as_ref().is_some_and(Vec::is_empty) {
        explicit.insert(index);
    }
    Ok(())
}

/// A required field (and the reading every field kind shares: once, with its path).
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
