//! FHIR R4 Bundle → Site, with a report of what was used, skipped and not understood.
//!
//! Tolerant where the data is merely unfamiliar (unknown resource types and extensions are counted and
//! listed; an invalid NHS number leaves the patient without one and says so loudly), strict where it
//! is broken: a resource of the wrong JSON shape, without an id, or with an unreadable date is an
//! [`ImportError`] naming the entry, the resource and the field, because guessing there could put the
//! wrong thing on a ward's screen.

#![allow(
    clippy::single_match_else,
    reason = "a `match` whose `None` arm warns reads as the rule it is: value, or warn and fall back"
)]
#![allow(
    clippy::many_single_char_names,
    reason = "`r` is the resource and `d` the dosage throughout this module"
)]
#![allow(
    clippy::assigning_clones,
    reason = "run once per resource; clarity over a saved allocation"
)]
#![allow(
    clippy::too_many_lines,
    reason = "each mapping reads its resource top to bottom, field by field"
)]

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use lamplight_model::medication::is_time_critical_by_name;
use lamplight_model::nhs_number::NHS_NUMBER_SYSTEM;
use lamplight_model::{
    Administration, AdministrationOutcome, Admission, Alert, AlertKind, Allergy, AllergyCategory, Bay, Bed,
    BedStatus, BodyWeight, Code, Concept, Consciousness, Criticality, Dose, ImportNote, MedicationOrder,
    NhsNumber, NoteKind, ObservationSet, OmissionReason, OrderStatus, Oxygen, Patient, PendingTest,
    PersonName, Priority, Schedule, Sex, Site, Spo2Scale, TestCategory, Verification, Ward, time,
};
use sonic_rs::{JsonContainerTrait as _, JsonNumberTrait as _, JsonType, JsonValueTrait as _, Value};

use crate::ext;
use crate::json::{self, vital};

/// Why a bundle could not be imported. Nothing is imported when this is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error(
        "the file is not UTF-8 text: {}; FHIR JSON is always UTF-8, so export the bundle again from the source system",
        if *cut_off { format!("it ends part-way through a character at byte {offset}, as if cut off") } else { format!("byte {offset} (counting from 0) is not part of a UTF-8 character") }
    )]
    NotUtf8 {
        /// Offset of the first byte that is not UTF-8.
        offset: usize,
        /// The bytes stop part-way through a character: a file still being written, or one cut short.
        cut_off: bool,
    },
    #[error("the file is not JSON ({0}); export the bundle again from the source system")]
    NotJson(NotJson),
    #[error(
        "expected a FHIR R4 Bundle (a JSON object with \"resourceType\": \"Bundle\"), found {found}; check that the file is a FHIR JSON export"
    )]
    NotABundle { found: String },
    #[error(
        "entry {entry} ({resource}): `{path}` {problem}; correct this resource in the source system (or remove the entry) and import again"
    )]
    Malformed {
        /// Index of the entry in `Bundle.entry`.
        entry: usize,
        /// `Type/id`, or `Type (no id)`.
        resource: String,
        /// The field, as a FHIRPath-like path (`dosageInstruction[0].timing.event[0]`).
        path: String,
        problem: String,
    },
    #[error(
        "entries {first} and {entry} are both {resource}: a bundle holds each resource once, so Lamplight cannot tell which is right; export the bundle again from the source system (or remove one of them) and import again"
    )]
    DuplicateId {
        /// Index in `Bundle.entry` of the first resource with this type and id.
        first: usize,
        /// Index of the second.
        entry: usize,
        /// `Type/id`.
        resource: String,
    },
}

impl ImportError {
    /// Whether the input stops part-way through (a file still being written, or cut short), so that
    /// a folder watcher can wait for the rest before calling it broken.
    pub fn is_cut_off(&self) -> bool {
        match self {
            ImportError::NotJson(n) => n.cut_off,
            ImportError::NotUtf8 { cut_off, .. } => *cut_off,
            _ => false,
        }
    }
}

/// Where and why a text is not JSON. It quotes nothing of the text: a bundle's bytes are patient data,
/// and this message goes to terminals and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJson {
    pub line: usize,
    pub column: usize,
    /// What the parser found wrong (`Invalid literal`...), without the text.
    pub problem: String,
    /// The text stops part-way through: a file still being written, or one cut short.
    pub cut_off: bool,
}

impl fmt::Display for NotJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.problem, self.line, self.column
        )
    }
}

impl NotJson {
    /// Text nested deeper than [`MAX_NESTING`] at byte `offset`.
    fn too_deep(text: &str, offset: usize) -> Self {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        NotJson {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            problem: format!(
                "its arrays and objects nest more than {MAX_NESTING} deep, far deeper than any FHIR resource"
            ),
            cut_off: false,
        }
    }

    /// Describes a parse failure of `text`.
    fn of(e: &sonic_rs::Error, text: &str) -> Self {
        // A text cut short is often reported as a missing `,` or `]` where the text stops.
        let cut_off = e.is_eof() || e.offset() >= text.trim_end().len();
        // sonic_rs's own message appends the text around the fault: keep only its fixed first part.
        let problem = match e.classify() {
            _ if cut_off => "the text ends too soon, as if cut off".to_owned(),
            sonic_rs::error::Category::Syntax => {
                let full = e.to_string();
                full.split(" at line ")
                    .next()
                    .unwrap_or("invalid JSON")
                    .to_owned()
            }
            _ => "it cannot be read as JSON".to_owned(),
        };
        NotJson {
            line: e.line(),
            column: e.column(),
            problem,
            cut_off,
        }
    }
}

/// Something imported with a caveat a person should read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    pub entry: Option<usize>,
    /// `Type/id`, or `Bundle`.
    pub resource: String,
    /// What kind of thing was left out or changed: what the board's notice counts.
    pub kind: NoteKind,
    /// The patient the record is about, where the importer knows it.
    pub patient_id: Option<String>,
    /// What was done and why. Ids and codes only: it goes to terminals and logs.
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(e) => write!(f, "entry {e} ({}): {}", self.resource, self.message),
            None => write!(f, "{}: {}", self.resource, self.message),
        }
    }
}

/// What an import used, skipped and did not understand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// `collection`, `transaction`, `batch`, `searchset`... (`single resource` when not a Bundle).
    pub bundle_type: String,
    pub entries: usize,
    /// Resources mapped into the site, per resource type.
    pub imported: BTreeMap<String, usize>,
    /// Resources of a known type left out on purpose (finished encounters, lab results, inactive flags...).
    pub skipped: BTreeMap<String, usize>,
    /// Resource types Lamplight does not read, with how many of each.
    pub unknown_resource_types: BTreeMap<String, usize>,
    /// Extension URLs Lamplight does not read, with how many times each was seen.
    pub unknown_extensions: BTreeMap<String, usize>,
    pub warnings: Vec<ImportWarning>,
}

impl ImportReport {
    /// The warnings as notes to keep with the snapshot (see [`lamplight_model::notice`]).
    pub fn notes(&self) -> Vec<ImportNote> {
        self.warnings
            .iter()
            .map(|w| ImportNote {
                kind: w.kind,
                resource: w.resource.clone(),
                patient_id: w.patient_id.clone(),
                detail: w.to_string(),
            })
            .collect()
    }

    /// One line for logs and the command line (counts only: never patient data).
    pub fn summary(&self) -> String {
        let imported: usize = self.imported.values().sum();
        let skipped: usize = self.skipped.values().sum();
        let unknown: usize = self.unknown_resource_types.values().sum();
        format!(
            "{} bundle, {} entries: {imported} imported, {skipped} skipped, {unknown} of unknown types, {} unknown extensions, {} warnings",
            self.bundle_type,
            self.entries,
            self.unknown_extensions.len(),
            self.warnings.len()
        )
    }
}

/// Reads a bundle from JSON text: the fast path for a site-sized file.
///
/// The text is parsed by `sonic_rs` into an arena-backed tree: for a 1,500-bed site (140 MB) that is
/// about four times faster to build, and many times faster to free, than a `serde_json::Value`.
pub fn import_str(text: &str) -> Result<(Site, ImportReport), ImportError> {
    if let Some(offset) = nested_too_deep(text) {
        return Err(ImportError::NotJson(NotJson::too_deep(text, offset)));
    }
    let value: Value = sonic_rs::from_str(text).map_err(|e| ImportError::NotJson(NotJson::of(&e, text)))?;
    import_tree(&value)
}

/// The deepest nesting of arrays and objects read. A UK Core bundle nests about a dozen levels, and
/// serde_json, which reads what the EPR sends, stops at 128 too. `sonic_rs` builds its tree by
/// recursion with no limit of its own, so 20,000 `[` overflowed the stack and killed the process
/// (the watcher of a drop folder with it) before any error could be given: found by fuzzing.
const MAX_NESTING: usize = 128;

/// Where the text first nests deeper than [`MAX_NESTING`], if it does: one pass over its bytes,
/// skipping strings, before the parser recurses.
fn nested_too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Reads a bundle from the bytes of a file: checks they are UTF-8 first, so a file in another encoding
/// is refused with the offset of its first bad byte (and nothing of its contents), then reads it as
/// [`import_str`] does. A UTF-8 byte order mark is allowed and ignored.
pub fn import_bytes(bytes: &[u8]) -> Result<(Site, ImportReport), ImportError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let skipped = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let text = std::str::from_utf8(&bytes[skipped..]).map_err(|e| ImportError::NotUtf8 {
        offset: skipped + e.valid_up_to(),
        cut_off: e.error_len().is_none(),
    })?;
    import_str(text)
}

/// Reads a bundle already held as a `serde_json::Value` (as the EPR client fetches it).
///
/// # Panics
/// Never: a `serde_json::Value` is always valid JSON, so copying it into a `sonic_rs` tree cannot fail.
pub fn import(bundle: &serde_json::Value) -> Result<(Site, ImportReport), ImportError> {
    let tree = sonic_rs::to_value(bundle).expect("a serde_json::Value is always valid JSON");
    import_tree(&tree)
}

/// Resource types mapped into the site, in the order they are read.
const MAPPED: &[&str] = &[
    "Organization",
    "Location",
    "Patient",
    "Encounter",
    "AllergyIntolerance",
    "Flag",
    "MedicationRequest",
    "MedicationAdministration",
    "ServiceRequest",
    "Observation",
];

/// Types read only to resolve references (a Medication named by a MedicationRequest).
const SUPPORTING: &[&str] = &["Medication"];

