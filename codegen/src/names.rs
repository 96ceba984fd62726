//! The Rust names typify makes of the spec's names, computed before it runs, so that the
//! validator can say with a pointer which two spec names would become one Rust name, and
//! the transforms can find a schema's type.

use heck::ToUpperCamelCase;

/// The Rust type or variant name typify makes of a schema name or an enum member: the
/// text with `'` dropped and every other character that cannot continue an identifier
/// made a word break, in UpperCamelCase; `X` in front when it does not start like an
/// identifier; `_` after a Rust keyword (of UpperCamelCase names, only `Self`).
pub fn type_name(name: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = cleaned.to_upper_camel_case();
    match out.chars().next() {
        None => out = "X".to_owned(),
        Some(c) if !(c.is_alphabetic() || c == '_') => out = format!("X{out}"),
        Some(_) => {}
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// A property name reduced to what typify's identifier sanitizing keeps of it: two
/// properties with the same key become the same Rust field.
pub fn field_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The name of the union the generator makes of a base type with derived types: `Any`
/// and the base's Rust name (`AnyAttachment`).
pub fn union_name(base_schema: &str) -> String {
    format!("Any{}", type_name(base_schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_typify_s() {
        assert_eq!(type_name("onlineMeeting"), "OnlineMeeting");
        assert_eq!(type_name("other"), "Other");
        assert_eq!(type_name("Other"), "Other");
        assert_eq!(type_name("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("type"), "Type");
        assert_eq!(type_name("3d"), "X3d");
        assert_eq!(union_name("attachment"), "AnyAttachment");
    }
}
