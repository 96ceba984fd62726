//! `sync`: the spec's component schemas from Microsoft's CSDL metadata.
//!
//! Starting at the roots the spec names (its top-level `x-graph-sync-roots`, a list of
//! CSDL type names such as `microsoft.graph.onlineMeeting`), every complex and enum type
//! they reach through their properties is written as an OpenAPI 3.0 schema, following the
//! spec's conventions:
//!
//! * base types are flattened into the type (`onlineMeeting` gets `onlineMeetingBase`'s
//!   and `entity`'s properties); properties are sorted by name;
//! * a property is `nullable: true` unless the CSDL says `Nullable="false"`; a
//!   collection is an array (never nullable); a complex or enum type is
//!   `allOf: [$ref]`;
//! * `Edm.Stream` properties are not JSON properties (their bytes are a resource of their
//!   own); navigation properties are not either, except those the spec lists in
//!   `x-graph-sync-expand` (`type/property`, e.g.
//!   `microsoft.graph.meetingAttendanceReport/attendanceRecords`): what Graph returns with
//!   `$expand`, written like any other property of that type;
//! * every other Edm primitive has its OpenAPI type and format (see [`EDM`]);
//! * a type the spec lists in `x-graph-sync-derived` (a base type, such as
//!   `microsoft.graph.attachment`) gets every type derived from it written too, each
//!   flattened, and a `discriminator` on `@odata.type` that maps each derived type's
//!   `#microsoft.graph.…` name to its schema: a property of the base type can hold any of
//!   them, and the generator tells them apart. Derived types are written only for the
//!   bases the spec lists: `entity` alone has over a thousand, and making a property a
//!   union changes its Rust type, which a maintainer decides per base (the models keep an
//!   unlisted derived type's properties anyway, so nothing is lost meanwhile);
//! * every structured type also declares `@odata.type` (a string), as Microsoft's own
//!   OpenAPI conversion of the metadata does;
//! * types are resolved by their full namespace (`graph.` is an alias of
//!   `microsoft.graph.`), never by their simple name; a type of a namespace below
//!   `microsoft.graph` keeps it in its schema name (`security.alert`).
//!
//! Every schema sync writes is marked `x-graph-type: microsoft.graph.<name>`; one so marked
//! that the metadata no longer reaches is removed. What is ours is kept: paths,
//! operations and their facts, schemas without the mark (request bodies, the error body,
//! collections), `required` lists, and on every
//! property and schema that stays, its description, `deprecated`, examples and any
//! extension. A new property or member gets the CSDL's description annotation if it has
//! one, else a description saying where it came from. The output is the whole document
//! as YAML, deterministic: the same inputs give the same bytes.
//!
//! The summary says what changed and what sync left out: navigation properties it did not
//! expand, base types whose derived types it did not write, open types (their unknown
//! properties are kept by the models, not typed), stream properties, and how many
//! properties the metadata gives no description.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::CodegenError;

/// The namespace of Graph's own types.
const GRAPH: &str = "microsoft.graph";
/// The top-level extension of the spec that lists the CSDL types sync starts from.
pub const ROOTS: &str = "x-graph-sync-roots";
/// The top-level extension of the spec that lists the navigation properties sync writes
/// (`type/property`): those an operation of the spec can `$expand`.
pub const EXPAND: &str = "x-graph-sync-expand";
/// The top-level extension of the spec that lists the base types whose derived types sync
/// writes (with a `discriminator` on the base).
pub const DERIVED: &str = "x-graph-sync-derived";
/// The extension that marks a schema as written by `sync`, with the CSDL type it came
/// from; schemas without it are ours and never touched.
pub const GRAPH_TYPE: &str = "x-graph-type";
/// `Core.Description`, the CSDL's description annotation.
const DESCRIPTION: &str = "Org.OData.Core.V1.Description";

/// One property of a CSDL structured type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsdlProperty {
    /// The JSON name.
    pub name: String,
    /// The type, fully qualified (`Edm.String`, `Collection(microsoft.graph.identity)`).
    pub type_name: String,
    /// `Nullable` (true unless `Nullable="false"`).
    pub nullable: bool,
    /// The description annotation, if any.
    pub description: Option<String>,
}