/// Reads a FHIR R4 Bundle (or a single resource) into a site.
fn import_tree(bundle: &Value) -> Result<(Site, ImportReport), ImportError> {
    let Some(rtype) = bundle.get("resourceType").and_then(Value::as_str) else {
        return Err(ImportError::NotABundle {
            found: describe(bundle),
        });
    };
    let mut report = ImportReport::default();
    let single;
    let entries: Vec<&Value> = if rtype == "Bundle" {
        report.bundle_type = bundle
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned();
        match bundle.get("entry").map(|e| (e, e.as_array())) {
            None => Vec::new(),
            Some((_, Some(a))) => a.iter().collect(),
            Some((other, None)) => {
                return Err(ImportError::NotABundle {
                    found: format!("a Bundle whose `entry` is {}", describe(other)),
                });
            }
        }
    } else {
        report.bundle_type = "single resource".to_owned();
        single = sonic_rs::json!({ "resource": bundle.clone() });
        vec![&single]
    };
    report.entries = entries.len();

    // First pass: every resource with its entry index, type and id; fullUrls for references.
    let mut resources: Vec<Res<'_>> = Vec::new();
    let mut full_urls: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut first_entry: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if !entry.is_object() {
            return Err(malformed(
                i,
                "Bundle entry",
                format_args!("entry[{i}]"),
                &format!("should be an object but is {}", describe(entry)),
            ));
        }
        let Some(resource) = entry.get("resource") else {
            *report
                .skipped
                .entry("(entry without a resource)".to_owned())
                .or_default() += 1;
            continue;
        };
        let Some(rtype) = resource.get("resourceType").and_then(Value::as_str) else {
            return Err(malformed(
                i,
                "resource",
                "resourceType",
                "is missing: every FHIR resource names its type",
            ));
        };
        let full_url = entry.get("fullUrl").and_then(Value::as_str);
        let id = match resource
            .get("id")
            .filter(|v| !v.is_null())
            .map(|v| (v, v.as_str()))
        {
            Some((_, Some(s))) if !s.is_empty() => s,
            Some((v, None)) => {
                return Err(malformed(
                    i,
                    &format!("{rtype} (no id)"),
                    "id",
                    &format!("should be a string but is {}", describe(v)),
                ));
            }
            _ => match full_url.and_then(|u| u.strip_prefix("urn:uuid:")) {
                Some(uuid) => uuid,
                None if MAPPED.contains(&rtype) => {
                    return Err(malformed(
                        i,
                        &format!("{rtype} (no id)"),
                        "id",
                        "is missing, and the entry has no urn:uuid fullUrl to stand for it",
                    ));
                }
                None => "",
            },
        };
        if let Some(u) = full_url {
            full_urls.insert(u, (rtype, id));
        }
        // Two resources with one type and id would be two records under one key: refuse the bundle
        // rather than keep either, naming both entries.
        if MAPPED.contains(&rtype)
            && let Some(first) = first_entry.insert((rtype, id), i)
        {
            return Err(ImportError::DuplicateId {
                first,
                entry: i,
                resource: format!("{rtype}/{id}"),
            });
        }
        resources.push(Res {
            v: resource,
            entry: i,
            rtype,
            id,
        });
    }
    for r in &resources {
        if !MAPPED.contains(&r.rtype) && !SUPPORTING.contains(&r.rtype) {
            *report
                .unknown_resource_types
                .entry(r.rtype.to_owned())
                .or_default() += 1;
        }
    }

    let extracted_at = match bundle
        .get("timestamp")
        .or_else(|| bundle.pointer(["meta", "lastUpdated"]))
    {
        Some(v) => {
            let bundle_res = Res {
                v: bundle,
                entry: 0,
                rtype: "Bundle",
                id: "",
            };
            Some(bundle_res.instant_value(v, "timestamp")?)
        }
        None => {
            report.warnings.push(ImportWarning {
                entry: None,
                resource: "Bundle".into(),
                kind: NoteKind::AgeUnknown,
                patient_id: None,
                message: "has no timestamp: the age of this data is unknown, so it is shown as unknown and treated as stale"
                    .into(),
            });
            None
        }
    };

    let mut medications = HashMap::new();
    for (i, r) in resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.rtype == "Medication")
    {
        medications.entry(r.id).or_insert(i);
    }
    let mut cx = Cx {
        report,
        full_urls: &full_urls,
        nhs_numbers: HashMap::new(),
        medications: &medications,
        resources: &resources,
        site: Site::empty("Imported bundle", extracted_at),
    };
    cx.organizations()?;
    cx.locations()?;
    for r in resources.iter().filter(|r| r.rtype == "Patient") {
        cx.patient(r)?;
    }
    for p in &cx.site.patients {
        if let Some(n) = p.nhs_number {
            cx.nhs_numbers
                .entry(n.digits().clone())
                .or_insert_with(|| p.id.clone());
        }
    }

    // Observations are most of a site's resources, and need nothing the other clinical resources
    // make: they are read on the second core while this one reads the rest and surveys unknown
    // extensions. The reports are merged in the order a single pass would have written them.
    let mut vitals = Cx {
        report: ImportReport::default(),
        nhs_numbers: cx.nhs_numbers.clone(),
        site: Site::empty("", extracted_at),
        ..cx
    };
    let (rest, (extensions, observed)) = std::thread::scope(|scope| {
        let second = scope.spawn(|| vitals.observations().map(|()| vitals));
        let rest = (|| {
            for r in &resources {
                match r.rtype {
                    "Encounter" => cx.encounter(r)?,
                    "AllergyIntolerance" => cx.allergy(r)?,
                    "Flag" => cx.flag(r)?,
                    "MedicationRequest" => cx.medication_request(r)?,
                    "MedicationAdministration" => cx.medication_administration(r)?,
                    "ServiceRequest" => cx.service_request(r)?,
                    _ => {}
                }
            }
            Ok::<_, ImportError>(cx)
        })();
        let mut extensions = ImportReport::default();
        for r in &resources {
            count_extensions(r.v, &mut extensions, r, false);
        }
        (
            rest,
            (
                extensions,
                second.join().expect("the observation reader does not panic"),
            ),
        )
    });
    let (mut cx, vitals) = (rest?, observed?);
    let mut report = extensions;
    report.bundle_type = cx.report.bundle_type;
    report.entries = cx.report.entries;
    report.unknown_resource_types = cx.report.unknown_resource_types;
    report.warnings.append(&mut cx.report.warnings);
    for part in [cx.report.imported, vitals.report.imported] {
        for (k, n) in part {
            *report.imported.entry(k).or_default() += n;
        }
    }
    for part in [cx.report.skipped, vitals.report.skipped] {
        for (k, n) in part {
            *report.skipped.entry(k).or_default() += n;
        }
    }
    report.warnings.extend(vitals.report.warnings);
    cx.site.observations = vitals.site.observations;
    cx.site.weights = vitals.site.weights;
    // What was left out or changed travels with the site into the sealed snapshot.
    cx.site.notes = report.notes();
    Ok((cx.site, report))
}

/// A string's shape for an error (`a string of 8 characters`), not its text.
fn shape(s: &str) -> String {
    match s.chars().count() {
        1 => "a string of 1 character".to_owned(),
        n => format!("a string of {n} characters"),
    }
}

/// What a value is, never what it says: an error names the entry and the path, and must not carry a
/// name, a date of birth or an NHS number into a log, a screen or a `.error.txt` beside the drop.
fn describe(v: &Value) -> String {
    match v.get_type() {
        JsonType::Null => "null".into(),
        JsonType::Boolean => "a boolean".into(),
        JsonType::Number => "a number".into(),
        JsonType::String => shape(v.as_str().unwrap_or_default()),
        JsonType::Array => "an array".into(),
        JsonType::Object => match v.get("resourceType").and_then(Value::as_str) {
            Some(t) => format!("a {t}"),
            None => "an object without a resourceType".into(),
        },
    }
}

fn malformed(entry: usize, resource: &str, path: impl fmt::Display, problem: &str) -> ImportError {
    ImportError::Malformed {
        entry,
        resource: resource.to_owned(),
        path: path.to_string(),
        problem: problem.to_owned(),
    }
}

/// Counts extension URLs Lamplight does not read. The parts of a complex extension belong to it and
/// are not counted again.
fn count_extensions(v: &Value, report: &mut ImportReport, r: &Res<'_>, inside: bool) {
    if let Some(m) = v.as_object() {
        {
            for (key, child) in m {
                let modifier = key == "modifierExtension";
                if (key == "extension" || modifier)
                    && !inside
                    && let Some(list) = child.as_array()
                {
                    for e in list {
                        let url = e.get("url").and_then(Value::as_str).unwrap_or("(no url)");
                        let known = ext::KNOWN_EXTENSIONS.contains(&url) || url == json::NHS_VERIFICATION_EXT;
                        if !known {
                            *report.unknown_extensions.entry(url.to_owned()).or_default() += 1;
                            if modifier {
                                report.warnings.push(ImportWarning {
                                    entry: Some(r.entry),
                                    resource: r.label(),
                                    kind: NoteKind::Other,
                                    patient_id: None,
                                    message: format!(
                                        "has a modifier extension Lamplight does not understand ({url}): it may change the meaning of this record; check it in the EPR"
                                    ),
                                });
                            }
                        }
                        count_extensions(e, report, r, true);
                    }
                } else if key != "extension" && key != "modifierExtension" {
                    count_extensions(child, report, r, false);
                }
            }
        }
    } else if let Some(a) = v.as_array() {
        a.iter().for_each(|c| count_extensions(c, report, r, false));
    }
}

/// `node[key]`, where JSON `null` counts as absent (as FHIR has it).
fn present<'v>(node: &'v Value, key: &str) -> Option<&'v Value> {
    node.get(key).filter(|v| !v.is_null())
}

/// One resource being read, for error messages that name it.
#[derive(Debug)]
struct Res<'a> {
    v: &'a Value,
    entry: usize,
    rtype: &'a str,
    id: &'a str,
}

type R<T> = Result<T, ImportError>;

