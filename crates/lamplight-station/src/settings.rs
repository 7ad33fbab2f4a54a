//! The configuration file: one TOML file per PC or server that the app, the agent and every
//! `lamplight` command read (their flags and the environment override it).
//!
//! Where it is: `--config FILE`, else `LAMPLIGHT_CONFIG` (`off`: none), else the system's place if a
//! file is there ([`system_path`]: `/etc/lamplight/lamplight.toml`, `%ProgramData%\Lamplight\lamplight.toml`,
//! `/Library/Application Support/Lamplight/lamplight.toml`). No file is not an error: everything
//! has a default or a flag.
//!
//! Checked before anything starts, and every problem is said at once, one line each, naming the key
//! and the fix ([`Problem`]): IT editing a file for 90 wards should not fix one typo per restart.
//! An unknown key is a problem, with the nearest known key offered: a misspelt `idle_lock_mins`
//! silently ignored would leave every PC at the default. The shape lives once, as the Rust types
//! below; `schemas/lamplight-config.schema.json` is generated from them (`make schemas`) and the
//! file is validated against that same schema (`jsonschema`), so an editor with the schema, this
//! check and the documentation cannot disagree. The fix each line offers is the key's own
//! description in the schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::TimeDelta;
use lamplight_model::OmissionReason;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::StationConfig;
use crate::health::HealthPolicy;
use crate::sync::EprSettings;

/// What the file says. Every key is optional; a key left out keeps its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Lamplight configuration",
    description = "One file per ward PC or server (/etc/lamplight/lamplight.toml, %ProgramData%\\Lamplight\\lamplight.toml, or LAMPLIGHT_CONFIG). Flags and LAMPLIGHT_* variables override it."
)]
pub struct ConfigFile {
    /// This PC's name in its journal, entries and status file: letters, digits, '-', '_' and '.', at most 64 (default: the host name).
    pub pc: Option<String>,
    /// The ward codes this PC shows, or this agent pulls and stages, e.g. `["WD7"]`; leave out for every ward of the site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wards: Vec<String>,
    /// The folder of this PC's sealed snapshots, e.g. "/var/lib/lamplight/vault".
    pub vault: Option<PathBuf>,
    /// The key that opens the vault: a file from `lamplight keygen`, or "keystore:NAME" for the OS key store.
    pub identity: Option<String>,
    /// A file whose first line is the identity's passphrase, when the key is passphrase-protected (none: the window asks).
    pub passphrase_file: Option<PathBuf>,
    /// Keys the identity replaced (rotation), newest first: files or "keystore:NAME"; they still open older generations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_identities: Vec<String>,
    /// The folder the ward's PCs share their downtime entries through (a network share), e.g. "//srv/lamplight/WD7".
    pub ward_folder: Option<PathBuf>,
    /// The site share where the agent stages every ward and ward PCs take their ward's newest generation from (one EPR client per site).
    pub site_share: Option<PathBuf>,
    /// Where this PC writes its status file every minute for `lamplight fleet` (no patient data).
    pub status_dir: Option<PathBuf>,
    /// Where "Save as PDF" writes (default: Documents/Lamplight in the user's home).
    pub pdf_folder: Option<PathBuf>,
    /// A file of further age recipients (age1…, one per line) every snapshot this PC or agent stages is sealed to, e.g. IT's break-glass key.
    pub recipients_file: Option<PathBuf>,
    /// The staging keys whose signatures this PC requires ("lamplight-sign-1:…" or a file of them); leave out to accept unsigned snapshots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust: Vec<String>,
    /// The staging key this PC or agent signs what it stages with (its public half must be among `trust`).
    pub sign_with: Option<PathBuf>,
    /// Minutes after which the data's age turns red on every screen and page: 1 to 1440 (default 60).
    #[schemars(range(min = 1, max = 1440))]
    pub stale_after_mins: Option<u32>,
    /// Minutes without activity before a signed-in session locks: 1 to 120 (default 10).
    #[schemars(range(min = 1, max = 120))]
    pub idle_lock_mins: Option<u32>,
    /// The omission codes the drug chart offers, in order, from: refused, nil_by_mouth, unavailable, away_from_ward, withheld, unable_to_take, self_administered, other (default: all eight). Each must be one the EPR filing knows.
    pub omission_codes: Option<Vec<OmissionReason>>,
    /// The EPR this PC or agent pulls from and checks.
    pub epr: Option<EprSection>,
    /// How often snapshots are pulled.
    pub refresh: Option<RefreshSection>,
    /// How the EPR's health is checked, and when downtime is proposed.
    pub health: Option<HealthSection>,
    /// How much is kept.
    pub retention: Option<RetentionSection>,
    /// How this PC prints.
    pub print: Option<PrintSection>,
}