/// A CSDL type: structured (entity or complex) or enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsdlType {
    /// An entity or complex type: its base type and its own properties.
    Structured {
        /// The base type, fully qualified.
        base: Option<String>,
        /// The JSON properties it declares (no navigation or stream properties).
        properties: Vec<CsdlProperty>,
        /// Its navigation properties: JSON only when expanded.
        navigation: Vec<CsdlProperty>,
        /// Its stream properties (`Edm.Stream`): not JSON.
        streams: Vec<String>,
        /// `Abstract="true"`: only derived types have instances.
        abstract_type: bool,
        /// `OpenType="true"`: an instance may have properties the type does not declare.
        open: bool,
    },
    /// An enum type: its members in order, with their descriptions.
    Enum {
        /// `(member, description)`.
        members: Vec<(String, Option<String>)>,
    },
}

/// The types of a CSDL document, by full name.
#[derive(Debug, Clone, Default)]
pub struct Csdl {
    /// Every entity, complex and enum type.
    pub types: BTreeMap<String, CsdlType>,
}

impl Csdl {
    /// Read a CSDL file (gzip when its name ends in `.gz`).
    pub fn read(path: &Path) -> Result<Self, CodegenError> {
        let io = |source| CodegenError::Io {
            path: path.to_owned(),
            action: "reading the metadata",
            source,
        };
        let bytes = std::fs::read(path).map_err(io)?;
        let text = if path.extension().is_some_and(|e| e == "gz") {
            let mut text = String::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_string(&mut text)
                .map_err(io)?;
            text
        } else {
            String::from_utf8(bytes).map_err(|err| CodegenError::Invalid {
                path: path.to_owned(),
                pointer: String::new(),
                message: format!("the metadata is not UTF-8: {err}"),
            })?
        };
        Self::parse(path, &text)
    }