impl Res<'_> {
    fn label(&self) -> String {
        if self.id.is_empty() {
            format!("{} (no id)", self.rtype)
        } else {
            format!("{}/{}", self.rtype, self.id)
        }
    }

    fn err(&self, path: impl fmt::Display, problem: &str) -> ImportError {
        malformed(self.entry, &self.label(), path, problem)
    }

    fn wrong(&self, path: impl fmt::Display, expected: &str, v: &Value) -> ImportError {
        self.err(path, &format!("should be {expected} but is {}", describe(v)))
    }

    /// An optional string at `node[key]`.
    fn str<'v>(&self, node: &'v Value, key: &str, path: impl fmt::Display) -> R<Option<&'v str>> {
        match present(node, key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| self.wrong(path, "a string", v)),
        }
    }

    fn array<'v>(&self, node: &'v Value, key: &str, path: impl fmt::Display) -> R<&'v [Value]> {
        match present(node, key) {
            None => Ok(&[]),
            Some(v) => v
                .as_array()
                .map(sonic_rs::Array::as_slice)
                .ok_or_else(|| self.wrong(path, "an array", v)),
        }
    }

    fn object<'v>(&self, node: &'v Value, key: &str, path: impl fmt::Display) -> R<Option<&'v Value>> {
        match present(node, key) {
            None => Ok(None),
            Some(v) if v.is_object() => Ok(Some(v)),
            Some(v) => Err(self.wrong(path, "an object", v)),
        }
    }

    fn number(&self, node: &Value, key: &str, path: impl fmt::Display) -> R<Option<sonic_rs::Number>> {
        match present(node, key) {
            None => Ok(None),
            Some(v) => v
                .as_number()
                .map(Some)
                .ok_or_else(|| self.wrong(path, "a number", v)),
        }
    }

    /// A FHIR dateTime or instant. Partial dates (`2024`, `2024-05`, `2024-05-01`) mean the start of
    /// that period in London.
    fn instant_value(&self, v: &Value, path: impl fmt::Display) -> R<DateTime<Utc>> {
        let Some(s) = v.as_str() else {
            return Err(self.wrong(path, "a date-time string", v));
        };
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        let date = match s.len() {
            4 => NaiveDate::parse_from_str(&format!("{s}-01-01"), "%Y-%m-%d").ok(),
            7 => NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok(),
            10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => None,
        };
        date.map(|d| time::instant_of(d, NaiveTime::MIN)).ok_or_else(|| {
            self.err(
                path,
                &format!(
                    "is not a FHIR date-time ({}; expected e.g. 2026-11-04T03:01:00Z)",
                    shape(s)
                ),
            )
        })
    }

    fn instant(&self, node: &Value, key: &str, path: impl fmt::Display) -> R<Option<DateTime<Utc>>> {
        match present(node, key) {
            None => Ok(None),
            Some(v) => self.instant_value(v, path).map(Some),
        }
    }

    fn date(&self, node: &Value, key: &str, path: impl fmt::Display) -> R<Option<NaiveDate>> {
        match self.str(node, key, &path)? {
            None => Ok(None),
            Some(s) => match s.len() {
                10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| {
                    self.err(
                        path,
                        &format!("is not a date ({}; expected yyyy-mm-dd)", shape(s)),
                    )
                }),
                4 | 7 if s[..4].bytes().all(|b| b.is_ascii_digit()) => Ok(None),
                _ => Err(self.err(
                    path,
                    &format!("is not a date ({}; expected yyyy-mm-dd)", shape(s)),
                )),
            },
        }
    }

    /// The codes of a CodeableConcept, checked as [`Res::concept`] checks them but not copied: for
    /// the tens of thousands of vital signs in a site, whose code is all that is needed of it.
    fn codes<'v>(&self, node: &'v Value, key: &str, path: impl fmt::Display) -> R<Vec<&'v str>> {
        let Some(cc) = self.object(node, key, &path)? else {
            return Ok(Vec::new());
        };
        let mut codes = Vec::new();
        for (i, c) in self
            .array(cc, "coding", format_args!("{path}.coding"))?
            .iter()
            .enumerate()
        {
            if let (Some(_), Some(code)) = (
                self.str(c, "system", format_args!("{path}.coding[{i}].system"))?,
                self.str(c, "code", format_args!("{path}.coding[{i}].code"))?,
            ) {
                self.str(c, "display", format_args!("{path}.coding[{i}].display"))?;
                codes.push(code);
            }
        }
        self.str(cc, "text", format_args!("{path}.text"))?;
        Ok(codes)
    }

    /// A CodeableConcept: its text, or the display or code of its first coding.
    fn concept(&self, node: &Value, key: &str, path: impl fmt::Display) -> R<Option<Concept>> {
        let Some(cc) = self.object(node, key, &path)? else {
            return Ok(None);
        };
        concept_of(self, cc, path).map(Some)
    }
}

fn concept_of(r: &Res<'_>, cc: &Value, path: impl fmt::Display) -> R<Concept> {
    if !cc.is_object() {
        return Err(r.wrong(path, "a CodeableConcept object", cc));
    }
    let mut codes = Vec::new();
    for (i, c) in r
        .array(cc, "coding", format_args!("{path}.coding"))?
        .iter()
        .enumerate()
    {
        let p = format!("{path}.coding[{i}]");
        let (Some(system), Some(code)) = (
            r.str(c, "system", format_args!("{p}.system"))?,
            r.str(c, "code", format_args!("{p}.code"))?,
        ) else {
            continue;
        };
        codes.push(Code {
            system: system.to_owned(),
            code: code.to_owned(),
            display: r
                .str(c, "display", format_args!("{p}.display"))?
                .map(str::to_owned),
        });
    }
    let text = match r.str(cc, "text", format_args!("{path}.text"))? {
        Some(t) => t.to_owned(),
        None => codes
            .first()
            .map(|c| c.display.clone().unwrap_or_else(|| c.code.clone()))
            .unwrap_or_default(),
    };
    Ok(Concept { text, codes })
}

fn has_code(c: &Concept, codes: &[&str]) -> bool {
    c.codes.iter().any(|k| codes.contains(&k.code.as_str()))
}

struct Cx<'a> {
    report: ImportReport,
    /// `fullUrl` → `Type/id`.
    full_urls: &'a HashMap<&'a str, (&'a str, &'a str)>,
    /// NHS number digits → patient id (the first patient with that number), once patients are read.
    nhs_numbers: HashMap<String, String>,
    /// Medication id → its index in `resources` (the first with that id).
    medications: &'a HashMap<&'a str, usize>,
    resources: &'a [Res<'a>],
    site: Site,
}

/// What a Location is on a ward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Ward,
    Bay,
    Bed,
}