/// `[epr]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EprSection {
    /// The EPR's FHIR R4 base URL, e.g. `https://epr.example.nhs.uk/fhir/R4` (https, or http on loopback for tests).
    #[schemars(regex(pattern = r"^https?://[^\s/]+"))]
    pub url: String,
    /// A file whose first line is the EPR's bearer token (readable by this service only).
    pub token_file: Option<PathBuf>,
    /// A PEM file of the trust's certificate authority, when the EPR's certificate is not from a public one.
    pub ca_file: Option<PathBuf>,
}

/// `[refresh]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshSection {
    /// Seconds between incremental pulls: 0 to 86400 (default 60); 0 only checks health, for a PC an agent or the site share keeps fresh.
    #[schemars(range(max = 86400))]
    pub every_secs: Option<u32>,
    /// Minutes between full pulls, the safety net for what incremental pulls cannot see: 1 to 10080 (default 60).
    #[schemars(range(min = 1, max = 10080))]
    pub full_every_mins: Option<u32>,
}

/// `[health]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthSection {
    /// Seconds between health probes of the EPR: 1 to 3600 (default 15).
    #[schemars(range(min = 1, max = 3600))]
    pub every_secs: Option<u32>,
    /// Seconds each probe request may take before it counts as not answering: 1 to 120 (default 5).
    #[schemars(range(min = 1, max = 120))]
    pub timeout_secs: Option<u32>,
    /// Seconds the EPR must have been silent before the PC proposes downtime to a person: 0 to 3600 (default 60).
    #[schemars(range(max = 3600))]
    pub propose_after_secs: Option<u32>,
}

/// `[retention]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionSection {
    /// Snapshot generations kept in the vault, newest first: 2 to 1000 (default 8); older ones are removed after each stage.
    #[schemars(range(min = 2, max = 1000))]
    pub generations: Option<u32>,
    /// Days of log files kept: 1 to 3650 (default 14).
    #[schemars(range(min = 1, max = 3650))]
    pub log_days: Option<u32>,
}

/// `[print]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrintSection {
    /// The command that prints a PDF: "lp -t {title} -" reads it on standard input; with {file} it is given a file (Windows: "SumatraPDF.exe -print-to-default -silent {file}").
    pub command: Option<String>,
}

/// One thing wrong with the file: the key (dotted, `refresh.every_secs`; empty for the whole
/// file), what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
    pub fix: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // One line, whatever the schema's descriptions or the validator's messages hold.
        let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = if self.key.is_empty() { "(file)" } else { &self.key };
        write!(f, "{key}: {}; fix: {}", flat(&self.message), flat(&self.fix))
    }
}

/// Why a configuration file could not be used: every problem, one line each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} has {} problem{}:\n{}", path.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }, lines(problems))]
pub struct SettingsError {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

fn lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The schema of the file, as committed in `schemas/lamplight-config.schema.json`.
///
/// TOML has no null, so a key left out is the only way to say "none": the `null` alternatives
/// schemars writes for `Option` fields are taken out, which also lets a wrong value be reported at
/// its own key (`refresh.every_secs`) rather than as "not valid under anyOf" at its section.
pub fn schema() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(ConfigFile)).unwrap_or(Value::Null);
    drop_nulls(&mut schema);
    schema
}

fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".to_owned(), only);
                }
            }
            let one_left = map
                .get_mut("anyOf")
                .and_then(Value::as_array_mut)
                .and_then(|alts| {
                    alts.retain(|a| a.get("type").and_then(Value::as_str) != Some("null"));
                    (alts.len() == 1).then(|| alts.remove(0))
                });
            if let Some(Value::Object(inner)) = one_left {
                map.remove("anyOf");
                for (k, val) in inner {
                    map.entry(k).or_insert(val);
                }
            }
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The system's place for the file on this OS.
pub fn system_path() -> PathBuf {
    if cfg!(windows) {
        let data =
            std::env::var_os("ProgramData").map_or_else(|| PathBuf::from(r"C:\ProgramData"), PathBuf::from);
        data.join("Lamplight").join("lamplight.toml")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Lamplight/lamplight.toml")
    } else {
        PathBuf::from("/etc/lamplight/lamplight.toml")
    }
}