    /// Parse CSDL text; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, CodegenError> {
        let doc = roxmltree::Document::parse(text).map_err(|err| {
            let pos = err.pos();
            CodegenError::Syntax {
                path: path.to_owned(),
                line: u64::from(pos.row),
                column: u64::from(pos.col),
                message: err.to_string(),
            }
        })?;
        let mut csdl = Csdl::default();
        // A schema's alias (`graph` for `microsoft.graph`, `self` for
        // `microsoft.graph.security`) names its namespace in the whole document.
        let mut aliases: BTreeMap<&str, &str> = BTreeMap::from([("graph", GRAPH)]);
        for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            if let (Some(namespace), Some(alias)) =
                (schema.attribute("Namespace"), schema.attribute("Alias"))
            {
                aliases.insert(alias, namespace);
            }
        }
        for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            let Some(namespace) = schema.attribute("Namespace") else {
                continue;
            };
            let qualify = |name: &str| -> String {
                let name = name.trim();
                if let Some(inner) = name
                    .strip_prefix("Collection(")
                    .and_then(|n| n.strip_suffix(')'))
                {
                    return format!("Collection({})", qualify_one(inner, &aliases));
                }
                qualify_one(name, &aliases)
            };
            for node in schema.children().filter(roxmltree::Node::is_element) {
                let Some(name) = node.attribute("Name") else {
                    continue;
                };
                let full = format!("{namespace}.{name}");
                let ty = match node.tag_name().name() {
                    "EntityType" | "ComplexType" => {
                        let declared = |tag: &str| -> Vec<CsdlProperty> {
                            node.children()
                                .filter(|p| p.has_tag_name(tag))
                                .filter_map(|p| {
                                    let type_name = qualify(p.attribute("Type")?);
                                    (type_name != STREAM).then(|| CsdlProperty {
                                        name: p.attribute("Name").unwrap_or_default().to_owned(),
                                        type_name,
                                        nullable: p.attribute("Nullable") != Some("false"),
                                        description: description_of(p),
                                    })
                                })
                                .collect()
                        };
                        let streams = node
                            .children()
                            .filter(|p| p.has_tag_name("Property"))
                            .filter(|p| {
                                p.attribute("Type").map(&qualify).as_deref() == Some(STREAM)
                            })
                            .filter_map(|p| p.attribute("Name").map(str::to_owned))
                            .collect();
                        CsdlType::Structured {
                            base: node.attribute("BaseType").map(&qualify),
                            properties: declared("Property"),
                            navigation: declared("NavigationProperty"),
                            streams,
                            abstract_type: node.attribute("Abstract") == Some("true"),
                            open: node.attribute("OpenType") == Some("true"),
                        }
                    }
                    "EnumType" => CsdlType::Enum {
                        members: node
                            .children()
                            .filter(|m| m.has_tag_name("Member"))
                            .filter_map(|m| {
                                Some((m.attribute("Name")?.to_owned(), description_of(m)))
                            })
                            .collect(),
                    },
                    _ => continue,
                };
                csdl.types.insert(full, ty);
            }
        }
        Ok(csdl)
    }

    /// A structured type and its base types, the type first.
    fn base_chain(&self, name: &str) -> Vec<String> {
        let mut chain = Vec::new();
        let mut next = Some(name.to_owned());
        while let Some(current) = next {
            if chain.contains(&current) {
                break; // a cycle of base types; each is read once
            }
            next = match self.types.get(&current) {
                Some(CsdlType::Structured { base, .. }) => base.clone(),
                _ => None,
            };
            chain.push(current);
        }
        chain
    }

    /// Every property of a structured type, its base types' first (flattened).
    fn flattened(&self, name: &str) -> Vec<CsdlProperty> {
        let chain = self.base_chain(name);
        let mut out: Vec<CsdlProperty> = Vec::new();
        for ty in chain.iter().rev() {
            if let Some(CsdlType::Structured { properties, .. }) = self.types.get(ty) {
                for property in properties {
                    out.retain(|p| p.name != property.name);
                    out.push(property.clone());
                }
            }
        }
        out
    }

    /// This metadata with the navigation properties `expand` names (`type/property`)
    /// made JSON properties of their type; an entry that names no navigation property
    /// is an error naming it.
    pub fn with_expanded(&self, expand: &[String]) -> Result<Csdl, String> {
        let mut out = self.clone();
        for entry in expand {
            let found = entry.split_once('/').and_then(|(ty, name)| {
                let Some(CsdlType::Structured {
                    properties,
                    navigation,
                    ..
                }) = out.types.get_mut(ty)
                else {
                    return None;
                };
                let at = navigation.iter().position(|p| p.name == name)?;
                properties.push(navigation.remove(at));
                Some(())
            });
            if found.is_none() {
                return Err(format!(
                    "`{EXPAND}` lists `{entry}`, which is no navigation property of the \
                     metadata (write `{GRAPH}.type/property`)"
                ));
            }
        }
        Ok(out)
    }

    /// The types `roots` reach through their properties, themselves included, and,
    /// for each reached type that `derived` lists, every type derived from it (a root the
    /// metadata does not have is left out; [`sync`] refuses one).
    pub fn reachable(&self, roots: &[String], derived: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = roots.to_vec();
        while let Some(name) = todo.pop() {
            if !self.types.contains_key(&name) || !seen.insert(name.clone()) {
                continue;
            }
            for property in self.flattened(&name) {
                todo.push(element_type(&property.type_name).to_owned());
            }
            if derived.contains(&name) {
                todo.extend(self.derived_from(&name));
            }
        }
        seen
    }

    /// Every type derived from `base`, at any depth, by name.
    pub fn derived_from(&self, base: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut bases = vec![base.to_owned()];
        while let Some(current) = bases.pop() {
            for (name, ty) in &self.types {
                if let CsdlType::Structured {
                    base: Some(parent), ..
                } = ty
                    && *parent == current
                    && !out.contains(name)
                    && name != base
                {
                    out.push(name.clone());
                    bases.push(name.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// The JSON properties of `roots` and every type they reach, and the members of every
    /// enum they reach: `schema name → property or member names`.
    pub fn surface(&self, roots: &[String]) -> BTreeMap<String, BTreeSet<String>> {
        self.reachable(roots, &[])
            .into_iter()
            .filter_map(|name| {
                let names = match self.types.get(&name)? {
                    CsdlType::Structured { .. } => {
                        self.flattened(&name).into_iter().map(|p| p.name).collect()
                    }
                    CsdlType::Enum { members } => members.iter().map(|(m, _)| m.clone()).collect(),
                };
                Some((schema_name(&name)?.to_owned(), names))
            })
            .collect()
    }
}

impl Csdl {
    /// Note in `summary` what sync leaves out of the type `full` (schema `name`): its
    /// navigation properties not expanded, its streams, its openness, and its properties
    /// without a description.
    fn left_out(&self, full: &str, name: &str, summary: &mut SyncSummary) {
        let mut open = false;
        for ty in &self.base_chain(full) {
            if let Some(CsdlType::Structured {
                navigation,
                streams,
                open: is_open,
                ..
            }) = self.types.get(ty)
            {
                for property in navigation {
                    summary
                        .not_expanded
                        .push(format!("{name}.{}", property.name));
                }
                for stream in streams {
                    summary.streams.push(format!("{name}.{stream}"));
                }
                open |= *is_open;
            }
        }
        if open {
            summary.open_types.push(name.to_owned());
        }
        summary.undescribed += self
            .flattened(full)
            .iter()
            .filter(|p| p.description.is_none())
            .count();
    }
}

/// A type name with a leading alias (`graph.chatInfo`, `self.alert`) written with the
/// alias's namespace.
fn qualify_one(name: &str, aliases: &BTreeMap<&str, &str>) -> String {
    match name
        .split_once('.')
        .and_then(|(prefix, rest)| Some((aliases.get(prefix)?, rest)))
    {
        Some((namespace, rest)) => format!("{namespace}.{rest}"),
        None => name.to_owned(),
    }
}

fn description_of(node: roxmltree::Node<'_, '_>) -> Option<String> {
    node.children()
        .filter(|a| a.has_tag_name("Annotation") && a.attribute("Term") == Some(DESCRIPTION))
        .find_map(|a| a.attribute("String").map(str::to_owned))
}

/// `T` of `Collection(T)`, else the name.
fn element_type(type_name: &str) -> &str {
    type_name
        .strip_prefix("Collection(")
        .and_then(|n| n.strip_suffix(')'))
        .unwrap_or(type_name)
}

/// The spec's schema name of a Graph type: its name in `microsoft.graph`
/// (`microsoft.graph.chatInfo` → `chatInfo`), with the namespace below it kept
/// (`microsoft.graph.security.alert` → `security.alert`, a type other than
/// `microsoft.graph.alert`); `None` for a type outside Graph's namespaces.
fn schema_name(full: &str) -> Option<&str> {
    full.strip_prefix("microsoft.graph.")
        .filter(|rest| !rest.is_empty())
}

/// `Edm.Stream`: the type of a stream property, whose bytes are a resource of their own
/// (`…/content`), never a JSON property.
const STREAM: &str = "Edm.Stream";

/// Every Edm primitive a property can have (`Edm.Stream` aside: it is no JSON property)
/// as an OpenAPI type and format: `(Edm type, type, format)`, a type of `None` being any
/// JSON value. The formats are OpenAPI's and Microsoft's own conversion's; the generator
/// reads `date-time` with its offset, `date` as a date, the integers by size, `float` as
/// `f32`, and keeps the others as their JSON text (`byte` is base64, `duration` ISO 8601,
/// `time` `hh:mm:ss.fffffff`, `uuid` as Graph wrote it), so that each round-trips.
pub const EDM: [(&str, Option<&str>, Option<&str>); 17] = [
    ("Edm.String", Some("string"), None),
    ("Edm.Boolean", Some("boolean"), None),
    ("Edm.Byte", Some("integer"), Some("uint8")),
    ("Edm.SByte", Some("integer"), Some("int8")),
    ("Edm.Int16", Some("integer"), Some("int16")),
    ("Edm.Int32", Some("integer"), Some("int32")),
    ("Edm.Int64", Some("integer"), Some("int64")),
    ("Edm.Single", Some("number"), Some("float")),
    ("Edm.Double", Some("number"), Some("double")),
    ("Edm.Decimal", Some("number"), Some("decimal")),
    ("Edm.DateTimeOffset", Some("string"), Some("date-time")),
    ("Edm.Date", Some("string"), Some("date")),
    ("Edm.TimeOfDay", Some("string"), Some("time")),
    ("Edm.Duration", Some("string"), Some("duration")),
    ("Edm.Guid", Some("string"), Some("uuid")),
    ("Edm.Binary", Some("string"), Some("byte")),
    ("Edm.Untyped", None, None),
];

/// The parts of a property schema that come from the CSDL.
const CSDL_KEYS: [&str; 6] = ["type", "format", "items", "allOf", "nullable", "$ref"];

/// The CSDL-derived part of a property's schema.
fn property_schema(type_name: &str, nullable: bool) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    if let Some(inner) = type_name
        .strip_prefix("Collection(")
        .and_then(|n| n.strip_suffix(')'))
    {
        out.insert("type".into(), json!("array"));
        // Items refer to a schema directly (`items: {$ref}`), as the spec writes them.
        let mut items = property_schema(inner, false)?;
        if let Some(Value::Array(all_of)) = items.remove("allOf")
            && let Some(Value::Object(reference)) = all_of.into_iter().next()
        {
            items = reference;
        }
        out.insert("items".into(), Value::Object(items));
        return Ok(out);
    }
    let primitive = |ty: &str, format: Option<&str>| {
        let mut map = Map::new();
        map.insert("type".into(), json!(ty));
        if let Some(format) = format {
            map.insert("format".into(), json!(format));
        }
        map
    };
    let edm = EDM.iter().find(|(name, ..)| *name == type_name);
    let mut schema = match edm {
        // Any JSON value: a schema without a type.
        Some((_, None, _)) => Map::new(),
        Some((_, Some(ty), format)) => primitive(ty, *format),
        None => match schema_name(type_name) {
            Some(name) => {
                let mut map = Map::new();
                map.insert(
                    "allOf".into(),
                    json!([{ "$ref": format!("#/components/schemas/{name}") }]),
                );
                map
            }
            None => return Err(format!("type `{type_name}` has no OpenAPI mapping here")),
        },
    };
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Ok(schema)
}

/// What a sync changed, and what it left out, for the maintainer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SyncSummary {
    /// `schema.property` or `schema.member` added.
    pub added: Vec<String>,
    /// `schema.property` or `schema.member` removed.
    pub removed: Vec<String>,
    /// Properties whose type changed.
    pub retyped: Vec<String>,
    /// How many schemas sync wrote.
    pub schemas: usize,
    /// What it left out: `schema.property` of navigation properties not expanded.
    pub not_expanded: Vec<String>,
    /// Base types it reached whose derived types it did not write: `schema (n derived)`.
    pub derived_not_written: Vec<String>,
    /// Open types it wrote: their undeclared properties are kept, untyped.
    pub open_types: Vec<String>,
    /// `schema.property` of stream properties (not JSON: their bytes are a resource).
    pub streams: Vec<String>,
    /// Roots the metadata does not have: their schemas were kept as they were.
    pub missing_roots: Vec<String>,
    /// How many properties it wrote that the metadata gives no description.
    pub undescribed: usize,
    /// `schema.member` or `schema.property` left out because its Rust name is an
    /// earlier one's (the models keep its value anyway: an enum's catch-all, a model's
    /// additional properties).
    pub same_rust_name: Vec<String>,
}

impl std::fmt::Display for SyncSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "synced: {} added, {} removed, {} retyped",
            self.added.len(),
            self.removed.len(),
            self.retyped.len()
        )?;
        for (label, list) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("retyped", &self.retyped),
        ] {
            for item in list {
                write!(f, "\n  {label}: {item}")?;
            }
        }
        write!(
            f,
            "\nleft out: {} navigation properties not expanded ({EXPAND}), {} base types \
             whose derived types were not written ({DERIVED}), {} stream properties; {} open \
             types (undeclared properties kept, untyped); {} of the properties written have \
             no description in the metadata; {} schemas written",
            self.not_expanded.len(),
            self.derived_not_written.len(),
            self.streams.len(),
            self.open_types.len(),
            self.undescribed,
            self.schemas,
        )?;
        for (label, list) in [
            (
                "root not in the metadata, its schemas kept",
                &self.missing_roots,
            ),
            ("not expanded", &self.not_expanded),
            ("derived types not written", &self.derived_not_written),
            ("stream", &self.streams),
            ("open type", &self.open_types),
            ("same Rust name as an earlier one", &self.same_rust_name),
        ] {
            for item in list {
                write!(f, "\n  {label}: {item}")?;
            }
        }
        Ok(())
    }
}

