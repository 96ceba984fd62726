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

/// The known properties of an object read so far, one bit each, to refuse one that comes
/// twice. `WORDS` (64 properties a word) is the model's own size, fixed by the codegen,
/// so the set lives on the stack however many properties the model has.
pub(crate) struct SeenKeys<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> SeenKeys<WORDS> {
    /// No property seen yet.
    pub(crate) fn new() -> Self {
        SeenKeys([0; WORDS])
    }

    /// Note property `index`; an error if it was read before.
    fn first<E: de::Error>(&mut self, index: usize, name: &'static str) -> Result<(), E> {
        let bit = 1u64 << (index % 64);
        let Some(word) = self.0.get_mut(index / 64) else {
            // The codegen sizes the set for every property, so this is not reached.
            return Err(E::custom(format_args!("property `{name}` out of range")));
        };
        if *word & bit != 0 {
            return Err(E::duplicate_field(name));
        }
        *word |= bit;
        Ok(())
    }
}

/// A model read in place: its `Deserialize` starts from the `Default` and reads each
/// property straight into its field, and a nested model the same way, into its field of
/// the parent: no value is built aside and then moved into its parent, level after
/// level (the codegen generates it for the structs whose every property is optional).
/// Per-field slots moved level after level kept decoding at the edge of its guard rail
/// (`docs/performance.md`); reading in place keeps it well inside.
pub(crate) trait ReadInPlace {
    /// What an error says was expected (`a JSON object (Identity)`).
    const EXPECTING: &'static str;

    /// Read the entries of a JSON object into `self`.
    fn read_entries<'de, A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error>;
}

/// Reads a JSON object into the model it holds.
struct ReadInto<'a, T>(&'a mut T);

impl<'de, T: ReadInPlace> Visitor<'de> for ReadInto<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.0.read_entries(map)
    }
}

/// Read a JSON object into `place`.
pub(crate) fn read_into<'de, D, T>(deserializer: D, place: &mut T) -> Result<(), D::Error>
where
    D: de::Deserializer<'de>,
    T: ReadInPlace,
{
    deserializer.deserialize_map(ReadInto(place))
}

/// Reads `null` (as `None`) or a JSON object into the model an `Option` field holds.
struct OptionInto<'a, T>(&'a mut Option<T>);

impl<'de, T: ReadInPlace + Default> DeserializeSeed<'de> for OptionInto<'_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: ReadInPlace + Default> Visitor<'de> for OptionInto<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read_into(deserializer, self.0.get_or_insert_with(T::default))
    }
}

/// A field's value that a typed field cannot tell from an absent property, and that is
/// therefore recorded in [`ExplicitNulls`] when the JSON had it: `None` (from `null`), an
/// empty list (from `[]`).
pub(crate) trait Unset {
    fn is_unset(&self) -> bool;
}

impl<T> Unset for Option<T> {
    fn is_unset(&self) -> bool {
        self.is_none()
    }
}

impl<T> Unset for Vec<T> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

/// A field of a model read in place (an `Option`, or a list that is skipped when empty),
/// read once by `read` (its path, `name`, is added to an error), an explicit `null` or
/// `[]` recorded.
fn read_once<'de, A, F, const W: usize>(
    map: &mut A,
    field: &mut F,
    seen: &mut SeenKeys<W>,
    explicit: &mut ExplicitNulls,
    index: usize,
    name: &'static str,
    read: impl FnOnce(&mut A, &mut F) -> Result<(), A::Error>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    F: Unset,
{
    seen.first(index, name)?;
    read(map, field).map_err(|e| at(name, e))?;
    if field.is_unset() {
        explicit.insert(index);
    }
    Ok(())
}

/// An `Option` field holding a model read in place: the nested model is read into it.
pub(crate) fn read_nested_into<'de, A, T, const W: usize>(
    map: &mut A,
    field: &mut Option<T>,
    seen: &mut SeenKeys<W>,
    explicit: &mut ExplicitNulls,
    index: usize,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: ReadInPlace + Default,
{
    read_once(map, field, seen, explicit, index, name, |map, field| {
        map.next_value_seed(OptionInto(field))
    })
}

