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
//! * `Edm.Stream` properties are not JSON properties; navigation properties are not
//!   either, except those the spec lists in `x-graph-sync-expand` (`type/property`, e.g.
//!   `microsoft.graph.meetingAttendanceReport/attendanceRecords`): what Graph returns with
//!   `$expand`, written like any other property of that type;
//! * every structured type also declares `@odata.type` (a string), as Microsoft's own
//!   OpenAPI conversion of the metadata does;
//! * types are resolved by their full namespace (`graph.` is an alias of
//!   `microsoft.graph.`), never by their simple name.
//!
//! Every schema sync writes is marked `x-graph-type: microsoft.graph.<name>`; one so marked
//! that the metadata no longer reaches is removed. What is ours is kept: paths,
//! operations and their facts, schemas without the mark (request bodies, the error body,
//! collections), `required` lists, and on every
//! property and schema that stays, its description, `deprecated`, examples and any
//! extension. A new property or member gets the CSDL's description annotation if it has
//! one, else a description saying where it came from. The output is the whole document
//! as YAML, deterministic: the same inputs give the same bytes.

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
        for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            let Some(namespace) = schema.attribute("Namespace") else {
                continue;
            };
            let alias = schema.attribute("Alias");
            let qualify = |name: &str| -> String {
                let name = name.trim();
                if let Some(inner) = name
                    .strip_prefix("Collection(")
                    .and_then(|n| n.strip_suffix(')'))
                {
                    return format!("Collection({})", qualify_one(inner, namespace, alias));
                }
                qualify_one(name, namespace, alias)
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
                                    (type_name != "Edm.Stream").then(|| CsdlProperty {
                                        name: p.attribute("Name").unwrap_or_default().to_owned(),
                                        type_name,
                                        nullable: p.attribute("Nullable") != Some("false"),
                                        description: description_of(p),
                                    })
                                })
                                .collect()
                        };
                        CsdlType::Structured {
                            base: node.attribute("BaseType").map(&qualify),
                            properties: declared("Property"),
                            navigation: declared("NavigationProperty"),
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

    /// Every property of a structured type, its base types' first (flattened).
    fn flattened(&self, name: &str) -> Vec<CsdlProperty> {
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

    /// The types `roots` reach through their properties, themselves included (a root
    /// the metadata does not have is left out; [`sync`] refuses one).
    pub fn reachable(&self, roots: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = roots.to_vec();
        while let Some(name) = todo.pop() {
            if !self.types.contains_key(&name) || !seen.insert(name.clone()) {
                continue;
            }
            for property in self.flattened(&name) {
                todo.push(element_type(&property.type_name).to_owned());
            }
        }
        seen
    }

    /// The JSON properties of `roots` and every type they reach, and the members of every
    /// enum they reach: `schema name → property or member names`.
    pub fn surface(&self, roots: &[String]) -> BTreeMap<String, BTreeSet<String>> {
        self.reachable(roots)
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

fn qualify_one(name: &str, namespace: &str, alias: Option<&str>) -> String {
    match (alias, name.split_once('.')) {
        (Some(alias), Some((prefix, rest))) if prefix == alias => format!("{namespace}.{rest}"),
        (_, Some(("graph", rest))) => format!("{GRAPH}.{rest}"),
        _ => name.to_owned(),
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

/// The spec's schema name of a Graph type (`microsoft.graph.chatInfo` → `chatInfo`); `None`
/// for a type of another namespace.
fn schema_name(full: &str) -> Option<&str> {
    full.strip_prefix("microsoft.graph.")
        .filter(|rest| !rest.contains('.'))
}

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
    let mut schema = match type_name {
        "Edm.String" => primitive("string", None),
        "Edm.Boolean" => primitive("boolean", None),
        "Edm.Int16" | "Edm.Int32" | "Edm.Byte" | "Edm.SByte" => primitive("integer", Some("int32")),
        "Edm.Int64" => primitive("integer", Some("int64")),
        "Edm.Double" => primitive("number", Some("double")),
        "Edm.Single" => primitive("number", Some("float")),
        "Edm.DateTimeOffset" => primitive("string", Some("date-time")),
        "Edm.Date" => primitive("string", Some("date")),
        "Edm.Duration" => primitive("string", Some("duration")),
        "Edm.Guid" => primitive("string", Some("uuid")),
        other => match schema_name(other) {
            Some(name) => {
                let mut map = Map::new();
                map.insert(
                    "allOf".into(),
                    json!([{ "$ref": format!("#/components/schemas/{name}") }]),
                );
                map
            }
            None => return Err(format!("type `{other}` has no OpenAPI mapping here")),
        },
    };
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Ok(schema)
}

/// What a sync changed, for the maintainer.
#[derive(Debug, Clone, Default)]
pub struct SyncSummary {
    /// `schema.property` or `schema.member` added.
    pub added: Vec<String>,
    /// `schema.property` or `schema.member` removed.
    pub removed: Vec<String>,
    /// Properties whose type changed.
    pub retyped: Vec<String>,
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
        Ok(())
    }
}

/// Rewrite `spec`'s component schemas from `csdl` (see the module's documentation).
pub fn sync(csdl: &Csdl, spec: &mut Value) -> Result<SyncSummary, String> {
    let roots = roots(spec)?;
    if let Some(missing) = roots.iter().find(|root| !csdl.types.contains_key(*root)) {
        return Err(format!(
            "the metadata has no `{missing}`, a root the spec names in `{ROOTS}`"
        ));
    }
    let expanded = csdl.with_expanded(&expand(spec)?)?;
    let csdl = &expanded;
    let reachable = csdl.reachable(&roots);
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .ok_or("the spec has no components/schemas")?;
    let mut summary = SyncSummary::default();
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
                sync_structured(name, full, &properties, old.as_ref(), &mut summary)?
            }
            None => continue,
        };
        synced.insert(name.to_owned(), schema);
    }
    // Each schema where it was, the synced ones rewritten; a schema that an earlier sync
    // wrote (it has `x-graph-type`) and that is no longer reached is dropped; new ones
    // go at the end.
    let mut out = Map::new();
    for (name, schema) in schemas.iter() {
        match synced.remove(name) {
            Some(new) => {
                out.insert(name.clone(), new);
            }
            None if schema.get(GRAPH_TYPE).is_some() => {
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
    let Some(list) = spec.get(EXPAND) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = Vec::new();
    let entries = list
        .as_array()
        .ok_or_else(|| format!("`{EXPAND}` must be a list of `type/property` names"))?;
    for entry in entries {
        let name = entry
            .as_str()
            .ok_or_else(|| format!("`{EXPAND}` lists `{entry}`, which is not a string"))?;
        if names.iter().any(|n| n == name) {
            return Err(format!("`{EXPAND}` lists `{name}` twice"));
        }
        names.push(name.to_owned());
    }
    Ok(names)
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
    let new_members: Vec<String> = members.iter().map(|(m, _)| m.clone()).collect();
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
    for property in properties {
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
            "type" | "description" | "properties" | GRAPH_TYPE
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