/// Rewrite `spec`'s component schemas from `csdl` (see the module's documentation).
pub fn sync(csdl: &Csdl, spec: &mut Value) -> Result<SyncSummary, String> {
    // A root the metadata lacks (an older file, or a type Microsoft removed) is not
    // synced: its schemas stay as they are, so the operations that use them still
    // generate, and the report says so for a reviewer to decide.
    let (roots, missing): (Vec<String>, Vec<String>) = roots(spec)?
        .into_iter()
        .partition(|root| csdl.types.contains_key(root));
    if roots.is_empty() {
        return Err(format!(
            "the metadata has none of the roots the spec names in `{ROOTS}` ({})",
            missing.join(", ")
        ));
    }
    let kept = kept_schemas(spec, &missing);
    let expanded = csdl.with_expanded(&expand(spec)?)?;
    let csdl = &expanded;
    let derived = derived(spec)?;
    for base in &derived {
        match csdl.types.get(base) {
            Some(CsdlType::Structured { .. }) if !csdl.derived_from(base).is_empty() => {}
            _ => {
                return Err(format!(
                    "`{DERIVED}` lists `{base}`, which is no structured type of the metadata \
                     with derived types"
                ));
            }
        }
    }
    let reachable = csdl.reachable(&roots, &derived);
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .ok_or("the spec has no components/schemas")?;
    let mut summary = SyncSummary {
        missing_roots: missing,
        ..SyncSummary::default()
    };
    let mut synced: BTreeMap<String, Value> = BTreeMap::new();
    for full in &reachable {
        let Some(name) = schema_name(full) else {
            continue;
        };
        let old = schemas.get(name).cloned();
        let schema = match csdl.types.get(full) {
            Some(CsdlType::Enum { members }) => {
                sync_enum(name, full, members, old.as_ref(), &mut summary)
            }
            Some(CsdlType::Structured { .. }) => {
                let mut properties = csdl.flattened(full);
                properties.push(odata_type_property());
                let mut schema =
                    sync_structured(name, full, &properties, old.as_ref(), &mut summary)?;
                let subtypes = csdl.derived_from(full);
                if derived.contains(full) {
                    schema["discriminator"] = discriminator(&subtypes);
                } else if !subtypes.is_empty() {
                    summary
                        .derived_not_written
                        .push(format!("{name} ({} derived)", subtypes.len()));
                }
                csdl.left_out(full, name, &mut summary);
                schema
            }
            None => continue,
        };
        synced.insert(name.to_owned(), schema);
    }
    summary.schemas = synced.len();
    // Each schema where it was, the synced ones rewritten; a schema that an earlier sync
    // wrote (it has `x-graph-type`) and that is no longer reached is dropped; new ones
    // go at the end.
    let mut out = Map::new();
    for (name, schema) in schemas.iter() {
        match synced.remove(name) {
            Some(new) => {
                out.insert(name.clone(), new);
            }
            None if schema.get(GRAPH_TYPE).is_some() && !kept.contains(name) => {
                summary.removed.push(name.clone());
            }
            None => {
                out.insert(name.clone(), schema.clone());
            }
        }
    }
    for (name, schema) in synced {
        summary.added.push(name.clone());
        out.insert(name, schema);
    }
    *schemas = out;
    Ok(summary)
}