/// Any other field of a model read in place: its value is read and put in the field.
pub(crate) fn read_field_into<'de, A, F, const W: usize>(
    map: &mut A,
    field: &mut F,
    seen: &mut SeenKeys<W>,
    explicit: &mut ExplicitNulls,
    index: usize,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    F: de::Deserialize<'de> + Unset,
{
    read_once(map, field, seen, explicit, index, name, |map, field| {
        *field = map.next_value()?;
        Ok(())
    })
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

/// Writes a date-time exactly as chrono's `Serialize` does (RFC 3339, fractional seconds
/// in 0, 3, 6 or 9 digits as needed, `Z` for a zero offset), from a stack buffer in one
/// `serialize_str` instead of character by character; the rare cases (a year outside
/// 0..=9999, a leap second, an offset with seconds) go to chrono itself.
pub(crate) struct Rfc3339<'a>(pub(crate) &'a chrono::DateTime<chrono::FixedOffset>);

impl serde::Serialize for Rfc3339<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::{Datelike, Timelike};
        let local = self.0.naive_local();
        let offset = self.0.offset().local_minus_utc();
        let (year, nano) = (local.year(), local.nanosecond());
        if !(0..=9999).contains(&year) || nano >= 1_000_000_000 || offset % 60 != 0 {
            return self.0.serialize(serializer);
        }
        let mut buf = [0u8; 40];
        let mut len = 0;
        let mut push = |byte: u8| {
            if let Some(slot) = buf.get_mut(len) {
                *slot = byte;
                len += 1;
            }
        };
        let digits = |value: u32, width: u32, push: &mut dyn FnMut(u8)| {
            for power in (0..width).rev() {
                // `% 10` keeps each digit in 0..=9, so the cast cannot truncate.
                push(b'0' + (value / 10u32.pow(power) % 10) as u8);
            }
        };
        let year = year.unsigned_abs();
        digits(year, 4, &mut push);
        push(b'-');
        digits(local.month(), 2, &mut push);
        push(b'-');
        digits(local.day(), 2, &mut push);
        push(b'T');
        digits(local.hour(), 2, &mut push);
        push(b':');
        digits(local.minute(), 2, &mut push);
        push(b':');
        digits(local.second(), 2, &mut push);
        if nano != 0 {
            push(b'.');
            if nano % 1_000_000 == 0 {
                digits(nano / 1_000_000, 3, &mut push);
            } else if nano % 1_000 == 0 {
                digits(nano / 1_000, 6, &mut push);
            } else {
                digits(nano, 9, &mut push);
            }
        }
        if offset == 0 {
            push(b'Z');
        } else {
            push(if offset < 0 { b'-' } else { b'+' });
            let minutes = offset.unsigned_abs() / 60;
            digits(minutes / 60, 2, &mut push);
            push(b':');
            digits(minutes % 60, 2, &mut push);
        }
        // Only ASCII digits and punctuation were written.
        let text = std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default();
        serializer.serialize_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_written_exactly_as_chrono_writes_them() {
        for text in [
            "2019-07-11T16:37:23-07:00",
            "2019-07-12T14:30:34.2444915-07:00",
            "2020-02-06T01:49:21.352Z",
            "2020-02-06T01:49:21.352400+05:30",
            "2020-02-06T01:49:21.000000001+00:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999+14:00",
            "2020-02-06T01:49:21+00:00:30",
            "2016-12-31T23:59:60Z",
        ] {
            let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) else {
                continue; // chrono rejects it too (an offset with seconds)
            };
            assert_eq!(
                serde_json::to_string(&Rfc3339(&time)).expect("writes"),
                serde_json::to_string(&time).expect("writes"),
                "{text}"
            );
        }
    }

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