/// Which file to read: the flag's, else `LAMPLIGHT_CONFIG`'s (`off`: none), else the system's if
/// it exists. A file named by the flag or the variable must exist: IT named it.
pub fn locate(flag: Option<&Path>, env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(f) = flag {
        return Some(f.to_owned());
    }
    match env("LAMPLIGHT_CONFIG") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => Some(system_path()).filter(|p| p.is_file()),
    }
}

impl ConfigFile {
    /// Read and check a file: every problem at once.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let fail = |problems| SettingsError {
            path: path.to_owned(),
            problems,
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            fail(vec![Problem {
                key: String::new(),
                message: format!("cannot be read ({e})"),
                fix: "check the path (--config, LAMPLIGHT_CONFIG) and that this account may read it"
                    .to_owned(),
            }])
        })?;
        Self::parse(&text).map_err(fail)
    }

    /// Check the text of a file: its TOML, then its shape against the schema, then what only the
    /// values together can say.
    pub fn parse(text: &str) -> Result<Self, Vec<Problem>> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            vec![Problem {
                key: String::new(),
                message: format!("is not valid TOML: {}", e.message()),
                fix: syntax_fix(text, &e),
            }]
        })?;
        let instance = serde_json::to_value(&table).unwrap_or(Value::Null);
        let schema = schema();
        let mut problems = shape_problems(&schema, &instance);
        if !problems.is_empty() {
            return Err(problems);
        }
        let file: Self = match Self::deserialize(toml::Value::Table(table)) {
            Ok(f) => f,
            Err(e) => {
                return Err(vec![Problem {
                    key: String::new(),
                    message: e.message().to_owned(),
                    fix: "compare with schemas/lamplight-config.schema.json".to_owned(),
                }]);
            }
        };
        problems.extend(file.value_problems());
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(problems)
        }
    }

    /// What the schema cannot say: keys that must parse, and keys that need each other.
    fn value_problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut add = |key: &str, message: String, fix: &str| {
            problems.push(Problem {
                key: key.to_owned(),
                message,
                fix: fix.to_owned(),
            });
        };
        if let Some(pc) = &self.pc
            && lamplight_vault::journal::check_pc_name(pc).is_err()
        {
            add(
                "pc",
                format!("{pc:?} is not a PC name Lamplight can use"),
                "letters, digits, '-', '_' and '.', at most 64",
            );
        }
        for (i, t) in self.trust.iter().enumerate() {
            if let Err(e) = lamplight_vault::TrustedKey::from_arg(t) {
                add(
                    &format!("trust[{i}]"),
                    e.to_string(),
                    "give a public key from `lamplight keygen --signing` (lamplight-sign-1:…) or a file of them",
                );
            }
        }
        if self.vault.is_some() && self.identity.is_none() {
            add(
                "identity",
                "a vault is configured but no key to open it".to_owned(),
                "set identity = \"/path/ward.key\" or \"keystore:NAME\"",
            );
        }
        if self.epr.is_some() && self.vault.is_none() && self.site_share.is_none() {
            add(
                "vault",
                "an EPR is configured but neither a vault nor a site share to seal what is pulled into"
                    .to_owned(),
                "set vault = \"/var/lib/lamplight/vault\" (a PC), or site_share = \"/srv/lamplight/site\" (a site agent)",
            );
        }
        if let Some(codes) = &self.omission_codes {
            if codes.is_empty() {
                add(
                    "omission_codes",
                    "is empty: a nurse could not record a dose not given".to_owned(),
                    "leave it out for all eight codes, or list the ones the trust uses",
                );
            }
            let mut seen = std::collections::BTreeSet::new();
            for c in codes {
                if !seen.insert(c.code()) {
                    add(
                        "omission_codes",
                        format!("{} is listed twice", c.label()),
                        "list each code once",
                    );
                }
            }
        }
        let refreshes = self.refresh.as_ref().and_then(|r| r.every_secs) != Some(0);
        if !self.trust.is_empty() && self.epr.is_some() && refreshes && self.sign_with.is_none() {
            add("sign_with", "`trust` and `[epr]` are set, so this PC would refuse the unsigned snapshots it stages itself".to_owned(), "set sign_with to a staging key whose public half is in trust");
        }
        problems
    }

    /// Lay the file under a station's configuration: what the file says replaces the defaults;
    /// the environment and flags are laid on top by the caller.
    pub fn apply(&self, c: &mut StationConfig) {
        let paths = |v: &[String]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        if let Some(pc) = &self.pc {
            c.pc.clone_from(pc);
        }
        if !self.wards.is_empty() {
            c.wards.clone_from(&self.wards);
        }
        set(&mut c.vault, self.vault.clone());
        set(&mut c.identity, self.identity.as_ref().map(PathBuf::from));
        set(&mut c.passphrase_file, self.passphrase_file.clone());
        if !self.previous_identities.is_empty() {
            c.previous_identities = paths(&self.previous_identities);
        }
        set(&mut c.ward_folder, self.ward_folder.clone());
        set(&mut c.site_share, self.site_share.clone());
        set(&mut c.status_dir, self.status_dir.clone());
        set(&mut c.pdf_folder, self.pdf_folder.clone());
        set(&mut c.recipients_file, self.recipients_file.clone());
        set(&mut c.signing_key, self.sign_with.clone());
        if !self.trust.is_empty() {
            // Checked in `value_problems`: a key that does not parse never gets here.
            c.trust = Some(
                self.trust
                    .iter()
                    .filter_map(|t| lamplight_vault::TrustedKey::from_arg(t).ok())
                    .flatten()
                    .collect(),
            );
        }
        if let Some(m) = self.stale_after_mins {
            c.stale_after_minutes = i64::from(m);
        }
        if let Some(m) = self.idle_lock_mins {
            c.idle_lock_minutes = i64::from(m);
        }
        if let Some(codes) = &self.omission_codes {
            c.omission_codes.clone_from(codes);
        }
        if let Some(epr) = &self.epr {
            c.epr = Some(EprSettings {
                base_url: epr.url.clone(),
                token_file: epr.token_file.clone(),
                ca_file: epr.ca_file.clone(),
            });
        }
        if let Some(r) = &self.refresh {
            apply_refresh(r, c);
        }
        if let Some(h) = &self.health {
            apply_health(h, &mut c.health);
        }
        if let Some(r) = &self.retention {
            if let Some(g) = r.generations {
                c.keep_generations = usize::try_from(g).unwrap_or(lamplight_vault::DEFAULT_KEEP);
            }
            if let Some(d) = r.log_days {
                c.log_days = usize::try_from(d).unwrap_or(crate::logging::KEEP_DAYS);
            }
        }
        if let Some(p) = &self.print {
            set(&mut c.print_command, p.command.clone());
        }
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

fn apply_refresh(r: &RefreshSection, c: &mut StationConfig) {
    let mut policy = c.refresh.unwrap_or_default();
    if let Some(m) = r.full_every_mins {
        policy.full_every = TimeDelta::minutes(i64::from(m));
    }
    match r.every_secs {
        Some(0) => c.refresh = None,
        Some(s) => {
            policy.every = Duration::from_secs(u64::from(s));
            c.refresh = Some(policy);
        }
        None => c.refresh = Some(policy),
    }
}

fn apply_health(h: &HealthSection, health: &mut HealthPolicy) {
    if let Some(s) = h.every_secs {
        health.every = Duration::from_secs(u64::from(s));
    }
    if let Some(s) = h.timeout_secs {
        health.timeout = Duration::from_secs(u64::from(s));
    }
    if let Some(s) = h.propose_after_secs {
        health.propose_after = Duration::from_secs(u64::from(s));
    }
}

/// The line a TOML syntax error is on, as the fix.
fn syntax_fix(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(
                "correct line {line}; strings need double quotes, e.g. vault = \"/var/lib/lamplight/vault\""
            )
        }
        None => "correct the TOML syntax; strings need double quotes".to_owned(),
    }
}