impl Cx<'_> {
    /// Notes a caveat about `r` that the board counts as "needs checking".
    fn warn(&mut self, r: &Res<'_>, message: String) {
        self.note(r, NoteKind::Other, message);
    }

    /// Notes something about `r` left out or changed.
    fn note(&mut self, r: &Res<'_>, kind: NoteKind, message: String) {
        self.note_about(r, kind, None, message);
    }

    /// Notes something about `r`, a record of patient `patient_id`, left out or changed.
    fn note_about(&mut self, r: &Res<'_>, kind: NoteKind, patient_id: Option<&str>, message: String) {
        self.report.warnings.push(ImportWarning {
            entry: Some(r.entry),
            resource: r.label(),
            kind,
            patient_id: patient_id.map(str::to_owned),
            message,
        });
    }

    /// The time to show for a record that gives none: when the data was extracted. When that is not
    /// known either (the bundle has no timestamp, and its own note says so) there is no honest
    /// time left, and the Unix epoch stands in, which no one can mistake for a real one.
    fn data_time(&self) -> DateTime<Utc> {
        self.site.extracted_at.unwrap_or(DateTime::UNIX_EPOCH)
    }

    fn imported(&mut self, r: &Res<'_>) {
        *self.report.imported.entry(r.rtype.to_owned()).or_default() += 1;
    }

    fn skipped(&mut self, r: &Res<'_>) {
        *self.report.skipped.entry(r.rtype.to_owned()).or_default() += 1;
    }

    /// The id a Reference points at: `Type/id`, an absolute URL ending so, or a fullUrl in the bundle.
    fn reference(
        &mut self,
        r: &Res<'_>,
        node: &Value,
        key: &str,
        path: impl fmt::Display,
    ) -> R<Option<String>> {
        let Some(reference) = r.object(node, key, &path)? else {
            return Ok(None);
        };
        self.reference_in(r, reference, path)
    }

    /// The id a Reference object points at (see [`Cx::reference`]).
    fn reference_in(&mut self, r: &Res<'_>, reference: &Value, path: impl fmt::Display) -> R<Option<String>> {
        if let Some(s) = r.str(reference, "reference", format_args!("{path}.reference"))? {
            if let Some((_, id)) = self.full_urls.get(s) {
                return Ok(Some((*id).to_owned()));
            }
            if s.starts_with("urn:uuid:") || s.starts_with('#') {
                self.warn(r, format!("`{path}` points at {s}, which is not in this bundle"));
                return Ok(Some(
                    s.trim_start_matches("urn:uuid:")
                        .trim_start_matches('#')
                        .to_owned(),
                ));
            }
            let s = s.split("/_history/").next().unwrap_or(s);
            return Ok(s.rsplit('/').next().map(str::to_owned));
        }
        // A reference by NHS number alone: find the patient it names.
        if let Some(identifier) = r.object(reference, "identifier", format_args!("{path}.identifier"))?
            && r.str(identifier, "system", format_args!("{path}.identifier.system"))?
                == Some(NHS_NUMBER_SYSTEM)
            && let Some(value) = r.str(identifier, "value", format_args!("{path}.identifier.value"))?
        {
            if let Some(id) = self.nhs_numbers.get(&value.replace(' ', "")) {
                return Ok(Some(id.clone()));
            }
            self.warn(
                r,
                format!("`{path}` names an NHS number that no patient in this bundle has"),
            );
            return Ok(Some(format!("nhs-{value}")));
        }
        Ok(None)
    }

    fn required_reference(&mut self, r: &Res<'_>, key: &str) -> R<String> {
        self.reference(r, r.v, key, key)?
            .ok_or_else(|| r.err(key, "is missing: Lamplight cannot tell whose record this is"))
    }

    fn organizations(&mut self) -> R<()> {
        let resources = self.resources;
        let mut named = false;
        for r in resources.iter().filter(|r| r.rtype == "Organization") {
            if let Some(name) = r.str(r.v, "name", "name")?
                && (!named || r.id == crate::export::SITE_ORGANIZATION_ID)
            {
                self.site.name = name.to_owned();
                named = true;
            }
            self.imported(r);
        }
        Ok(())
    }

    fn locations(&mut self) -> R<()> {
        let resources = self.resources;
        // (id, kind, parent, resource) in bundle order.
        let mut places: Vec<(Place, Option<String>, &Res<'_>)> = Vec::new();
        for r in resources.iter().filter(|r| r.rtype == "Location") {
            let kind = r.concept(r.v, "physicalType", "physicalType")?.and_then(|c| {
                match c.code_in(json::LOCATION_TYPE) {
                    Some("wa") => Some(Place::Ward),
                    Some("ro") => Some(Place::Bay),
                    Some("bd") => Some(Place::Bed),
                    _ => None,
                }
            });
            let Some(kind) = kind else {
                self.skipped(r);
                continue;
            };
            let parent = self.reference(r, r.v, "partOf", "partOf")?;
            places.push((kind, parent, r));
        }
        let kind_of: HashMap<&str, Place> = places.iter().map(|(k, _, r)| (r.id, *k)).collect();
        for (kind, _, r) in &places {
            if *kind != Place::Ward {
                continue;
            }
            let name = r.str(r.v, "name", "name")?.unwrap_or(r.id).to_owned();
            let mut code = None;
            for (i, ident) in r.array(r.v, "identifier", "identifier")?.iter().enumerate() {
                let value = r.str(ident, "value", format_args!("identifier[{i}].value"))?;
                if code.is_none()
                    || r.str(ident, "system", format_args!("identifier[{i}].system"))?
                        == Some(ext::WARD_CODE_SYSTEM)
                {
                    code = value.map(str::to_owned);
                }
            }
            self.site.wards.push(Ward {
                id: r.id.to_owned(),
                code: code.unwrap_or_else(|| name.clone()),
                name,
                bays: Vec::new(),
            });
            self.imported(r);
        }
        for (kind, parent, r) in &places {
            if *kind != Place::Bay {
                continue;
            }
            let name = r.str(r.v, "name", "name")?.unwrap_or(r.id).to_owned();
            match self
                .site
                .wards
                .iter_mut()
                .find(|w| Some(&w.id) == parent.as_ref())
            {
                Some(ward) => {
                    ward.bays.push(Bay {
                        id: r.id.to_owned(),
                        name,
                        beds: Vec::new(),
                    });
                    self.imported(r);
                }
                None => {
                    self.note(
                        r,
                        NoteKind::LeftOut,
                        "is a room whose ward is not in this bundle: left out".into(),
                    );
                    self.skipped(r);
                }
            }
        }
        for (kind, parent, r) in &places {
            if *kind != Place::Bed {
                continue;
            }
            let label = r.str(r.v, "name", "name")?.unwrap_or(r.id).to_owned();
            let status = match r.object(r.v, "operationalStatus", "operationalStatus")? {
                Some(c) => match r.str(c, "code", "operationalStatus.code")? {
                    Some("C") => BedStatus::Closed,
                    Some("H") => BedStatus::Cleaning,
                    Some("K") => BedStatus::Contaminated,
                    _ => BedStatus::Open,
                },
                None => BedStatus::Open,
            };
            let bed = Bed {
                id: r.id.to_owned(),
                label,
                status,
            };
            let parent_id = parent.clone().unwrap_or_default();
            let attached = match kind_of.get(parent_id.as_str()) {
                Some(Place::Bay) => self
                    .site
                    .wards
                    .iter_mut()
                    .flat_map(|w| w.bays.iter_mut())
                    .find(|b| b.id == parent_id)
                    .map(|b| b.beds.push(bed))
                    .is_some(),
                Some(Place::Ward) => self
                    .site
                    .wards
                    .iter_mut()
                    .find(|w| w.id == parent_id)
                    .map(|w| {
                        // A bed straight under a ward goes in a bay standing for the open ward.
                        let bay_id = format!("{}-beds", w.id);
                        if !w.bays.iter().any(|b| b.id == bay_id) {
                            w.bays.push(Bay {
                                id: bay_id.clone(),
                                name: "Beds".into(),
                                beds: Vec::new(),
                            });
                        }
                        if let Some(b) = w.bays.iter_mut().find(|b| b.id == bay_id) {
                            b.beds.push(bed);
                        }
                    })
                    .is_some(),
                _ => false,
            };
            if attached {
                self.imported(r);
            } else {
                self.note(
                    r,
                    NoteKind::LeftOut,
                    "is a bed whose room or ward is not in this bundle: left out".into(),
                );
                self.skipped(r);
            }
        }
        Ok(())
    }

    fn patient(&mut self, r: &Res<'_>) -> R<()> {
        let mut nhs_number = None;
        let mut hospital_number = None;
        for (i, ident) in r.array(r.v, "identifier", "identifier")?.iter().enumerate() {
            let system = r.str(ident, "system", format_args!("identifier[{i}].system"))?;
            let value = r.str(ident, "value", format_args!("identifier[{i}].value"))?;
            let mr = match r.object(ident, "type", format_args!("identifier[{i}].type"))? {
                Some(t) => has_code(&concept_of(r, t, format_args!("identifier[{i}].type"))?, &["MR"]),
                None => false,
            };
            match (system, value) {
                (Some(NHS_NUMBER_SYSTEM), Some(v)) => match v.parse::<NhsNumber>() {
                    Ok(n) => nhs_number = Some(n),
                    Err(e) => self.note_about(
                        r,
                        NoteKind::NhsNumberNotValid,
                        Some(r.id),
                        format!(
                            "ITS NHS NUMBER IS NOT VALID ({e}): the patient is imported WITHOUT an NHS number; check their identity against the wristband and the EPR"
                        ),
                    ),
                },
                (s, Some(v)) if mr || s == Some(ext::HOSPITAL_NUMBER_SYSTEM) => {
                    hospital_number.get_or_insert_with(|| v.to_owned());
                }
                _ => {}
            }
        }
        let names = r.array(r.v, "name", "name")?;
        let mut chosen = names.first().map(|n| (0, n));
        for (i, n) in names.iter().enumerate() {
            if r.str(n, "use", format_args!("name[{i}].use"))? == Some("official") {
                chosen = Some((i, n));
                break;
            }
        }
        let name = match chosen {
            Some((i, n)) => {
                let given = r
                    .array(n, "given", format_args!("name[{i}].given"))?
                    .iter()
                    .enumerate()
                    .map(|(g, v)| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| r.wrong(format_args!("name[{i}].given[{g}]"), "a string", v))
                    })
                    .collect::<R<Vec<_>>>()?;
                let prefix = r
                    .array(n, "prefix", format_args!("name[{i}].prefix"))?
                    .first()
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let mut family = r
                    .str(n, "family", format_args!("name[{i}].family"))?
                    .unwrap_or_default()
                    .to_owned();
                if family.is_empty() && given.is_empty() {
                    family = r
                        .str(n, "text", format_args!("name[{i}].text"))?
                        .unwrap_or_default()
                        .to_owned();
                }
                PersonName {
                    family,
                    given,
                    prefix,
                }
            }
            None => {
                self.warn(r, "has no name: shown as UNKNOWN".into());
                PersonName {
                    family: String::new(),
                    given: Vec::new(),
                    prefix: None,
                }
            }
        };
        let sex = match r.str(r.v, "gender", "gender")? {
            Some("male") => Sex::Male,
            Some("female") => Sex::Female,
            Some("other") => Sex::Other,
            _ => Sex::Unknown,
        };
        let birth_date = r.date(r.v, "birthDate", "birthDate")?;
        self.site.patients.push(Patient {
            id: r.id.to_owned(),
            nhs_number,
            hospital_number,
            name,
            birth_date,
            sex,
        });
        self.imported(r);
        Ok(())
    }

    fn place_of(&self, id: &str) -> Option<(Place, String)> {
        for w in &self.site.wards {
            if w.id == id {
                return Some((Place::Ward, w.id.clone()));
            }
            for b in &w.bays {
                if b.id == id {
                    return Some((Place::Bay, w.id.clone()));
                }
                if b.beds.iter().any(|bed| bed.id == id) {
                    return Some((Place::Bed, w.id.clone()));
                }
            }
        }
        None
    }

    fn encounter(&mut self, r: &Res<'_>) -> R<()> {
        let status = r.str(r.v, "status", "status")?.unwrap_or("unknown");
        if !matches!(status, "in-progress" | "arrived" | "onleave" | "triaged") {
            self.skipped(r);
            return Ok(());
        }
        let patient_id = self.required_reference(r, "subject")?;
        let period = r.object(r.v, "period", "period")?;
        let admitted_at = match period {
            Some(p) => r.instant(p, "start", "period.start")?,
            None => None,
        };
        let admitted_at = admitted_at.unwrap_or_else(|| {
            self.warn(
                r,
                "has no period.start: the admission time is unknown and shown as the data's time".into(),
            );
            self.data_time()
        });
        let mut ward_id = None;
        let mut bed_id = None;
        let mut unknown = None;
        for (i, l) in r.array(r.v, "location", "location")?.iter().enumerate() {
            let Some(id) = self.reference(r, l, "location", format_args!("location[{i}].location"))? else {
                continue;
            };
            if let Some(s) = r.str(l, "status", format_args!("location[{i}].status"))?
                && s != "active"
            {
                continue;
            }
            match self.place_of(&id) {
                Some((Place::Bed, ward)) => {
                    bed_id = Some(id);
                    ward_id.get_or_insert(ward);
                }
                Some((_, ward)) => ward_id = Some(ward),
                None => {
                    unknown.get_or_insert(id);
                }
            }
        }
        // A patient with no bed is never dropped: on their ward's board when the ward is known, on the
        // site census otherwise, as "no bed recorded". Only a location that could not be placed is a
        // note; a patient on a known ward with no bed (awaiting one) is a ward's ordinary business.
        let listed = match &ward_id {
            Some(w) => format!("listed on ward {w} with no bed recorded"),
            None => "listed on the site census with no bed recorded".to_owned(),
        };
        match (&bed_id, unknown) {
            (None, Some(place)) => self.note_about(
                r,
                NoteKind::NoBedRecorded,
                Some(&patient_id),
                format!("is at location {place}, which is not in this bundle: {listed}"),
            ),
            (None, None) if ward_id.is_none() => self.note_about(
                r,
                NoteKind::NoBedRecorded,
                Some(&patient_id),
                format!("names no active location: {listed}"),
            ),
            _ => {}
        }
        let mut consultant = None;
        for (i, p) in r.array(r.v, "participant", "participant")?.iter().enumerate() {
            if let Some(ind) = r.object(p, "individual", format_args!("participant[{i}].individual"))?
                && let Some(d) = r.str(
                    ind,
                    "display",
                    format_args!("participant[{i}].individual.display"),
                )?
            {
                consultant = Some(d.to_owned());
                break;
            }
        }
        let specialty = match r.v.get("serviceType") {
            Some(_) => r
                .concept(r.v, "serviceType", "serviceType")?
                .map(|c| c.text)
                .filter(|t| !t.is_empty()),
            None => None,
        };
        let reason = match r.array(r.v, "reasonCode", "reasonCode")?.first() {
            Some(c) => Some(concept_of(r, c, "reasonCode[0]")?.text).filter(|t| !t.is_empty()),
            None => None,
        };
        let mut expected_discharge = None;
        for (i, e) in r.array(r.v, "extension", "extension")?.iter().enumerate() {
            if r.str(e, "url", format_args!("extension[{i}].url"))? == Some(ext::EXPECTED_DISCHARGE) {
                expected_discharge = r.date(e, "valueDate", format_args!("extension[{i}].valueDate"))?;
            }
        }
        self.site.admissions.push(Admission {
            id: r.id.to_owned(),
            patient_id,
            ward_id,
            bed_id,
            admitted_at,
            consultant,
            specialty,
            expected_discharge,
            reason,
        });
        self.imported(r);
        Ok(())
    }

    fn allergy(&mut self, r: &Res<'_>) -> R<()> {
        let patient_id = self.required_reference(r, "patient")?;
        let verification = match r.concept(r.v, "verificationStatus", "verificationStatus")? {
            Some(c) if has_code(&c, &["confirmed"]) => Verification::Confirmed,
            Some(c) if has_code(&c, &["refuted"]) => Verification::Refuted,
            Some(c) if has_code(&c, &["entered-in-error"]) => Verification::EnteredInError,
            _ => Verification::Unconfirmed,
        };
        let clinical = r.concept(r.v, "clinicalStatus", "clinicalStatus")?;
        if matches!(verification, Verification::Confirmed | Verification::Unconfirmed)
            && clinical.is_some_and(|c| has_code(&c, &["inactive", "resolved"]))
        {
            self.skipped(r);
            return Ok(());
        }
        let substance = match r.concept(r.v, "code", "code")? {
            Some(c) => c,
            None => {
                self.warn(
                    r,
                    "names no substance: shown as \"Unknown substance\"; check the EPR".into(),
                );
                Concept::text("Unknown substance")
            }
        };
        let category = match r
            .array(r.v, "category", "category")?
            .first()
            .and_then(Value::as_str)
        {
            Some("medication") => Some(AllergyCategory::Medication),
            Some("food") => Some(AllergyCategory::Food),
            Some("environment") => Some(AllergyCategory::Environment),
            Some("biologic") => Some(AllergyCategory::Biologic),
            _ => None,
        };
        let criticality = match r.str(r.v, "criticality", "criticality")? {
            Some("low") => Some(Criticality::Low),
            Some("high") => Some(Criticality::High),
            Some("unable-to-assess") => Some(Criticality::UnableToAssess),
            _ => None,
        };
        let mut reactions = Vec::new();
        for (i, reaction) in r.array(r.v, "reaction", "reaction")?.iter().enumerate() {
            for (m, man) in r
                .array(
                    reaction,
                    "manifestation",
                    format_args!("reaction[{i}].manifestation"),
                )?
                .iter()
                .enumerate()
            {
                let c = concept_of(r, man, format_args!("reaction[{i}].manifestation[{m}]"))?;
                if !c.text.is_empty() {
                    reactions.push(c.text);
                }
            }
        }
        let recorded_at = r.instant(r.v, "recordedDate", "recordedDate")?;
        self.site.allergies.push(Allergy {
            id: r.id.to_owned(),
            patient_id,
            substance,
            category,
            criticality,
            verification,
            reactions,
            recorded_at,
        });
        self.imported(r);
        Ok(())
    }

    fn flag(&mut self, r: &Res<'_>) -> R<()> {
        if r.str(r.v, "status", "status")? != Some("active") {
            self.skipped(r);
            return Ok(());
        }
        let patient_id = self.required_reference(r, "subject")?;
        let concept = r
            .concept(r.v, "code", "code")?
            .ok_or_else(|| r.err("code", "is missing: a flag must say what it is"))?;
        let mut kind = None;
        for (i, c) in r.array(r.v, "category", "category")?.iter().enumerate() {
            let c = concept_of(r, c, format_args!("category[{i}]"))?;
            kind = kind.or(match c.code_in(ext::ALERT_KIND_SYSTEM) {
                Some("dnacpr") => Some(AlertKind::Dnacpr),
                Some("falls-risk") => Some(AlertKind::FallsRisk),
                Some("infection") => Some(AlertKind::Infection),
                Some("safeguarding") => Some(AlertKind::Safeguarding),
                Some("pressure-ulcer-risk") => Some(AlertKind::PressureUlcerRisk),
                Some("cognition") => Some(AlertKind::Cognition),
                Some("other") => Some(AlertKind::Other),
                _ => None,
            });
        }
        let kind = kind.unwrap_or_else(|| alert_kind_by_words(&concept));
        let since = match r.object(r.v, "period", "period")? {
            Some(p) => r.instant(p, "start", "period.start")?,
            None => None,
        };
        self.site.alerts.push(Alert {
            id: r.id.to_owned(),
            patient_id,
            kind,
            text: concept.text.clone(),
            concept,
            since,
        });
        self.imported(r);
        Ok(())
    }

    fn medicine(&mut self, r: &Res<'_>) -> R<Concept> {
        if let Some(c) = r.concept(r.v, "medicationCodeableConcept", "medicationCodeableConcept")? {
            return Ok(c);
        }
        if let Some(id) = self.reference(r, r.v, "medicationReference", "medicationReference")? {
            let resources = self.resources;
            if let Some(m) = self.medications.get(id.as_str()).map(|i| &resources[*i])
                && let Some(c) = m.concept(m.v, "code", "code")?
            {
                return Ok(c);
            }
            let display =
                r.v.pointer(["medicationReference", "display"])
                    .and_then(Value::as_str);
            self.warn(r, format!("names Medication/{id}, which is not in this bundle"));
            return Ok(Concept::text(
                display.unwrap_or("Medicine not named: check the EPR"),
            ));
        }
        Err(r.err(
            "medication[x]",
            "is missing: a prescription must name its medicine",
        ))
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one dosage read top to bottom, as the chart shows it"
    )]
    fn medication_request(&mut self, r: &Res<'_>) -> R<()> {
        let status = match r.str(r.v, "status", "status")? {
            Some("active") => OrderStatus::Active,
            Some("on-hold") => OrderStatus::OnHold,
            Some("stopped" | "cancelled") => OrderStatus::Stopped,
            Some("completed") => OrderStatus::Completed,
            Some("entered-in-error" | "draft") => {
                self.skipped(r);
                return Ok(());
            }
            other => {
                self.warn(r, format!("has status {other:?}: shown as active; check the EPR"));
                OrderStatus::Active
            }
        };
        let patient_id = self.required_reference(r, "subject")?;
        let medicine = self.medicine(r)?;
        let dosages = r.array(r.v, "dosageInstruction", "dosageInstruction")?;
        if dosages.len() > 1 {
            self.note_about(
                r,
                NoteKind::InstructionsNotCharted,
                Some(&patient_id),
                format!(
                    "has {} dosage lines: all are shown, but only the first is charted on the grid; check the EPR",
                    dosages.len()
                ),
            );
        }
        let empty = Value::new_object();
        let d = dosages.first().unwrap_or(&empty);
        let p = "dosageInstruction[0]";
        let timing = r
            .object(d, "timing", format_args!("{p}.timing"))?
            .unwrap_or(&empty);
        let repeat = r
            .object(timing, "repeat", format_args!("{p}.timing.repeat"))?
            .unwrap_or(&empty);
        let bounds = r.object(
            repeat,
            "boundsPeriod",
            format_args!("{p}.timing.repeat.boundsPeriod"),
        )?;
        let authored = r.instant(r.v, "authoredOn", "authoredOn")?;
        let start = match bounds {
            Some(b) => r.instant(b, "start", format_args!("{p}.timing.repeat.boundsPeriod.start"))?,
            None => None,
        };
        let end = match bounds {
            Some(b) => r.instant(b, "end", format_args!("{p}.timing.repeat.boundsPeriod.end"))?,
            None => None,
        };
        let start = start.or(authored).unwrap_or_else(|| {
            self.warn(
                r,
                "has no start or authored date: charted as starting when the data was extracted".into(),
            );
            self.data_time()
        });
        let frequency = r
            .number(repeat, "frequency", format_args!("{p}.timing.repeat.frequency"))?
            .and_then(|n| n.as_u64());
        let period = r
            .number(repeat, "period", format_args!("{p}.timing.repeat.period"))?
            .and_then(|n| n.as_f64());
        let period_unit = r.str(repeat, "periodUnit", format_args!("{p}.timing.repeat.periodUnit"))?;
        let as_needed_text = r.concept(
            d,
            "asNeededCodeableConcept",
            format_args!("{p}.asNeededCodeableConcept"),
        )?;
        let as_needed =
            as_needed_text.is_some() || d.get("asNeededBoolean").and_then(Value::as_bool) == Some(true);
        let times = r.array(repeat, "timeOfDay", format_args!("{p}.timing.repeat.timeOfDay"))?;
        let events = r.array(timing, "event", format_args!("{p}.timing.event"))?;
        let schedule = if as_needed {
            let min_interval_minutes = match (frequency.unwrap_or(1), period, period_unit) {
                (1, Some(v), Some(unit)) => {
                    let per = match unit {
                        "min" => Some(1.0),
                        "h" => Some(60.0),
                        "d" => Some(1440.0),
                        _ => None,
                    };
                    #[allow(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "rounded minutes of a dosing interval"
                    )]
                    per.map(|m| (v * m).round() as u32)
                }
                _ => None,
            };
            let max_doses_per_24h =
                match r.object(d, "maxDosePerPeriod", format_args!("{p}.maxDosePerPeriod"))? {
                    Some(ratio) => {
                        let n = ratio.pointer(["numerator", "value"]).and_then(Value::as_u64);
                        let per = ratio.pointer(["denominator", "value"]).and_then(Value::as_f64);
                        let unit = ratio
                            .pointer(["denominator", "code"])
                            .or_else(|| ratio.pointer(["denominator", "unit"]))
                            .and_then(Value::as_str);
                        let per_day = matches!((per, unit), (Some(24.0), Some("h")) | (Some(1.0), Some("d")));
                        if n.is_some() && !per_day {
                            self.note_about(
                            r,
                            NoteKind::InstructionsNotCharted,
                            Some(&patient_id),
                            "gives a maximum dose per period other than 24 hours: not charted; check the EPR"
                                .into(),
                        );
                        }
                        n.filter(|_| per_day).and_then(|n| u32::try_from(n).ok())
                    }
                    None => None,
                };
            Schedule::WhenRequired {
                indication: as_needed_text.map(|c| c.text).filter(|t| !t.is_empty()),
                min_interval_minutes,
                max_doses_per_24h,
            }
        } else if !times.is_empty() {
            let mut parsed = Vec::new();
            for (i, t) in times.iter().enumerate() {
                let path = format!("{p}.timing.repeat.timeOfDay[{i}]");
                let s = t.as_str().ok_or_else(|| r.wrong(&path, "a time string", t))?;
                parsed.push(NaiveTime::parse_from_str(s, "%H:%M:%S").map_err(|_| {
                    r.err(&path, &format!("is not a time ({}; expected hh:mm:ss)", shape(s)))
                })?);
            }
            parsed.sort_unstable();
            let frequency = match r.concept(timing, "code", format_args!("{p}.timing.code"))? {
                Some(c) => c.text,
                None => frequency_words(frequency, period, period_unit),
            };
            Schedule::Regular {
                times: parsed,
                frequency,
            }
        } else if let Some(event) = events.first() {
            Schedule::OnceOnly {
                at: r.instant_value(event, format_args!("{p}.timing.event[0]"))?,
            }
        } else {
            let words = match r.concept(timing, "code", format_args!("{p}.timing.code"))? {
                Some(c) => c.text,
                None => frequency_words(frequency, period, period_unit),
            };
            self.note_about(
                r,
                NoteKind::InstructionsNotCharted,
                Some(&patient_id),
                format!("gives no administration times ({words}): the chart shows the frequency only"),
            );
            Schedule::Regular {
                times: Vec::new(),
                frequency: words,
            }
        };
        let (value, unit) = match r
            .array(d, "doseAndRate", format_args!("{p}.doseAndRate"))?
            .first()
        {
            Some(dr) => match r.object(
                dr,
                "doseQuantity",
                format_args!("{p}.doseAndRate[0].doseQuantity"),
            )? {
                Some(q) => {
                    let value = r
                        .number(q, "value", format_args!("{p}.doseAndRate[0].doseQuantity.value"))?
                        .map(|n| n.to_string());
                    let unit = match r.str(q, "unit", format_args!("{p}.doseAndRate[0].doseQuantity.unit"))? {
                        Some(u) => Some(u.to_owned()),
                        None => r
                            .str(q, "code", format_args!("{p}.doseAndRate[0].doseQuantity.code"))?
                            .map(str::to_owned),
                    };
                    (value, unit)
                }
                None => (None, None),
            },
            None => (None, None),
        };
        let text = match r.str(d, "text", format_args!("{p}.text"))? {
            Some(t) => t.to_owned(),
            None => match (&value, &unit) {
                (Some(v), Some(u)) => format!("{v} {u}"),
                (Some(v), None) => v.clone(),
                _ => "See prescription in the EPR".to_owned(),
            },
        };
        let route = r.concept(d, "route", format_args!("{p}.route"))?;
        let mut instructions = Vec::new();
        for (i, c) in r
            .array(
                d,
                "additionalInstruction",
                format_args!("{p}.additionalInstruction"),
            )?
            .iter()
            .enumerate()
        {
            instructions.push(concept_of(r, c, format_args!("{p}.additionalInstruction[{i}]"))?.text);
        }
        let mut time_critical = None;
        for (i, e) in r.array(r.v, "extension", "extension")?.iter().enumerate() {
            if r.str(e, "url", format_args!("extension[{i}].url"))? == Some(ext::TIME_CRITICAL) {
                time_critical = e.get("valueBoolean").and_then(Value::as_bool);
            }
        }
        let prescriber = match r.object(r.v, "requester", "requester")? {
            Some(req) => r.str(req, "display", "requester.display")?.map(str::to_owned),
            None => None,
        };
        let indication = match r.array(r.v, "reasonCode", "reasonCode")?.first() {
            Some(c) => Some(concept_of(r, c, "reasonCode[0]")?.text).filter(|t| !t.is_empty()),
            None => None,
        };
        let mut further_dosage_lines = Vec::new();
        for (i, line) in dosages.iter().enumerate().skip(1) {
            further_dosage_lines.push(dosage_words(r, line, &format!("dosageInstruction[{i}]"))?);
        }
        self.site.orders.push(MedicationOrder {
            id: r.id.to_owned(),
            patient_id,
            time_critical: time_critical.unwrap_or_else(|| is_time_critical_by_name(&medicine.text)),
            medicine,
            dose: Dose { value, unit, text },
            route,
            schedule,
            status,
            start,
            end,
            prescriber,
            indication,
            instructions: (!instructions.is_empty()).then(|| instructions.join("; ")),
            further_dosage_lines,
        });
        self.imported(r);
        Ok(())
    }

    fn medication_administration(&mut self, r: &Res<'_>) -> R<()> {
        let status = r.str(r.v, "status", "status")?;
        if !matches!(status, Some("completed" | "not-done")) {
            self.skipped(r);
            return Ok(());
        }
        let patient_id = self.required_reference(r, "subject")?;
        let at = match r.instant(r.v, "effectiveDateTime", "effectiveDateTime")? {
            Some(t) => t,
            None => match r.object(r.v, "effectivePeriod", "effectivePeriod")? {
                Some(p) => r
                    .instant(p, "start", "effectivePeriod.start")?
                    .ok_or_else(|| r.err("effectivePeriod.start", "is missing: when was it given?"))?,
                None => return Err(r.err("effective[x]", "is missing: when was it given?")),
            },
        };
        let Some(order_id) = self.reference(r, r.v, "request", "request")? else {
            self.note_about(
                r,
                NoteKind::LeftOut,
                Some(&patient_id),
                "names no MedicationRequest: it cannot be placed on a drug chart; left out".into(),
            );
            self.skipped(r);
            return Ok(());
        };
        let mut note = Vec::new();
        for (i, n) in r.array(r.v, "note", "note")?.iter().enumerate() {
            if let Some(t) = r.str(n, "text", format_args!("note[{i}].text"))? {
                note.push(t.to_owned());
            }
        }
        let outcome = if status == Some("completed") {
            let dosage = r.object(r.v, "dosage", "dosage")?;
            let dose = match dosage {
                Some(d) => match r.str(d, "text", "dosage.text")? {
                    Some(t) => Some(t.to_owned()),
                    None => match r.object(d, "dose", "dosage.dose")? {
                        Some(q) => {
                            let v = r.number(q, "value", "dosage.dose.value")?.map(|n| n.to_string());
                            let u = r.str(q, "unit", "dosage.dose.unit")?;
                            v.map(|v| u.map_or(v.clone(), |u| format!("{v} {u}")))
                        }
                        None => None,
                    },
                },
                None => None,
            };
            AdministrationOutcome::Given { dose }
        } else {
            let reason = match r.array(r.v, "statusReason", "statusReason")?.first() {
                Some(c) => Some(concept_of(r, c, "statusReason[0]")?),
                None => None,
            };
            let coded = reason
                .as_ref()
                .and_then(|c| c.code_in(ext::OMISSION_CODE_SYSTEM))
                .and_then(|c| c.parse::<u8>().ok())
                .and_then(OmissionReason::from_code);
            let reason = match coded {
                Some(code) => code,
                None => {
                    let words = reason.map(|c| c.text).unwrap_or_default();
                    let guessed = omission_by_words(&words);
                    if guessed == OmissionReason::Other {
                        self.warn(
                            r,
                            "gives a reason that is no omission code Lamplight knows: charted as 8, other, with the reason's words as its note".into(),
                        );
                        if note.is_empty() && !words.is_empty() {
                            note.push(words);
                        }
                    }
                    guessed
                }
            };
            AdministrationOutcome::NotGiven { reason }
        };
        let mut performer = None;
        for (i, p) in r.array(r.v, "performer", "performer")?.iter().enumerate() {
            if let Some(actor) = r.object(p, "actor", format_args!("performer[{i}].actor"))? {
                performer = r
                    .str(actor, "display", format_args!("performer[{i}].actor.display"))?
                    .map(str::to_owned);
                break;
            }
        }
        self.site.administrations.push(Administration {
            id: r.id.to_owned(),
            order_id,
            patient_id,
            at,
            outcome,
            performer,
            note: (!note.is_empty()).then(|| note.join("; ")),
            entry: None,
            due: None,
        });
        self.imported(r);
        Ok(())
    }

    fn service_request(&mut self, r: &Res<'_>) -> R<()> {
        if !matches!(r.str(r.v, "status", "status")?, Some("active" | "on-hold")) {
            self.skipped(r);
            return Ok(());
        }
        let patient_id = self.required_reference(r, "subject")?;
        let test = match r.concept(r.v, "code", "code")? {
            Some(c) => c,
            None => {
                self.warn(r, "names no test: shown as \"Unnamed request\"".into());
                Concept::text("Unnamed request")
            }
        };
        let mut category = TestCategory::Other;
        for (i, c) in r.array(r.v, "category", "category")?.iter().enumerate() {
            let c = concept_of(r, c, format_args!("category[{i}]"))?;
            if has_code(&c, &["108252007"]) {
                category = TestCategory::Laboratory;
            } else if has_code(&c, &["363679005"]) {
                category = TestCategory::Imaging;
            }
        }
        let priority = match r.str(r.v, "priority", "priority")? {
            Some("urgent") => Priority::Urgent,
            Some("asap") => Priority::Asap,
            Some("stat") => Priority::Stat,
            _ => Priority::Routine,
        };
        let requested_at = match r.instant(r.v, "authoredOn", "authoredOn")? {
            Some(t) => t,
            None => {
                self.warn(
                    r,
                    "has no authoredOn: shown as requested when the data was extracted".into(),
                );
                self.data_time()
            }
        };
        let requested_by = match r.object(r.v, "requester", "requester")? {
            Some(req) => r.str(req, "display", "requester.display")?.map(str::to_owned),
            None => None,
        };
        let mut notes = Vec::new();
        for (i, n) in r.array(r.v, "note", "note")?.iter().enumerate() {
            if let Some(t) = r.str(n, "text", format_args!("note[{i}].text"))? {
                notes.push(t.to_owned());
            }
        }
        self.site.tests.push(PendingTest {
            id: r.id.to_owned(),
            patient_id,
            test,
            category,
            priority,
            requested_at,
            requested_by,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
        self.imported(r);
        Ok(())
    }

    /// Vital-sign Observations grouped into sets: by their NEWS2 total's `hasMember` where there is
    /// one, otherwise by patient and time.
    fn observations(&mut self) -> R<()> {
        let resources = self.resources;
        let mut sets: Vec<ObservationSet> = Vec::new();
        let mut member_of: HashMap<String, usize> = HashMap::new();
        let mut by_time: HashMap<(String, DateTime<Utc>), usize> = HashMap::new();
        let observations = resources
            .iter()
            .filter(|r| r.rtype == "Observation")
            .map(|r| Ok((r, r.codes(r.v, "code", "code")?)))
            .collect::<R<Vec<_>>>()?;
        // Panels first, so their members know their set.
        for (r, code) in &observations {
            if !code.contains(&vital::NEWS2_TOTAL.0) {
                continue;
            }
            let patient_id = self.required_reference(r, "subject")?;
            let taken_at = Self::effective(r)?;
            let mut scale = Spo2Scale::Scale1;
            for (i, e) in r.array(r.v, "extension", "extension")?.iter().enumerate() {
                if r.str(e, "url", format_args!("extension[{i}].url"))? == Some(ext::SPO2_SCALE)
                    && r.str(e, "valueCode", format_args!("extension[{i}].valueCode"))? == Some("scale-2")
                {
                    scale = Spo2Scale::Scale2;
                }
            }
            let index = sets.len();
            for (i, m) in r.array(r.v, "hasMember", "hasMember")?.iter().enumerate() {
                if !m.is_object() {
                    return Err(r.wrong(format_args!("hasMember[{i}]"), "an object", m));
                }
                if let Some(id) = self.reference_in(r, m, format_args!("hasMember[{i}]"))? {
                    member_of.insert(id, index);
                }
            }
            let mut set = ObservationSet::empty(r.id.to_owned(), patient_id, taken_at);
            set.spo2_scale = scale;
            set.recorded_by = performer(r)?;
            by_time.entry((set.patient_id.clone(), taken_at)).or_insert(index);
            sets.push(set);
            self.imported(r);
        }
        for (r, code) in &observations {
            if code.contains(&vital::NEWS2_TOTAL.0) {
                continue;
            }
            let Some(param) = parameter_of(code) else {
                self.skipped(r);
                continue;
            };
            if matches!(
                r.str(r.v, "status", "status")?,
                Some("entered-in-error" | "cancelled")
            ) {
                self.skipped(r);
                continue;
            }
            let patient_id = self.required_reference(r, "subject")?;
            let taken_at = Self::effective(r)?;
            if matches!(param, Param::Weight) {
                // A weight is no NEWS2 parameter and is weighed at its own times: kept apart.
                let own = Quantity {
                    node: r.v,
                    path: "",
                    patient: &patient_id,
                };
                if let Some(kilograms) = quantity_in(self, r, own, "weight", Unit::Kilograms)? {
                    self.site.weights.push(BodyWeight {
                        id: r.id.to_owned(),
                        patient_id,
                        taken_at,
                        kilograms,
                    });
                }
                self.imported(r);
                continue;
            }
            let index = match member_of.get(r.id) {
                Some(i) => *i,
                None => *by_time.entry((patient_id.clone(), taken_at)).or_insert_with(|| {
                    let mut set = ObservationSet::empty(r.id.to_owned(), patient_id.clone(), taken_at);
                    set.recorded_by = performer(r).ok().flatten();
                    sets.push(set);
                    sets.len() - 1
                }),
            };
            read_parameter(self, r, param, &mut sets[index])?;
            self.imported(r);
        }
        self.site.observations = sets;
        Ok(())
    }

    fn effective(r: &Res<'_>) -> R<DateTime<Utc>> {
        if let Some(t) = r.instant(r.v, "effectiveDateTime", "effectiveDateTime")? {
            return Ok(t);
        }
        if let Some(t) = r.instant(r.v, "effectiveInstant", "effectiveInstant")? {
            return Ok(t);
        }
        if let Some(p) = r.object(r.v, "effectivePeriod", "effectivePeriod")?
            && let Some(t) = r.instant(p, "start", "effectivePeriod.start")?
        {
            return Ok(t);
        }
        Err(r.err(
            "effective[x]",
            "is missing: an observation must say when it was taken",
        ))
    }
}

fn performer(r: &Res<'_>) -> R<Option<String>> {
    for (i, p) in r.array(r.v, "performer", "performer")?.iter().enumerate() {
        if let Some(d) = r.str(p, "display", format_args!("performer[{i}].display"))? {
            return Ok(Some(d.to_owned()));
        }
    }
    Ok(None)
}

#[derive(Debug, Clone, Copy)]
enum Param {
    Respiration,
    Spo2,
    Air,
    Oxygen,
    Bp,
    Systolic,
    Diastolic,
    Pulse,
    Consciousness,
    Temperature,
    Weight,
}

fn parameter_of(code: &[&str]) -> Option<Param> {
    let table: &[(&[&str], Param)] = &[
        (&["86290005", "9279-1"], Param::Respiration),
        (&["103228002", "431314004", "59408-5", "2708-6"], Param::Spo2),
        (&["722742002"], Param::Air),
        (&["371825009", "3151-8"], Param::Oxygen),
        (&["75367002", "85354-9", "55284-4"], Param::Bp),
        (&["72313002", "271649006", "8480-6"], Param::Systolic),
        (&["1091811000000102", "271650006", "8462-4"], Param::Diastolic),
        (&["364075005", "78564009", "8867-4"], Param::Pulse),
        (&["1104441000000107"], Param::Consciousness),
        (&["276885007", "386725007", "8310-5"], Param::Temperature),
        (&["27113001", "29463-7", "3141-9"], Param::Weight),
    ];
    table
        .iter()
        .find(|(codes, _)| code.iter().any(|c| codes.contains(c)))
        .map(|(_, p)| *p)
}

/// The unit a vital sign is charted in, and the UCUM units it may arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Celsius,
    PerMinute,
    Percent,
    MmHg,
    LitresPerMinute,
    Kilograms,
}