/// The spec's schemas that the schemas of `missing` roots refer to, themselves included,
/// through `$ref`s.
fn kept_schemas(spec: &Value, missing: &[String]) -> BTreeSet<String> {
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref")
                    && let Some(name) = target.strip_prefix("#/components/schemas/")
                {
                    out.push(name.to_owned());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let schemas = spec.pointer("/components/schemas");
    let mut kept = BTreeSet::new();
    let mut todo: Vec<String> = missing
        .iter()
        .filter_map(|full| schema_name(full))
        .map(str::to_owned)
        .collect();
    while let Some(name) = todo.pop() {
        if let Some(schema) = schemas.and_then(|s| s.get(&name))
            && kept.insert(name)
        {
            refs(schema, &mut todo);
        }
    }
    kept
}

/// The CSDL types the spec names as sync's roots (`x-graph-sync-roots`).
pub fn roots(spec: &Value) -> Result<Vec<String>, String> {
    let list = spec
        .get(ROOTS)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("the spec has no `{ROOTS}` list of the CSDL types to sync"))?;
    let roots: Vec<String> = list
        .iter()
        .map(|root| {
            root.as_str()
                .filter(|name| name.starts_with(&format!("{GRAPH}.")))
                .map(str::to_owned)
                .ok_or_else(|| {
                    format!("`{ROOTS}` lists `{root}`; each root is a `{GRAPH}.` type name")
                })
        })
        .collect::<Result<_, _>>()?;
    if roots.is_empty() {
        return Err(format!("`{ROOTS}` is empty: name at least one CSDL type"));
    }
    Ok(roots)
}