/// Every way `instance` breaks the schema, each with the key's own description as its fix.
fn shape_problems(schema: &Value, instance: &Value) -> Vec<Problem> {
    let Ok(validator) = jsonschema::validator_for(schema) else {
        return vec![Problem {
            key: String::new(),
            message: "the configuration schema itself does not compile".to_owned(),
            fix: "report this as a Lamplight bug".to_owned(),
        }];
    };
    let mut problems: Vec<Problem> = validator
        .iter_errors(instance)
        .flat_map(|e| {
            let at: Vec<String> = e
                .instance_path
                .as_str()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            match &e.kind {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                    .iter()
                    .map(|u| unknown_key(schema, &at, u))
                    .collect::<Vec<_>>(),
                _ => vec![Problem {
                    key: dotted(&at),
                    message: e.to_string(),
                    fix: describe(schema, &at)
                        .unwrap_or_else(|| "see schemas/lamplight-config.schema.json".to_owned()),
                }],
            }
        })
        .collect();
    problems.sort_by(|a, b| a.key.cmp(&b.key));
    problems.dedup();
    problems
}

fn dotted(at: &[String]) -> String {
    let mut key = String::new();
    for seg in at {
        if seg.chars().all(|c| c.is_ascii_digit()) {
            key.push('[');
            key.push_str(seg);
            key.push(']');
        } else {
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(seg);
        }
    }
    key
}