impl Unit {
    /// How the chart's unit is written, for warnings.
    fn name(self) -> &'static str {
        match self {
            Unit::Celsius => "°C",
            Unit::PerMinute => "per minute",
            Unit::Percent => "%",
            Unit::MmHg => "mmHg",
            Unit::LitresPerMinute => "L/min",
            Unit::Kilograms => "kg",
        }
    }

    /// `value`, given in UCUM unit `code`, in this unit: only where the conversion is exact. `None`
    /// for a unit that is not this quantity's, or one that cannot be converted exactly.
    fn convert(self, code: &str, value: f64) -> Option<f64> {
        // UCUM annotations (`{beats}/min`) do not change a unit's meaning.
        let mut bare = String::with_capacity(code.len());
        let mut depth = 0u32;
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => bare.push(c),
                _ => {}
            }
        }
        let converted = match (self, bare.as_str()) {
            (Unit::Celsius, "Cel") | (Unit::Percent, "%") | (Unit::MmHg, "mm[Hg]") => value,
            (Unit::PerMinute, "/min" | "1/min") | (Unit::LitresPerMinute, "L/min" | "l/min") => value,
            (Unit::PerMinute, "/h") => value / 60.0,
            (Unit::Celsius, "[degF]") => (value - 32.0) * 5.0 / 9.0,
            (Unit::Celsius, "K") => value - 273.15,
            (Unit::LitresPerMinute, "mL/min" | "ml/min") => value / 1000.0,
            (Unit::Kilograms, "kg") => value,
            (Unit::Kilograms, "g") => value / 1000.0,
            // The avoirdupois pound is defined as exactly 0.45359237 kg, the ounce as 1/16 of it and
            // the stone as 14 pounds.
            (Unit::Kilograms, "[lb_av]") => value * 0.453_592_37,
            (Unit::Kilograms, "[oz_av]") => value * 0.453_592_37 / 16.0,
            (Unit::Kilograms, "[stone_av]") => value * 0.453_592_37 * 14.0,
            _ => return None,
        };
        // Within a millionth of the exact result: floating point's noise is gone (100.4 °F is 38.0 °C,
        // not 38.000000000000007, which would score as above 38.0), and no measured value moves.
        Some((converted * 1e6).round() / 1e6)
    }
}