/// The navigation properties the spec has sync write (`x-graph-sync-expand`; none when
/// absent).
pub fn expand(spec: &Value) -> Result<Vec<String>, String> {
    names_list(spec, EXPAND, "`type/property` names")
}

/// The base types whose derived types the spec has sync write (`x-graph-sync-derived`;
/// none when absent).
pub fn derived(spec: &Value) -> Result<Vec<String>, String> {
    names_list(spec, DERIVED, "CSDL type names")
}

/// A top-level list of distinct strings, empty when absent.
fn names_list(spec: &Value, key: &str, what: &str) -> Result<Vec<String>, String> {
    let Some(list) = spec.get(key) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = Vec::new();
    let entries = list
        .as_array()
        .ok_or_else(|| format!("`{key}` must be a list of {what}"))?;
    for entry in entries {
        let name = entry
            .as_str()
            .ok_or_else(|| format!("`{key}` lists `{entry}`, which is not a string"))?;
        if names.iter().any(|n| n == name) {
            return Err(format!("`{key}` lists `{name}` twice"));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// The `discriminator` of a base type whose derived types are `subtypes`: `@odata.type`,
/// each derived type's `#microsoft.graph.…` name mapped to its schema.
fn discriminator(subtypes: &[String]) -> Value {
    let mapping: Map<String, Value> = subtypes
        .iter()
        .filter_map(|full| {
            let name = schema_name(full)?;
            Some((
                format!("#{full}"),
                json!(format!("#/components/schemas/{name}")),
            ))
        })
        .collect();
    json!({ "propertyName": ODATA_TYPE, "mapping": mapping })
}

fn sync_enum(
    name: &str,
    full: &str,
    members: &[(String, Option<String>)],
    old: Option<&Value>,
    summary: &mut SyncSummary,
) -> Value {
    let mut schema = match old {
        Some(Value::Object(map)) => map.clone(),
        _ => {
            let mut map = Map::new();
            map.insert(
                "description".into(),
                json!(format!(
                    "The enumeration {full}, from Microsoft Graph's metadata."
                )),
            );
            map
        }
    };
    let old_members: Vec<String> = schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    // A member whose Rust variant an earlier one already has is left out (Graph's
    // `windowsMalwareCategory` has `remoteControlSoftware` and `remote_Control_Software`):
    // the open enum keeps it verbatim in its catch-all.
    let mut variants = BTreeSet::new();
    let mut new_members: Vec<String> = Vec::new();
    for (member, _) in members {
        if variants.insert(crate::names::type_name(member)) {
            new_members.push(member.clone());
        } else {
            summary.same_rust_name.push(format!("{name}.{member}"));
        }
    }
    if old.is_some() {
        for m in &new_members {
            if !old_members.contains(m) {
                summary.added.push(format!("{name}.{m}"));
            }
        }
        for m in &old_members {
            if !new_members.contains(m) {
                summary.removed.push(format!("{name}.{m}"));
            }
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("string"));
    for (key, value) in &schema {
        if key != "type" && key != "enum" && key != GRAPH_TYPE {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert(GRAPH_TYPE.into(), json!(full));
    out.insert("enum".into(), json!(new_members));
    schema = out;
    Value::Object(schema)
}

/// The JSON name of the OData type annotation.
const ODATA_TYPE: &str = "@odata.type";

/// `@odata.type`, declared on every structured type as Microsoft's own OpenAPI
/// conversion of the metadata declares it (and Kiota's models carry it as `odataType`).
/// Graph sends it on most objects, and on every object of a derived type
/// (`#microsoft.graph.communicationsIdentitySet` where `identitySet` is declared). As a
/// typed field it is read and written like any other property; undeclared, it went to
/// each object's `additional_properties`, which cost a map, two strings and a hash per
/// object (on the Get onlineMeeting example, a quarter of the decoding time).
fn odata_type_property() -> CsdlProperty {
    CsdlProperty {
        name: ODATA_TYPE.to_owned(),
        type_name: "Edm.String".to_owned(),
        nullable: true,
        description: Some(
            "The OData type of the object (`#microsoft.graph.…`), when Graph sends it: \
             always for an object of a derived type."
                .to_owned(),
        ),
    }
}

fn sync_structured(
    name: &str,
    full: &str,
    properties: &[CsdlProperty],
    old: Option<&Value>,
    summary: &mut SyncSummary,
) -> Result<Value, String> {
    let old_map = match old {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    let old_props = old_map
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut props: BTreeMap<String, Value> = BTreeMap::new();
    let mut fields = BTreeSet::new();
    for property in properties {
        // A property whose Rust field an earlier one already has is left out: the model
        // keeps it in its additional properties.
        if !fields.insert(crate::names::field_key(&property.name)) {
            summary
                .same_rust_name
                .push(format!("{name}.{}", property.name));
            continue;
        }
        let derived = property_schema(&property.type_name, property.nullable)
            .map_err(|e| format!("{full}.{}: {e}", property.name))?;
        let mut schema = Map::new();
        match old_props.get(&property.name).and_then(Value::as_object) {
            Some(existing) => {
                let old_derived: Map<String, Value> = existing
                    .iter()
                    .filter(|(k, _)| CSDL_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if strip_nullable(&old_derived) != strip_nullable(&derived) {
                    summary.retyped.push(format!("{name}.{}", property.name));
                }
                // Ours (description, deprecated, examples, extensions) in their place;
                // the CSDL's keys in the order the convention writes them.
                schema.extend(derived);
                for (key, value) in existing {
                    if !CSDL_KEYS.contains(&key.as_str()) {
                        schema.insert(key.clone(), value.clone());
                    }
                }
            }
            None => {
                if old.is_some() {
                    summary.added.push(format!("{name}.{}", property.name));
                }
                schema.extend(derived);
                let description = property.description.clone().unwrap_or_else(|| {
                    format!(
                        "`{}` of {full}, from Microsoft Graph's metadata (no description \
                         there).",
                        property.name
                    )
                });
                schema.insert("description".into(), json!(description));
            }
        }
        props.insert(property.name.clone(), Value::Object(order_keys(schema)));
    }
    for old_name in old_props.keys() {
        if !props.contains_key(old_name) {
            summary.removed.push(format!("{name}.{old_name}"));
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    let description = old_map
        .get("description")
        .cloned()
        .unwrap_or_else(|| json!(format!("The type {full}, from Microsoft Graph's metadata.")));
    out.insert("description".into(), description);
    out.insert(GRAPH_TYPE.into(), json!(full));
    for (key, value) in &old_map {
        if !matches!(
            key.as_str(),
            "type" | "description" | "properties" | "discriminator" | GRAPH_TYPE
        ) {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert(
        "properties".into(),
        Value::Object(props.into_iter().collect()),
    );
    Ok(Value::Object(out))
}

/// A property's keys in the spec's order: type, format, deprecated, items, nullable,
/// allOf, then the rest as they came.
fn order_keys(schema: Map<String, Value>) -> Map<String, Value> {
    const FIRST: [&str; 6] = ["type", "format", "items", "nullable", "deprecated", "allOf"];
    let mut out = Map::new();
    for key in FIRST {
        if let Some(value) = schema.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    for (key, value) in schema {
        if !FIRST.contains(&key.as_str()) {
            out.insert(key, value);
        }
    }
    out
}

fn strip_nullable(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .filter(|(k, _)| k.as_str() != "nullable")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Sync the spec file at `spec_path` from the metadata at `metadata`, in place.
pub fn sync_file(metadata: &Path, spec_path: &Path) -> Result<SyncSummary, CodegenError> {
    let csdl = Csdl::read(metadata)?;
    let mut spec = crate::load::load_value(spec_path)?;
    let summary = sync(&csdl, &mut spec).map_err(|message| CodegenError::Invalid {
        path: metadata.to_owned(),
        pointer: String::new(),
        message,
    })?;
    let text = to_yaml(spec_path, &spec)?;
    std::fs::write(spec_path, text).map_err(|source| CodegenError::Io {
        path: spec_path.to_owned(),
        action: "writing the synced spec",
        source,
    })?;
    Ok(summary)
}

/// The document as YAML (or JSON for a `.json` path), deterministic.
pub fn to_yaml(spec_path: &Path, spec: &Value) -> Result<String, CodegenError> {
    let failed = |message: String| CodegenError::Output {
        path: spec_path.to_owned(),
        stage: "written",
        message,
    };
    if spec_path.extension().is_some_and(|e| e == "json") {
        return serde_json::to_string_pretty(spec)
            .map(|s| s + "\n")
            .map_err(|e| failed(e.to_string()));
    }
    serde_saphyr::to_string(spec).map_err(|e| failed(e.to_string()))
}