fn unknown_key(schema: &Value, at: &[String], name: &str) -> Problem {
    let mut path = at.to_vec();
    path.push(name.to_owned());
    let known: Vec<String> = node(schema, at)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let nearest = known
        .iter()
        .map(|k| (edit_distance(k, name), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min();
    let fix = match nearest {
        Some((_, k)) => {
            let mut near = at.to_vec();
            near.push(k.clone());
            format!(
                "did you mean `{}`? A misspelt key would otherwise be ignored",
                dotted(&near)
            )
        }
        None => format!(
            "remove it; the keys {} are {}",
            if at.is_empty() {
                "at the top".to_owned()
            } else {
                format!("of [{}]", dotted(at))
            },
            known.join(", ")
        ),
    };
    Problem {
        key: dotted(&path),
        message: "is not a Lamplight setting".to_owned(),
        fix,
    }
}

/// The schema node for a path of keys, following `$ref`s into `$defs`.
fn node<'a>(schema: &'a Value, at: &[String]) -> Option<&'a Value> {
    let mut n = resolve(schema, schema);
    for seg in at {
        n = if seg.chars().all(|c| c.is_ascii_digit()) {
            resolve(schema, n.get("items")?)
        } else {
            resolve(schema, n.get("properties")?.get(seg)?)
        };
    }
    Some(n)
}

/// A node with its `$ref` (directly or in `anyOf`, as schemars writes an `Option<Section>`) followed.
fn resolve<'a>(root: &'a Value, n: &'a Value) -> &'a Value {
    let reference = n
        .get("$ref")
        .or_else(|| n.get("anyOf")?.as_array()?.iter().find_map(|v| v.get("$ref")));
    reference
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| root.get("$defs")?.get(name))
        .unwrap_or(n)
}

fn describe(schema: &Value, at: &[String]) -> Option<String> {
    // An array item's fix is its array's description.
    let keys: Vec<String> = at
        .iter()
        .filter(|s| !s.chars().all(|c| c.is_ascii_digit()))
        .cloned()
        .collect();
    let (last, parent) = keys.split_last()?;
    let owner = node(schema, parent)?;
    owner
        .get("properties")?
        .get(last)?
        .get("description")?
        .as_str()
        .map(str::to_owned)
}