/// Where a vital sign's `valueQuantity` is: its node, the path to it, and whose it is.
#[derive(Clone, Copy)]
struct Quantity<'v> {
    node: &'v Value,
    path: &'v str,
    patient: &'v str,
}

/// The UCUM code a unit written for people stands for, where that is unambiguous.
fn ucum_of_words(unit: &str) -> Option<&'static str> {
    let u = unit.trim().to_lowercase();
    Some(match u.as_str() {
        "cel" | "°c" | "c" | "degc" | "deg c" | "degree celsius" | "degrees celsius" | "celsius" => "Cel",
        "[degf]" | "°f" | "f" | "degf" | "deg f" | "degree fahrenheit" | "degrees fahrenheit"
        | "fahrenheit" => "[degF]",
        "%" | "percent" => "%",
        "mm[hg]" | "mmhg" | "mm hg" | "millimeter of mercury" | "millimetre of mercury" => "mm[Hg]",
        "/min"
        | "per minute"
        | "breaths/minute"
        | "breaths/min"
        | "breaths / minute"
        | "beats/minute"
        | "beats/min"
        | "bpm"
        | "heart beats per minute" => "/min",
        "l/min" | "litre per minute" | "liter per minute" | "litres per minute" | "liters per minute"
        | "litres/min" => "L/min",
        "kg" | "kgs" | "kilogram" | "kilograms" => "kg",
        "g" | "gram" | "grams" => "g",
        "[lb_av]" | "lb" | "lbs" | "pound" | "pounds" => "[lb_av]",
        "[oz_av]" | "oz" | "ounce" | "ounces" => "[oz_av]",
        "[stone_av]" | "st" | "stone" | "stones" => "[stone_av]",
        _ => return None,
    })
}

