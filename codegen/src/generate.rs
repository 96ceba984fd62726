//! Running progenitor: every generator setting in one place, and every failure (panics
//! included) turned into a [`CodegenError`] that names the operation at fault.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

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
/// * the client carries `crate::hooks::Context` (progenitor's inner type: the client
///   crate's configuration and per-call state) and its `ClientHooks` are required
///   ([`HooksMode::Expected`]): the client crate implements them (auth, headers,
///   retries), so no generated call goes out without them;
/// * models derive `schemars::JsonSchema` (schemars 1.x) and `PartialEq`;
/// * date-times keep their offset ([`DATE_TIME_TYPE`]).
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::hooks::Context))
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
        );
    settings
}

/// Generate the client's tokens from a validated document.
///
/// progenitor signals some unsupported shapes by panicking rather than by returning an
/// error. The panic is caught (its message captured, the default hook's backtrace
/// suppressed) and, so that the error can name the operation at fault, generation is
/// retried with one operation at a time.
pub fn generate_tokens(
    path: &Path,
    spec: &openapiv3::OpenAPI,
) -> Result<TokenStream, CodegenError> {
    match run_generator(spec) {
        Ok(tokens) => Ok(tokens),
        Err(message) => Err(CodegenError::Generator {
            path: path.to_owned(),
            operation: narrow_to_operation(spec),
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
fn narrow_to_operation(spec: &openapiv3::OpenAPI) -> Option<String> {
    let mut culprits = Vec::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let mut single = spec.clone();
            let mut only = item.clone();
            for m in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if m != method {
                    clear_method(&mut only, m);
                }
            }
            single.paths.paths.clear();
            single
                .paths
                .paths
                .insert(path.clone(), openapiv3::ReferenceOr::Item(only));
            if run_generator(&single).is_err() {
                culprits.push(
                    operation
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{} {path}", method.to_uppercase())),
                );
            }
        }
    }
    match culprits.len() {
        0 => None,
        _ => Some(culprits.join("`, `")),
    }
}

fn clear_method(item: &mut openapiv3::PathItem, method: &str) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        "trace" => &mut item.trace,
        _ => return,
    };
    *slot = None;
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
