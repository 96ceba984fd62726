//! Running progenitor: every generator setting in one place, and every failure (panics
//! included) turned into a [`CodegenError`] that names the operation at fault.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

use crate::document::{METHODS, operations};
use crate::error::CodegenError;

/// The Rust type every `type: string, format: date-time` becomes.
///
/// typify's default is `DateTime<Utc>`, which rewrites `2019-07-11T16:37:23-07:00` as
/// `…T23:37:23Z`: the instant survives, the caller's offset does not. Graph echoes the
/// offset it was given, so the models keep it.
pub const DATE_TIME_TYPE: &str = "::chrono::DateTime<::chrono::offset::FixedOffset>";

/// The progenitor settings for this crate, all of them.
///
/// * positional interface, one merged `Client` (the hand-written `GraphClient` wraps it);
/// * the client carries the runtime module's `Context` (progenitor's inner type: the client
///   crate's configuration and per-call state) and its `ClientHooks` are required
///   ([`HooksMode::Expected`]): the client crate implements them (auth, headers,
///   retries), so no generated call goes out without them;
/// * models derive `schemars::JsonSchema` (schemars 1.x) and `PartialEq`;
/// * date-times keep their offset ([`DATE_TIME_TYPE`]);
/// * a GUID (`format: uuid`) is kept as the text Graph wrote (`uuid::Uuid` would write it
///   back lower-cased, and the client would need the `uuid` crate with `serde`).
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(context_type())
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_conversion(
            schemars08::schema::SchemaObject {
                instance_type: Some(schemars08::schema::InstanceType::String.into()),
                format: Some("date-time".to_owned()),
                ..Default::default()
            },
            DATE_TIME_TYPE,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        )
        .with_conversion(
            schemars08::schema::SchemaObject {
                instance_type: Some(schemars08::schema::InstanceType::String.into()),
                format: Some("uuid".to_owned()),
                ..Default::default()
            },
            "::std::string::String",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    settings
}

/// The client's inner type, `Context` of the client crate's runtime module.
fn context_type() -> proc_macro2::TokenStream {
    match crate::runtime_module::runtime() {
        Ok(path) => quote::quote!(#path::Context),
        Err(message) => quote::quote!(::core::compile_error!(#message)),
    }
}

/// Generate the client's tokens from a validated document (`doc` is the same document
/// as JSON, used to narrow a failure down to one operation).
///
/// progenitor signals some unsupported shapes by panicking rather than by returning an
/// error. The panic is caught (its message captured, the default hook's backtrace
/// suppressed) and, so that the error can name the operation at fault, generation is
/// retried with one operation at a time.
pub fn generate_tokens(
    path: &Path,
    doc: &serde_json::Value,
    spec: &openapiv3::OpenAPI,
) -> Result<TokenStream, CodegenError> {
    match run_generator(spec) {
        Ok(tokens) => Ok(tokens),
        Err(message) => Err(CodegenError::Generator {
            path: path.to_owned(),
            operation: narrow_to_operation(doc),
            message,
        }),
    }
}

/// One run of progenitor; `Err` carries its error or panic message.
fn run_generator(spec: &openapiv3::OpenAPI) -> Result<TokenStream, String> {
    install_panic_capture();
    CAPTURING.with(|c| *c.borrow_mut() = Some(None));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings()).generate_tokens(spec)
    }));
    let captured = CAPTURING.with(|c| c.borrow_mut().take()).flatten();
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(err.to_string()),
        Err(payload) => Err(format!(
            "progenitor panicked: {}",
            captured.unwrap_or_else(|| panic_payload_message(payload.as_ref()))
        )),
    }
}

/// Find the operations that fail on their own, by generating each one alone (with all
/// the components). `None` when the failure is not specific to one operation.
fn narrow_to_operation(doc: &serde_json::Value) -> Option<String> {
    let mut culprits = Vec::new();
    for op in operations(doc) {
        let mut single = doc.clone();
        let mut item = doc
            .get("paths")
            .and_then(|paths| paths.get(op.path))
            .cloned()
            .unwrap_or_default();
        if let Some(item) = item.as_object_mut() {
            item.retain(|key, _| key == op.method || !METHODS.contains(&key.as_str()));
        }
        single["paths"] = serde_json::json!({ op.path: item });
        let Ok(spec) = serde_json::from_value::<openapiv3::OpenAPI>(single) else {
            continue;
        };
        if run_generator(&spec).is_err() {
            culprits.push(
                op.operation
                    .get("operationId")
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(
                        || format!("{} {}", op.method.to_uppercase(), op.path),
                        str::to_owned,
                    ),
            );
        }
    }
    match culprits.len() {
        0 => None,
        _ => Some(culprits.join("`, `")),
    }
}

thread_local! {
    /// `Some(_)` while this thread runs the generator: the hook stores the panic message
    /// there instead of printing it.
    static CAPTURING: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Install (once per process) a panic hook that captures panics on threads that are
/// running the generator and defers to the previous hook everywhere else.
fn install_panic_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let captured = CAPTURING.with(|c| {
                let mut slot = c.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        let location = info
                            .location()
                            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
                            .unwrap_or_default();
                        *message = Some(format!(
                            "{}{location}",
                            panic_payload_message(info.payload())
                        ));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

fn panic_payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without the validator in front, progenitor itself panics on a 200 + 201 +
    /// `default` operation (`assertion failed: response_types.len() <= 1`); the panic is
    /// caught and the operation at fault is named.
    #[test]
    fn a_progenitor_panic_becomes_an_error_naming_the_operation() {
        let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/small.yaml");
        let text = std::fs::read_to_string(small).expect("the small spec");
        let last_error =
            "        4XX:\n          $ref: '#/components/responses/error'\ncomponents:";
        assert_eq!(text.matches(last_error).count(), 1, "createOrGet's 4XX");
        let text = text.replacen(last_error, &last_error.replace("4XX", "default"), 1);
        let path = Path::new("success_default.yaml");
        let value = crate::load::parse_value(path, &text).expect("parses");
        let openapi = crate::load::to_openapi(path, value.clone()).expect("is OpenAPI");
        let err =
            generate_tokens(path, &value, &openapi).expect_err("progenitor cannot generate this");
        let CodegenError::Generator {
            operation, message, ..
        } = &err
        else {
            panic!("expected a generator error, got {err:?}");
        };
        assert_eq!(operation.as_deref(), Some("create_or_get_thing"));
        assert!(message.contains("response_types.len() <= 1"), "{message}");
        let shown = err.to_string();
        assert!(shown.contains("success_default.yaml"), "{shown}");
        assert!(
            shown.contains("in operation `create_or_get_thing`"),
            "{shown}"
        );
    }
}