/// A vital sign's `valueQuantity` in `unit`: converted exactly from the unit it was recorded in, or,
/// when that unit is missing or is not one Lamplight can convert exactly, left out with a warning.
/// A value is never read as if it were in the unit expected.
fn quantity_in(cx: &mut Cx<'_>, r: &Res<'_>, q: Quantity<'_>, what: &str, unit: Unit) -> R<Option<f64>> {
    let Quantity { node, path, patient } = q;
    let Some(q) = r.object(node, "valueQuantity", format_args!("{path}valueQuantity"))? else {
        return Ok(None);
    };
    let Some(value) = r
        .number(q, "value", format_args!("{path}valueQuantity.value"))?
        .and_then(|n| n.as_f64())
    else {
        return Ok(None);
    };
    let system = r.str(q, "system", format_args!("{path}valueQuantity.system"))?;
    let code = r.str(q, "code", format_args!("{path}valueQuantity.code"))?;
    let words = r.str(q, "unit", format_args!("{path}valueQuantity.unit"))?;
    let ucum = match (system, code) {
        (None | Some(json::UCUM), Some(code)) => Some(code),
        _ => words.and_then(ucum_of_words),
    };
    let stated = code.or(words).unwrap_or("no unit");
    match ucum.and_then(|c| unit.convert(c, value)) {
        Some(v) => Ok(Some(v)),
        None => {
            cx.note_about(
                r,
                NoteKind::VitalSignNotCharted,
                Some(patient),
                format!(
                    "gives the {what} in {stated:?}, which Lamplight cannot convert exactly to {}: left off the chart and out of NEWS2; check it in the EPR",
                    unit.name()
                ),
            );
            Ok(None)
        }
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "vital signs are small whole numbers, checked in range first"
)]
fn whole<T: TryFrom<u64>>(v: Option<f64>) -> Option<T> {
    v.filter(|x| *x >= 0.0 && *x < 100_000.0)
        .and_then(|x| T::try_from(x.round() as u64).ok())
}