/// Levenshtein distance, for "did you mean": a dozen lines are not worth a crate.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The keys the file may hold, dotted, with their descriptions: for `--help` texts and docs.
pub fn keys() -> BTreeMap<String, String> {
    fn walk(schema: &Value, at: &mut Vec<String>, out: &mut BTreeMap<String, String>) {
        let Some(props) = node(schema, at)
            .and_then(|n| n.get("properties"))
            .and_then(Value::as_object)
        else {
            return;
        };
        for (k, v) in props {
            at.push(k.clone());
            let nested = node(schema, at).is_some_and(|n| n.get("properties").is_some());
            if nested {
                walk(schema, at, out);
            } else {
                let d = v.get("description").and_then(Value::as_str).unwrap_or_default();
                out.insert(dotted(at), d.to_owned());
            }
            at.pop();
        }
    }
    let schema = schema();
    let mut out = BTreeMap::new();
    walk(&schema, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        ConfigFile::parse(text).expect_err("the file has problems")
    }

    #[test]
    fn every_problem_is_one_line_naming_its_key_and_fix() {
        let p = problems(
            r#"
idle_lock_min = 5
wards = ["WD7"]
[refresh]
every_secs = "soon"
[health]
timeout_secs = 500
[epr]
url = "ftp://epr.example"
[printer]
command = "lp"
"#,
        );
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "epr.url",
                "health.timeout_secs",
                "idle_lock_min",
                "printer",
                "refresh.every_secs"
            ],
            "{p:#?}"
        );
        let line = |k: &str| p.iter().find(|p| p.key == k).unwrap().to_string();
        assert!(
            line("idle_lock_min").contains("did you mean `idle_lock_mins`"),
            "{}",
            line("idle_lock_min")
        );
        assert!(
            line("printer").contains("did you mean `print`"),
            "{}",
            line("printer")
        );
        assert!(
            line("refresh.every_secs").contains("Seconds between incremental pulls"),
            "{}",
            line("refresh.every_secs")
        );
        assert!(
            line("health.timeout_secs").contains("500"),
            "{}",
            line("health.timeout_secs")
        );
        assert!(
            line("epr.url").contains("FHIR R4 base URL"),
            "{}",
            line("epr.url")
        );
        assert!(p.iter().all(|p| !p.to_string().contains('\n')), "one line each");
    }

    #[test]
    fn an_unknown_key_inside_a_section_is_named_with_its_section() {
        let p = problems("[refresh]\nevery_sec = 60\nfull_every_mins = 60\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, "refresh.every_sec");
        assert!(p[0].fix.contains("`refresh.every_secs`"), "{}", p[0]);
        let p = problems("colour = \"blue\"\n");
        assert!(
            p[0].fix.starts_with("remove it; the keys at the top are"),
            "{}",
            p[0]
        );
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let p = problems("wards = [\"WD7\"]\nvault = /var/lib/lamplight\n");
        assert_eq!(p.len(), 1);
        assert!(p[0].to_string().contains("line 2"), "{}", p[0]);
    }

    #[test]
    fn values_that_need_each_other_are_said_together() {
        let p = problems(
            "vault = \"/v\"\nomission_codes = [\"refused\", \"refused\"]\ntrust = [\"not-a-key\"]\n",
        );
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["trust[0]", "identity", "omission_codes"], "{p:#?}");
        let p = problems("omission_codes = [\"forgot\"]\n");
        assert_eq!(p[0].key, "omission_codes[0]", "{p:#?}");
    }

    #[test]
    fn the_shipped_example_is_valid_and_says_what_it_sets() {
        let file = ConfigFile::parse(include_str!("../../../packaging/lamplight.example.toml"))
            .unwrap_or_else(|p| panic!("{}", lines(&p)));
        let mut c = StationConfig::default();
        file.apply(&mut c);
        assert_eq!(c.wards, ["WD7"]);
        assert_eq!(c.refresh, None, "every_secs = 0: the share feeds it");
        assert_eq!(c.site_share, Some(PathBuf::from("/srv/lamplight/site")));
        assert_eq!(c.trust.as_ref().map(Vec::len), Some(1));
    }

    #[test]
    fn a_trusts_omission_codes_are_what_the_drug_chart_offers() {
        let file = ConfigFile::parse("omission_codes = [\"refused\", \"withheld\", \"other\"]\n").unwrap();
        let mut c = StationConfig::default();
        file.apply(&mut c);
        let offered: Vec<u8> = crate::forms::omission_codes(&c.omission_codes)
            .iter()
            .map(|o| o.code)
            .collect();
        assert_eq!(offered, [1, 5, 8]);
    }

    #[test]
    fn every_key_is_in_the_documentation() {
        let doc = include_str!("../../../docs/configuration.md");
        let missing: Vec<String> = keys()
            .into_keys()
            .filter(|k| !doc.contains(&format!("`{k}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/configuration.md does not describe {missing:?}"
        );
    }
}
