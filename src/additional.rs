//! [`AdditionalProperties`]: the properties of a JSON object that its model does not
//! declare.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

/// The properties of a JSON object that its model (a struct in [`types`](crate::types))
/// does not declare, in the order they came: OData annotations such as `@odata.context`,
/// properties Graph added after this crate was generated. A value read and written back
/// keeps them.
///
/// A small map with the methods of [`serde_json::Map`] that a model needs, kept as a list
/// of entries: an object carries a handful of unknown properties, and a list costs one
/// allocation (none while empty) and no hashing, and takes 24 bytes inside every model
/// struct where a `serde_json::Map` takes 72. Looking a name up walks the list.
///
/// A name that came more than once in one JSON object (which Graph does not send) is kept
/// each time and written back as it came; [`get`](Self::get) sees its last value, as
/// `serde_json` does when it reads such an object.
///
/// ```
/// use graph_online_meetings::types::OnlineMeeting;
/// use serde_json::json;
///
/// let mut meeting: OnlineMeeting =
///     serde_json::from_str(r#"{"subject": "Sync", "futureFlag": true}"#)?;
/// assert_eq!(meeting.additional_properties.get("futureFlag"), Some(&json!(true)));
/// assert_eq!(meeting.additional_properties["missing"], json!(null));
///
/// meeting.additional_properties.insert("contosoTicket".to_owned(), json!(4711));
/// assert_eq!(
///     serde_json::to_string(&meeting)?,
///     r#"{"subject":"Sync","futureFlag":true,"contosoTicket":4711}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct AdditionalProperties {
    entries: Vec<(String, Value)>,
}

/// `Value::Null`, for [`Index`](std::ops::Index) of a name that is not there.
static NULL: Value = Value::Null;

impl AdditionalProperties {
    /// No properties.
    pub fn new() -> Self {
        AdditionalProperties::default()
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of property `name` (its last value, if it came more than once).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.position(name).map(|at| &self.entries[at].1)
    }

    /// The value of property `name`, to change it.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.position(name).map(|at| &mut self.entries[at].1)
    }

    /// Whether property `name` is there.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Set property `name` to `value`: an existing property keeps its place and the old
    /// value is returned; a new one goes last.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.position(&name) {
            Some(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            None => {
                self.entries.push((name, value));
                None
            }
        }
    }

    /// Remove property `name` (every entry of it), keeping the order of the others; its
    /// (last) value is returned.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let mut removed = None;
        self.entries.retain_mut(|(key, value)| {
            if key == name {
                removed = Some(std::mem::take(value));
                false
            } else {
                true
            }
        });
        removed
    }

    /// Remove every property.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The names, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(key, _)| key)
    }

    /// The values, in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, value)| value)
    }

    /// Add an entry as it was read, without looking for an earlier one of the same name
    /// (reading stays linear whatever an object holds).
    pub(crate) fn push(&mut self, name: String, value: Value) {
        self.entries.push((name, value));
    }

    /// Where the last entry of `name` is.
    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().rposition(|(key, _)| key == name)
    }
}

/// Equal when they hold the same properties with the same values, in any order (as for
/// `serde_json::Map`).
impl PartialEq for AdditionalProperties {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
            || (self.len() == other.len()
                && self
                    .iter()
                    .all(|(key, value)| other.get(key) == Some(value)))
    }
}

impl fmt::Debug for AdditionalProperties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `additional_properties["name"]`: the value, or `Value::Null` when it is not there (as
/// indexing a `serde_json::Value` does; it never panics).
impl std::ops::Index<&str> for AdditionalProperties {
    type Output = Value;

    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

/// An iterator over the entries of an [`AdditionalProperties`], in order.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(key, value)| (key, value))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a AdditionalProperties {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for AdditionalProperties {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Entries as [`insert`](AdditionalProperties::insert) adds them (a repeated name keeps
/// its first place and its last value).
impl Extend<(String, Value)> for AdditionalProperties {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, entries: I) {
        for (name, value) in entries {
            self.insert(name, value);
        }
    }
}

impl FromIterator<(String, Value)> for AdditionalProperties {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Self {
        let mut properties = AdditionalProperties::new();
        properties.extend(entries);
        properties
    }
}

impl From<Map<String, Value>> for AdditionalProperties {
    fn from(map: Map<String, Value>) -> Self {
        AdditionalProperties {
            entries: map.into_iter().collect(),
        }
    }
}

/// The entries as a `serde_json::Map` (of a repeated name, the last value).
impl From<AdditionalProperties> for Map<String, Value> {
    fn from(properties: AdditionalProperties) -> Self {
        properties.entries.into_iter().collect()
    }
}

impl serde::Serialize for AdditionalProperties {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;

        impl<'de> Visitor<'de> for Entries {
            type Value = AdditionalProperties;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut properties = AdditionalProperties::new();
                while let Some((name, value)) = map.next_entry()? {
                    properties.push(name, value);
                }
                Ok(properties)
            }
        }

        deserializer.deserialize_map(Entries)
    }
}

/// The schema of a `serde_json::Map<String, Value>`: an object of any properties (a
/// model's schema, which flattens this field in, allows additional properties).
impl schemars::JsonSchema for AdditionalProperties {
    fn inline_schema() -> bool {
        <Map<String, Value> as schemars::JsonSchema>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <Map<String, Value> as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <Map<String, Value> as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Map<String, Value> as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> AdditionalProperties {
        serde_json::from_str(text).expect("an object")
    }

    #[test]
    fn a_repeated_name_is_kept_as_it_came_and_read_as_its_last_value() {
        let properties = read(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(properties.len(), 3);
        assert_eq!(properties.get("a"), Some(&json!(3)));
        assert_eq!(
            serde_json::to_string(&properties).expect("writes"),
            r#"{"a":1,"b":2,"a":3}"#
        );
        assert_eq!(
            Map::from(properties),
            json!({"a": 3, "b": 2})
                .as_object()
                .cloned()
                .unwrap_or_default()
        );
    }

    #[test]
    fn insert_keeps_the_place_and_remove_takes_every_entry() {
        let mut properties = read(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(properties.insert("b".to_owned(), json!(20)), Some(json!(2)));
        assert_eq!(properties.insert("c".to_owned(), json!(30)), None);
        assert_eq!(
            properties.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "a", "c"]
        );
        assert_eq!(properties.remove("a"), Some(json!(3)));
        assert_eq!(
            serde_json::to_string(&properties).expect("writes"),
            r#"{"b":20,"c":30}"#
        );
        assert_eq!(properties.remove("a"), None);
        assert!(!properties.contains_key("a"));
        assert_eq!(properties["a"], Value::Null);
    }

    #[test]
    fn equality_ignores_the_order() {
        assert_eq!(read(r#"{"a": 1, "b": 2}"#), read(r#"{"b": 2, "a": 1}"#));
        assert_ne!(read(r#"{"a": 1, "b": 2}"#), read(r#"{"a": 1, "b": 3}"#));
        assert_ne!(read(r#"{"a": 1}"#), read(r#"{"a": 1, "b": 2}"#));
    }
}