fn read_parameter(cx: &mut Cx<'_>, r: &Res<'_>, param: Param, set: &mut ObservationSet) -> R<()> {
    let patient = set.patient_id.clone();
    let own = Quantity {
        node: r.v,
        path: "",
        patient: &patient,
    };
    match param {
        Param::Respiration => {
            set.respiration_rate = whole(quantity_in(cx, r, own, "respiration rate", Unit::PerMinute)?);
        }
        Param::Spo2 => set.spo2 = whole(quantity_in(cx, r, own, "SpO2", Unit::Percent)?),
        Param::Air => set.oxygen = Some(Oxygen::Air),
        Param::Oxygen => {
            let device = match r.object(r.v, "device", "device")? {
                Some(d) => r.str(d, "display", "device.display")?.map(str::to_owned),
                None => None,
            };
            // On oxygen is known even when the flow's unit is not: only the flow is left out.
            set.oxygen = Some(Oxygen::Supplemental {
                litres_per_minute: quantity_in(cx, r, own, "oxygen flow", Unit::LitresPerMinute)?,
                device,
            });
        }
        Param::Systolic => set.systolic_bp = whole(quantity_in(cx, r, own, "systolic BP", Unit::MmHg)?),
        Param::Diastolic => set.diastolic_bp = whole(quantity_in(cx, r, own, "diastolic BP", Unit::MmHg)?),
        Param::Bp => {
            for (i, c) in r.array(r.v, "component", "component")?.iter().enumerate() {
                let path = format!("component[{i}].");
                let part = Quantity {
                    node: c,
                    path: &path,
                    patient: &patient,
                };
                match parameter_of(&r.codes(c, "code", format_args!("{path}code"))?) {
                    Some(Param::Systolic) => {
                        set.systolic_bp = whole(quantity_in(cx, r, part, "systolic BP", Unit::MmHg)?);
                    }
                    Some(Param::Diastolic) => {
                        set.diastolic_bp = whole(quantity_in(cx, r, part, "diastolic BP", Unit::MmHg)?);
                    }
                    _ => {}
                }
            }
        }
        Param::Pulse => set.pulse = whole(quantity_in(cx, r, own, "pulse", Unit::PerMinute)?),
        // Read apart from the sets, in `observations`.
        Param::Weight => {}
        Param::Temperature => {
            set.temperature_c = quantity_in(cx, r, own, "temperature", Unit::Celsius)?;
        }
        Param::Consciousness => {
            if let Some(c) = r.concept(r.v, "valueCodeableConcept", "valueCodeableConcept")? {
                set.consciousness = consciousness_of(&c);
            }
        }
    }
    Ok(())
}

fn consciousness_of(c: &Concept) -> Option<Consciousness> {
    if has_code(c, &[vital::ALERT.0]) {
        return Some(Consciousness::Alert);
    }
    let words = format!(
        "{} {}",
        c.text,
        c.codes
            .iter()
            .filter_map(|k| k.display.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
    )
    .to_lowercase();
    let has = |w: &str| words.contains(w);
    if has("confus") || words.trim() == "c" {
        Some(Consciousness::NewConfusion)
    } else if has("unrespons") || words.trim() == "u" {
        Some(Consciousness::Unresponsive)
    } else if has("voice") || words.trim() == "v" {
        Some(Consciousness::Voice)
    } else if has("pain") || words.trim() == "p" {
        Some(Consciousness::Pain)
    } else if has("alert") || words.trim() == "a" {
        Some(Consciousness::Alert)
    } else {
        None
    }
}

/// A dosage line in words, for one the grid does not chart: its `text` as prescribed, or else its
/// dose, route, times or frequency, when-required reason and instructions, as far as it gives them.
fn dosage_words(r: &Res<'_>, d: &Value, path: &str) -> R<String> {
    if !d.is_object() {
        return Err(r.wrong(path, "a Dosage object", d));
    }
    if let Some(text) = r.str(d, "text", format_args!("{path}.text"))? {
        return Ok(text.to_owned());
    }
    let mut parts = Vec::new();
    if let Some(dr) = r
        .array(d, "doseAndRate", format_args!("{path}.doseAndRate"))?
        .first()
        && let Some(q) = r.object(
            dr,
            "doseQuantity",
            format_args!("{path}.doseAndRate[0].doseQuantity"),
        )?
    {
        let value = r.number(
            q,
            "value",
            format_args!("{path}.doseAndRate[0].doseQuantity.value"),
        )?;
        let unit = match r.str(q, "unit", format_args!("{path}.doseAndRate[0].doseQuantity.unit"))? {
            Some(u) => Some(u),
            None => r.str(q, "code", format_args!("{path}.doseAndRate[0].doseQuantity.code"))?,
        };
        parts.extend(value.map(|v| match unit {
            Some(u) => format!("{v} {u}"),
            None => v.to_string(),
        }));
    }
    if let Some(route) = r.concept(d, "route", format_args!("{path}.route"))? {
        parts.push(route.text.to_lowercase());
    }
    let empty = Value::new_object();
    let timing = r
        .object(d, "timing", format_args!("{path}.timing"))?
        .unwrap_or(&empty);
    let repeat = r
        .object(timing, "repeat", format_args!("{path}.timing.repeat"))?
        .unwrap_or(&empty);
    let mut times = Vec::new();
    for (i, t) in r
        .array(
            repeat,
            "timeOfDay",
            format_args!("{path}.timing.repeat.timeOfDay"),
        )?
        .iter()
        .enumerate()
    {
        let s = t.as_str().ok_or_else(|| {
            r.wrong(
                format_args!("{path}.timing.repeat.timeOfDay[{i}]"),
                "a time string",
                t,
            )
        })?;
        times.push(s.get(..5).unwrap_or(s).to_owned());
    }
    if !times.is_empty() {
        parts.push(format!("at {}", times.join(", ")));
    } else if let Some(code) = r.concept(timing, "code", format_args!("{path}.timing.code"))? {
        parts.push(code.text);
    } else if present(repeat, "frequency").is_some() {
        let frequency = r
            .number(
                repeat,
                "frequency",
                format_args!("{path}.timing.repeat.frequency"),
            )?
            .and_then(|n| n.as_u64());
        let period = r
            .number(repeat, "period", format_args!("{path}.timing.repeat.period"))?
            .and_then(|n| n.as_f64());
        let unit = r.str(
            repeat,
            "periodUnit",
            format_args!("{path}.timing.repeat.periodUnit"),
        )?;
        parts.push(frequency_words(frequency, period, unit));
    }
    if let Some(reason) = r.concept(
        d,
        "asNeededCodeableConcept",
        format_args!("{path}.asNeededCodeableConcept"),
    )? {
        parts.push(format!("when required for {}", reason.text));
    } else if d.get("asNeededBoolean").and_then(Value::as_bool) == Some(true) {
        parts.push("when required".to_owned());
    }
    for (i, c) in r
        .array(
            d,
            "additionalInstruction",
            format_args!("{path}.additionalInstruction"),
        )?
        .iter()
        .enumerate()
    {
        parts.push(concept_of(r, c, format_args!("{path}.additionalInstruction[{i}]"))?.text);
    }
    Ok(if parts.is_empty() {
        "a further dosage line with no details: see the prescription in the EPR".to_owned()
    } else {
        parts.join(" ")
    })
}

fn frequency_words(frequency: Option<u64>, period: Option<f64>, unit: Option<&str>) -> String {
    match (frequency, period, unit) {
        (Some(1), Some(p), Some("d")) if (p - 1.0).abs() < f64::EPSILON => "once a day".into(),
        (Some(n), Some(p), Some("d")) if (p - 1.0).abs() < f64::EPSILON => format!("{n} times a day"),
        (Some(1), Some(p), Some("h")) => format!("every {p} hours"),
        (Some(n), Some(p), Some(u)) => format!("{n} times every {p} {u}"),
        _ => "as directed".into(),
    }
}

fn alert_kind_by_words(c: &Concept) -> AlertKind {
    let words = format!(
        "{} {}",
        c.text,
        c.codes
            .iter()
            .filter_map(|k| k.display.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
    )
    .to_lowercase();
    let any = |ws: &[&str]| ws.iter().any(|w| words.contains(w));
    if any(&["dnacpr", "dnar", "resuscitat"]) {
        AlertKind::Dnacpr
    } else if any(&["fall"]) {
        AlertKind::FallsRisk
    } else if any(&[
        "mrsa",
        "difficile",
        "infection",
        "isolation",
        "cpe",
        "vre",
        "norovirus",
        "covid",
    ]) {
        AlertKind::Infection
    } else if any(&["safeguard"]) {
        AlertKind::Safeguarding
    } else if any(&["pressure"]) {
        AlertKind::PressureUlcerRisk
    } else if any(&["dementia", "delirium", "learning disab", "cognit"]) {
        AlertKind::Cognition
    } else {
        AlertKind::Other
    }
}

fn omission_by_words(words: &str) -> OmissionReason {
    let w = words.to_lowercase();
    let any = |ws: &[&str]| ws.iter().any(|x| w.contains(x));
    if any(&["refus", "declin"]) {
        OmissionReason::Refused
    } else if any(&["nil by mouth", "nbm"]) {
        OmissionReason::NilByMouth
    } else if any(&["unavailable", "out of stock", "not available"]) {
        OmissionReason::Unavailable
    } else if any(&["away from", "off ward", "off the ward"]) {
        OmissionReason::AwayFromWard
    } else if any(&["withheld", "clinical"]) {
        OmissionReason::Withheld
    } else if any(&["unable to", "swallow"]) {
        OmissionReason::UnableToTake
    } else if any(&["self-admin", "self admin"]) {
        OmissionReason::SelfAdministered
    } else {
        OmissionReason::Other
    }
}
