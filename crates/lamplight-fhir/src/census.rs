//! A ward census from an EPR: the full pull, the incremental refresh, and the pure rules both share.
//!
//! **Full pull** (by Location): the ward's `Location` and everything `partOf` it (bays, beds); the
//! `in-progress` Encounters at any of those places; then, for their patients in chunks: Patients
//! (with their AllergyIntolerances and Flags by `_revinclude` where the server supports it),
//! MedicationRequests (with their Medications by `_include`), MedicationAdministrations and vital-sign
//! Observations of the last [`CensusOptions::window`], and active ServiceRequests. Everything fetched
//! becomes one `collection` Bundle read by [`crate::import`], so there is one mapping.
//!
//! **Incremental refresh**: every kind searched once by `_lastUpdated=gt<previous pull's server time>`
//! (site-wide, so ten changes cost ten resources, not the ward), kept when it touches the ward's
//! places or patients, and applied by [`apply_changes`]: what changed is replaced, what no longer
//! belongs (a finished encounter, a stopped test, an inactive flag) leaves. Newly admitted patients
//! get a full pull of their own records. Deletions on the server are not seen by `_lastUpdated`;
//! [`Refresher`] runs a full pull on a schedule as the safety net.
//!
//! The same filters run on the answers of both ([`in_census`], [`retain_census`]), so an incremental
//! refresh gives exactly what a fresh full pull would. Search parameters the server does not support
//! are left out of the query and applied here instead.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::Site;
use serde_json::{Value, json};

use crate::client::{Capabilities, Epr, EprError, SearchResult};
use crate::json::instant;
use crate::{ImportReport, import};

/// What to pull.
#[derive(Debug, Clone)]
pub struct CensusOptions {
    /// Wards by code (`WD7`, a Location identifier) or Location id.
    pub wards: Vec<String>,
    /// How far back administrations and observations go: the drug chart's and the obs chart's day.
    pub window: TimeDelta,
    /// Patients (or places) per search: keeps URLs well under servers' limits.
    pub chunk: usize,
    /// `_count` asked for on each page.
    pub page_size: u32,
}

impl CensusOptions {
    /// One ward, a 24-hour window, 100 patients per search, pages of 1,000.
    pub fn ward(code: impl Into<String>) -> Self {
        Self::wards(vec![code.into()])
    }

    pub fn wards(codes: Vec<String>) -> Self {
        Self {
            wards: codes,
            window: TimeDelta::hours(24),
            chunk: 100,
            page_size: 1000,
        }
    }
}

/// Full or incremental.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullKind {
    Full,
    Incremental,
}

/// How much a pull cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullStats {
    pub requests: usize,
    pub bytes: usize,
    /// Resources received (includes and duplicates counted).
    pub resources: usize,
    pub millis: u128,
}

/// Every URL a pull requested, in order: what a benchmark replays raw (ids only, no patient data).
pub type RequestLog = Vec<String>;

/// A ward census at one moment of the server's clock.
#[derive(Debug, Clone)]
pub struct Census {
    pub site: Site,
    pub report: ImportReport,
    /// The server's clock when the pull began (less a margin): the next refresh asks for what changed
    /// after it, and the site's `extracted_at` is this.
    pub as_of: DateTime<Utc>,
    pub kind: PullKind,
    pub stats: PullStats,
    /// Server messages about the searches (parameters it ignored...): counts and texts, no patient data.
    pub notes: Vec<String>,
    pub urls: RequestLog,
    ward_ids: Vec<String>,
    /// The ward's Location tree and its Organization, as fetched: the importer places encounters by it.
    places: Vec<Value>,
}

/// What the server's clock is taken to be a little behind: `Date` headers are whole seconds and may
/// be cached for up to a second. Asking again for a few seconds' changes costs nothing.
const CLOCK_MARGIN: TimeDelta = TimeDelta::seconds(2);

/// Encounter statuses that put a patient on the ward (as the importer reads them).
const ENCOUNTER_STATUSES: &[&str] = &["in-progress", "arrived", "triaged", "onleave"];
/// MedicationRequest statuses charted (stopped ones are shown crossed through).
const ORDER_STATUSES: &[&str] = &["active", "on-hold", "stopped", "completed", "cancelled"];
const TEST_STATUSES: &[&str] = &["active", "on-hold"];
const OBSERVATION_CATEGORIES: &[&str] = &["vital-signs", "survey"];

/// The kinds a refresh asks about, in the order they are read.
const CHANGE_TYPES: &[&str] = &[
    "Location",
    "Organization",
    "Encounter",
    "Patient",
    "MedicationRequest",
    "MedicationAdministration",
    "ServiceRequest",
    "Observation",
    "AllergyIntolerance",
    "Flag",
];

struct Puller<'a> {
    epr: &'a Epr,
    caps: &'a Capabilities,
    opts: &'a CensusOptions,
    stats: PullStats,
    notes: Vec<String>,
    urls: RequestLog,
    server_time: Option<DateTime<Utc>>,
}

impl Puller<'_> {
    fn search(&mut self, rtype: &str, mut params: Vec<(&str, String)>) -> Result<Vec<Value>, EprError> {
        params.retain(|(k, _)| k.starts_with('_') || self.caps.supports(rtype, k));
        params.push(("_count", self.opts.page_size.to_string()));
        let SearchResult {
            resources,
            outcomes,
            server_time,
            requests,
            bytes,
            urls,
        } = self.epr.search(rtype, &params)?;
        self.urls.extend(urls);
        self.stats.requests += requests;
        self.stats.bytes += bytes;
        self.stats.resources += resources.len();
        if self.server_time.is_none() {
            self.server_time = Some(server_time.unwrap_or_else(Utc::now) - CLOCK_MARGIN);
        }
        for o in outcomes {
            if !self.notes.contains(&o) {
                self.notes.push(o);
            }
        }
        Ok(resources)
    }

    /// Starts the clock: the server's time before anything is read.
    fn clock(&mut self) -> Result<DateTime<Utc>, EprError> {
        // The first search of a pull sets `server_time`; a cheap one when none has run yet.
        if self.server_time.is_none() {
            self.search("Location", vec![("_id", "lamplight-clock".into())])?;
        }
        Ok(self.server_time.unwrap_or_else(Utc::now))
    }

    /// The wards' Locations, everything `partOf` them, and their Organization.
    fn places(&mut self) -> Result<(Vec<Value>, Vec<String>), EprError> {
        let mut found: Vec<Value> = Vec::new();
        let mut ward_ids = Vec::new();
        let include = self.caps.includes("Location", "Location:organization");
        for chunk in self.opts.wards.chunks(self.opts.chunk) {
            let mut params = vec![("identifier", chunk.join(","))];
            if include {
                params.push(("_include", "Location:organization".into()));
            }
            let mut answer = self.search("Location", params)?;
            let missing: Vec<String> = chunk
                .iter()
                .filter(|code| !answer.iter().any(|l| names_ward(l, code)))
                .cloned()
                .collect();
            if !missing.is_empty() {
                let mut params = vec![("_id", missing.join(","))];
                if include {
                    params.push(("_include", "Location:organization".into()));
                }
                answer.extend(self.search("Location", params)?);
            }
            for code in chunk {
                let ward = answer
                    .iter()
                    .find(|l| names_ward(l, code))
                    .ok_or_else(|| EprError::NoSuchWard { ward: code.clone() })?;
                ward_ids.push(id_of(ward).to_owned());
            }
            found.extend(answer);
        }
        let mut seen: HashSet<String> = found.iter().map(type_and_id).collect();
        let mut frontier = ward_ids.clone();
        for _level in 0..4 {
            let mut next = Vec::new();
            for chunk in frontier.chunks(self.opts.chunk) {
                for l in self.search("Location", vec![("partof", chunk.join(","))])? {
                    if seen.insert(type_and_id(&l)) {
                        next.push(id_of(&l).to_owned());
                        found.push(l);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        if !include {
            let orgs: BTreeSet<String> = found
                .iter()
                .filter_map(|l| reference_id(l, "managingOrganization"))
                .collect();
            if !orgs.is_empty() {
                let orgs: Vec<String> = orgs.into_iter().collect();
                found.extend(self.search("Organization", vec![("_id", orgs.join(","))])?);
            }
        }
        Ok((found, ward_ids))
    }

    fn encounters_at(&mut self, places: &[Value]) -> Result<Vec<Value>, EprError> {
        let ids: Vec<String> = places
            .iter()
            .filter(|p| rtype_of(p) == "Location")
            .map(|p| id_of(p).to_owned())
            .collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(self.opts.chunk) {
            out.extend(self.search(
                "Encounter",
                vec![
                    ("location", chunk.join(",")),
                    ("status", ENCOUNTER_STATUSES.join(",")),
                ],
            )?);
        }
        Ok(out)
    }

    /// Everything the census holds about these patients.
    fn patients(&mut self, ids: &[String], cutoff: DateTime<Utc>) -> Result<Vec<Value>, EprError> {
        let mut out = Vec::new();
        let since = format!("ge{}", instant(cutoff));
        let revinclude = self.caps.resources.get("Patient").is_some_and(|r| {
            r.revincludes.contains("AllergyIntolerance:patient") && r.revincludes.contains("Flag:patient")
        });
        for chunk in ids.chunks(self.opts.chunk) {
            let list = chunk.join(",");
            if revinclude {
                out.extend(self.search(
                    "Patient",
                    vec![
                        ("_id", list.clone()),
                        ("_revinclude", "AllergyIntolerance:patient".into()),
                        ("_revinclude", "Flag:patient".into()),
                    ],
                )?);
            } else {
                out.extend(self.search("Patient", vec![("_id", list.clone())])?);
                out.extend(self.search("AllergyIntolerance", vec![("patient", list.clone())])?);
                out.extend(self.search(
                    "Flag",
                    vec![("patient", list.clone()), ("status", "active".into())],
                )?);
            }
            let mut orders = vec![("patient", list.clone()), ("status", ORDER_STATUSES.join(","))];
            if self
                .caps
                .includes("MedicationRequest", "MedicationRequest:medication")
            {
                orders.push(("_include", "MedicationRequest:medication".into()));
            }
            out.extend(self.search("MedicationRequest", orders)?);
            out.extend(self.search(
                "MedicationAdministration",
                vec![("patient", list.clone()), ("effective-time", since.clone())],
            )?);
            out.extend(self.search(
                "ServiceRequest",
                vec![("patient", list.clone()), ("status", TEST_STATUSES.join(","))],
            )?);
            out.extend(self.observations(chunk, cutoff)?);
        }
        Ok(out)
    }

    fn observations(&mut self, ids: &[String], cutoff: DateTime<Utc>) -> Result<Vec<Value>, EprError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(self.opts.chunk) {
            out.extend(self.search(
                "Observation",
                vec![
                    ("patient", chunk.join(",")),
                    ("category", OBSERVATION_CATEGORIES.join(",")),
                    ("date", format!("ge{}", instant(cutoff))),
                ],
            )?);
        }
        Ok(out)
    }
}

/// Every ward of the site, by Location id: the Locations whose `physicalType` is `wa` (ward), for
/// staging or refreshing the whole site (`--site`, a bed manager's PC). R4 has no search parameter
/// for `physicalType`, so this reads every Location (a 1,500-bed site has about 1,700) once, and
/// the census then pulls those wards as if they had been named.
pub fn site_wards(epr: &Epr) -> Result<Vec<String>, EprError> {
    let found = epr.search(
        "Location",
        &[("_count", "1000".into()), ("_elements", "id,physicalType".into())],
    )?;
    let mut wards: Vec<String> = found
        .resources
        .iter()
        .filter(|l| {
            l.pointer("/physicalType/coding")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| c.get("code").and_then(Value::as_str) == Some("wa"))
        })
        .map(|l| id_of(l).to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    wards.sort();
    wards.dedup();
    Ok(wards)
}

/// Pulls the whole census of the wards in `opts`.
pub fn full_pull(epr: &Epr, caps: &Capabilities, opts: &CensusOptions) -> Result<Census, EprError> {
    let started = Instant::now();
    let mut p = Puller {
        epr,
        caps,
        opts,
        stats: PullStats::default(),
        notes: Vec::new(),
        urls: Vec::new(),
        server_time: None,
    };
    let (places, ward_ids) = p.places()?;
    let as_of = p.clock()?;
    let cutoff = as_of - opts.window;
    let encounters = p.encounters_at(&places)?;
    let patient_ids: Vec<String> = encounters
        .iter()
        .filter(|e| in_census(e, cutoff))
        .filter_map(|e| reference_id(e, "subject"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let records = p.patients(&patient_ids, cutoff)?;
    let mut resources = places.clone();
    resources.extend(encounters);
    resources.extend(records);
    let (mut site, report) = read(&resources, cutoff, as_of)?;
    retain_census(&mut site, &ward_ids, cutoff);
    normalise(&mut site);
    p.stats.millis = started.elapsed().as_millis();
    Ok(Census {
        site,
        report,
        as_of,
        kind: PullKind::Full,
        stats: p.stats,
        notes: p.notes,
        urls: p.urls,
        ward_ids,
        places,
    })
}

/// Brings `previous` up to date with what changed on the server since its pull.
#[allow(
    clippy::too_many_lines,
    reason = "one refresh read top to bottom: what changed, who is here now, what to fetch, apply"
)]
pub fn refresh(
    epr: &Epr,
    caps: &Capabilities,
    previous: &Census,
    opts: &CensusOptions,
) -> Result<Census, EprError> {
    let started = Instant::now();
    let mut p = Puller {
        epr,
        caps,
        opts,
        stats: PullStats::default(),
        notes: Vec::new(),
        urls: Vec::new(),
        server_time: None,
    };
    let since = format!("gt{}", instant(previous.as_of));
    let mut changed: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for rtype in CHANGE_TYPES {
        changed.insert(rtype, p.search(rtype, vec![("_lastUpdated", since.clone())])?);
    }
    let as_of = p.clock()?;
    let cutoff = as_of - opts.window;

    // The places: fetched again when any of them (or anything newly under one) changed.
    let place_ids: HashSet<String> = previous.places.iter().map(type_and_id).collect();
    let places_changed = changed["Location"].iter().any(|l| {
        place_ids.contains(&type_and_id(l))
            || reference_id(l, "partOf")
                .is_some_and(|parent| place_ids.contains(&format!("Location/{parent}")))
    }) || changed["Organization"]
        .iter()
        .any(|o| place_ids.contains(&type_and_id(o)));
    let (places, ward_ids) = if places_changed {
        p.places()?
    } else {
        (previous.places.clone(), previous.ward_ids.clone())
    };
    let location_ids: HashSet<String> = places
        .iter()
        .filter(|l| rtype_of(l) == "Location")
        .map(|l| id_of(l).to_owned())
        .collect();
    let before: HashSet<String> = previous.site.patients.iter().map(|p| p.id.clone()).collect();

    // Encounters that touch the ward or its patients decide who is on the ward now.
    let encounters: Vec<Value> = changed["Encounter"]
        .iter()
        .filter(|e| {
            encounter_locations(e).iter().any(|l| location_ids.contains(l))
                || reference_id(e, "subject").is_some_and(|s| before.contains(&s))
        })
        .cloned()
        .collect();
    let mut first = places.clone();
    first.extend(encounters.iter().cloned());
    let (moved, _) = read(&first, cutoff, as_of)?;
    let gone: HashSet<&str> = encounters.iter().map(id_of).collect();
    let after: BTreeSet<String> = previous
        .site
        .admissions
        .iter()
        .filter(|a| !gone.contains(a.id.as_str()))
        .chain(&moved.admissions)
        .filter(|a| a.ward_id.as_ref().is_some_and(|w| ward_ids.contains(w)))
        .map(|a| a.patient_id.clone())
        .collect();
    let admitted: Vec<String> = after.iter().filter(|id| !before.contains(*id)).cloned().collect();
    let staying: HashSet<&String> = after.iter().filter(|id| before.contains(*id)).collect();

    // What changed for patients who were already here.
    let mut ids: BTreeMap<Kind, BTreeSet<String>> = BTreeMap::new();
    ids.entry(Kind::Admission)
        .or_default()
        .extend(encounters.iter().map(|e| id_of(e).to_owned()));
    let mut resources = places.clone();
    resources.extend(encounters);
    let mut observations_of: BTreeSet<String> = admitted.iter().cloned().collect();
    for (rtype, list) in &changed {
        let Some(kind) = Kind::of(rtype) else {
            if *rtype == "Observation" {
                observations_of.extend(list.iter().filter_map(patient_of).filter(|p| staying.contains(p)));
            }
            continue;
        };
        if kind == Kind::Admission {
            continue;
        }
        for r in list {
            if patient_of(r).is_some_and(|p| staying.contains(&p)) {
                ids.entry(kind).or_default().insert(id_of(r).to_owned());
                resources.push(r.clone());
            }
        }
    }
    let refetch: Vec<String> = observations_of
        .iter()
        .filter(|p| staying.contains(p))
        .cloned()
        .collect();
    resources.extend(p.observations(&refetch, cutoff)?);
    resources.extend(p.patients(&admitted, cutoff)?);

    let (fragment, report) = read(&resources, cutoff, as_of)?;
    let mut site = previous.site.clone();
    apply_changes(
        &mut site,
        Changes {
            fragment,
            changed: ids,
            observations_of,
        },
    );
    site.extracted_at = Some(as_of);
    retain_census(&mut site, &ward_ids, cutoff);
    normalise(&mut site);
    p.stats.millis = started.elapsed().as_millis();
    Ok(Census {
        site,
        report,
        as_of,
        kind: PullKind::Incremental,
        stats: p.stats,
        notes: p.notes,
        urls: p.urls,
        ward_ids,
        places,
    })
}

/// Runs incremental refreshes, and a full pull when there is none yet or the last is older than
/// `full_every` (the safety net for what `_lastUpdated` cannot show, such as deletions).
#[derive(Debug)]
pub struct Refresher {
    pub options: CensusOptions,
    pub full_every: TimeDelta,
    census: Option<Census>,
    last_full: Option<DateTime<Utc>>,
}

impl Refresher {
    pub fn new(options: CensusOptions, full_every: TimeDelta) -> Self {
        Self {
            options,
            full_every,
            census: None,
            last_full: None,
        }
    }

    /// What the next pull at `now` will be.
    pub fn next_kind(&self, now: DateTime<Utc>) -> PullKind {
        match (&self.census, self.last_full) {
            (Some(_), Some(full)) if now - full < self.full_every => PullKind::Incremental,
            _ => PullKind::Full,
        }
    }

    /// Pulls (full or incremental, as [`Refresher::next_kind`] says). On error the previous census
    /// stays as it was.
    pub fn pull(&mut self, epr: &Epr, caps: &Capabilities, now: DateTime<Utc>) -> Result<&Census, EprError> {
        let next = if let (PullKind::Incremental, Some(previous)) = (self.next_kind(now), &self.census) {
            refresh(epr, caps, previous, &self.options)?
        } else {
            let c = full_pull(epr, caps, &self.options)?;
            self.last_full = Some(now);
            c
        };
        Ok(self.census.insert(next))
    }

    pub fn census(&self) -> Option<&Census> {
        self.census.as_ref()
    }
}

/// The kinds of record a change replaces by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Patient,
    Admission,
    MedicationOrder,
    Administration,
    PendingTest,
    Allergy,
    Alert,
}

impl Kind {
    /// The kind a FHIR resource type maps to (Observations are replaced per patient instead).
    pub fn of(rtype: &str) -> Option<Kind> {
        Some(match rtype {
            "Patient" => Kind::Patient,
            "Encounter" => Kind::Admission,
            "MedicationRequest" => Kind::MedicationOrder,
            "MedicationAdministration" => Kind::Administration,
            "ServiceRequest" => Kind::PendingTest,
            "AllergyIntolerance" => Kind::Allergy,
            "Flag" => Kind::Alert,
            _ => return None,
        })
    }

    /// The FHIR resource type of this kind (the inverse of [`Kind::of`]).
    pub fn resource_type(self) -> &'static str {
        match self {
            Kind::Patient => "Patient",
            Kind::Admission => "Encounter",
            Kind::MedicationOrder => "MedicationRequest",
            Kind::Administration => "MedicationAdministration",
            Kind::PendingTest => "ServiceRequest",
            Kind::Allergy => "AllergyIntolerance",
            Kind::Alert => "Flag",
        }
    }
}

/// What a refresh learnt, ready to apply to a site.
#[derive(Debug, Clone)]
pub struct Changes {
    /// The changed records that still belong, and newly admitted patients' records, read by the
    /// importer (with the ward's places, so its `wards` are the current ones).
    pub fragment: Site,
    /// Ids of every record that changed, by kind, whether or not it still belongs: those absent
    /// from `fragment` have left (finished, stopped, resolved, entered in error).
    pub changed: BTreeMap<Kind, BTreeSet<String>>,
    /// Patients whose observation sets are given whole in `fragment`.
    pub observations_of: BTreeSet<String>,
}

/// Applies `changes` to `site`: changed records are replaced or removed, the rest kept. Pure.
/// Follow with [`retain_census`] (who is still on the ward) and [`normalise`].
pub fn apply_changes(site: &mut Site, changes: Changes) {
    let Changes {
        fragment,
        changed,
        observations_of,
    } = changes;
    let gone = |kind: Kind, id: &str| changed.get(&kind).is_some_and(|s| s.contains(id));
    site.patients.retain(|x| !gone(Kind::Patient, &x.id));
    site.admissions.retain(|x| !gone(Kind::Admission, &x.id));
    site.orders.retain(|x| !gone(Kind::MedicationOrder, &x.id));
    site.administrations
        .retain(|x| !gone(Kind::Administration, &x.id));
    site.tests.retain(|x| !gone(Kind::PendingTest, &x.id));
    site.allergies.retain(|x| !gone(Kind::Allergy, &x.id));
    site.alerts.retain(|x| !gone(Kind::Alert, &x.id));
    site.observations
        .retain(|o| !observations_of.contains(&o.patient_id));
    site.weights.retain(|w| !observations_of.contains(&w.patient_id));
    // A note goes with its record: replaced when the record changed (or the patient's observations
    // were fetched again), kept when it did not, and given once however often it is noted.
    let changed_resources: HashSet<String> = changed
        .iter()
        .flat_map(|(kind, ids)| ids.iter().map(|id| format!("{}/{id}", kind.resource_type())))
        .collect();
    let replaced = |n: &lamplight_model::ImportNote| {
        let observations_fetched = n.resource.starts_with("Observation/")
            && n.patient_id.as_ref().is_some_and(|p| observations_of.contains(p));
        changed_resources.contains(&n.resource) || observations_fetched || fragment.notes.contains(n)
    };
    site.notes.retain(|n| !replaced(n));
    site.notes.extend(fragment.notes);
    if !fragment.wards.is_empty() {
        site.wards = fragment.wards;
        site.name = fragment.name;
    }
    upsert(&mut site.patients, fragment.patients, |x| &x.id);
    upsert(&mut site.admissions, fragment.admissions, |x| &x.id);
    upsert(&mut site.orders, fragment.orders, |x| &x.id);
    upsert(&mut site.administrations, fragment.administrations, |x| &x.id);
    upsert(&mut site.tests, fragment.tests, |x| &x.id);
    upsert(&mut site.allergies, fragment.allergies, |x| &x.id);
    upsert(&mut site.alerts, fragment.alerts, |x| &x.id);
    upsert(&mut site.observations, fragment.observations, |x| &x.id);
    upsert(&mut site.weights, fragment.weights, |x| &x.id);
}

/// Replaces (by id) or adds each of `new` in `list`.
fn upsert<T>(list: &mut Vec<T>, new: Vec<T>, id: impl Fn(&T) -> &str) {
    let fresh: HashSet<String> = new.iter().map(|t| id(t).to_owned()).collect();
    list.retain(|t| !fresh.contains(id(t)));
    list.extend(new);
}

/// Keeps what a census of `ward_ids` holds: admissions to those wards, their patients and only their
/// records, administrations and observation sets since `cutoff`. Pure.
pub fn retain_census(site: &mut Site, ward_ids: &[String], cutoff: DateTime<Utc>) {
    site.wards.retain(|w| ward_ids.contains(&w.id));
    site.admissions
        .retain(|a| a.ward_id.as_ref().is_some_and(|w| ward_ids.contains(w)));
    let on: HashSet<String> = site.admissions.iter().map(|a| a.patient_id.clone()).collect();
    site.patients.retain(|p| on.contains(&p.id));
    site.orders.retain(|o| on.contains(&o.patient_id));
    site.administrations
        .retain(|a| on.contains(&a.patient_id) && a.at >= cutoff);
    site.tests.retain(|t| on.contains(&t.patient_id));
    site.observations
        .retain(|o| on.contains(&o.patient_id) && o.taken_at >= cutoff);
    site.weights
        .retain(|w| on.contains(&w.patient_id) && w.taken_at >= cutoff);
    site.allergies.retain(|a| on.contains(&a.patient_id));
    site.alerts.retain(|a| on.contains(&a.patient_id));
    site.notes
        .retain(|n| n.patient_id.as_ref().is_none_or(|p| on.contains(p)));
}

/// Puts every list in one order (by id; bays by name, beds by label), whatever order the server
/// answered in, so two pulls of the same data are equal. Pure.
pub fn normalise(site: &mut Site) {
    site.wards.sort_by(|a, b| a.id.cmp(&b.id));
    for w in &mut site.wards {
        w.bays.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        for bay in &mut w.bays {
            bay.beds.sort_by(|a, b| (&a.label, &a.id).cmp(&(&b.label, &b.id)));
        }
    }
    site.patients.sort_by(|a, b| a.id.cmp(&b.id));
    site.admissions.sort_by(|a, b| a.id.cmp(&b.id));
    site.orders.sort_by(|a, b| a.id.cmp(&b.id));
    site.administrations.sort_by(|a, b| a.id.cmp(&b.id));
    site.tests.sort_by(|a, b| a.id.cmp(&b.id));
    site.observations.sort_by(|a, b| a.id.cmp(&b.id));
    site.weights.sort_by(|a, b| a.id.cmp(&b.id));
    site.allergies.sort_by(|a, b| a.id.cmp(&b.id));
    site.alerts.sort_by(|a, b| a.id.cmp(&b.id));
    site.notes
        .sort_by(|a, b| (&a.resource, a.kind, &a.detail).cmp(&(&b.resource, b.kind, &b.detail)));
}

/// Whether a fetched resource is one the census holds, by the same rules its searches ask the server
/// for (so a server that ignores a parameter changes nothing). Pure.
pub fn in_census(r: &Value, cutoff: DateTime<Utc>) -> bool {
    let status = r.get("status").and_then(Value::as_str).unwrap_or_default();
    let since = |t: Option<&Value>| {
        t.and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .is_none_or(|t| t >= cutoff)
    };
    match rtype_of(r) {
        "Encounter" => ENCOUNTER_STATUSES.contains(&status),
        "MedicationRequest" => ORDER_STATUSES.contains(&status),
        "ServiceRequest" => TEST_STATUSES.contains(&status),
        "Flag" => status == "active",
        "MedicationAdministration" => since(
            r.get("effectiveDateTime")
                .or_else(|| r.pointer("/effectivePeriod/start")),
        ),
        "Observation" => {
            let vital = r
                .get("category")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|c| c.get("coding").and_then(Value::as_array).into_iter().flatten())
                .any(|c| {
                    c.get("code")
                        .and_then(Value::as_str)
                        .is_some_and(|code| OBSERVATION_CATEGORIES.contains(&code))
                });
            vital
                && since(
                    r.get("effectiveDateTime")
                        .or_else(|| r.get("effectiveInstant"))
                        .or_else(|| r.pointer("/effectivePeriod/start")),
                )
        }
        _ => true,
    }
}

/// Imports fetched resources (deduplicated, those outside the census left out) as one collection.
fn read(
    resources: &[Value],
    cutoff: DateTime<Utc>,
    as_of: DateTime<Utc>,
) -> Result<(Site, ImportReport), EprError> {
    let mut unique: BTreeMap<(usize, String), &Value> = BTreeMap::new();
    for r in resources.iter().filter(|r| in_census(r, cutoff)) {
        let order = ORDER
            .iter()
            .position(|t| *t == rtype_of(r))
            .unwrap_or(ORDER.len());
        unique.insert((order, type_and_id(r)), r);
    }
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(as_of),
        "entry": unique.values().map(|r| json!({ "resource": r })).collect::<Vec<_>>(),
    });
    Ok(import(&bundle)?)
}

const ORDER: &[&str] = &[
    "Organization",
    "Location",
    "Patient",
    "Encounter",
    "Medication",
    "MedicationRequest",
    "MedicationAdministration",
    "ServiceRequest",
    "Observation",
    "AllergyIntolerance",
    "Flag",
];

fn rtype_of(r: &Value) -> &str {
    r.get("resourceType").and_then(Value::as_str).unwrap_or_default()
}

fn id_of(r: &Value) -> &str {
    r.get("id").and_then(Value::as_str).unwrap_or_default()
}

fn type_and_id(r: &Value) -> String {
    format!("{}/{}", rtype_of(r), id_of(r))
}

/// The id a Reference at `key` points to (`Patient/pt1` → `pt1`).
fn reference_id(r: &Value, key: &str) -> Option<String> {
    let s = r.get(key)?.get("reference")?.as_str()?;
    let s = s.split("/_history/").next().unwrap_or(s);
    s.rsplit('/').next().map(str::to_owned)
}

/// Whose record this is: `subject`, or `patient` (AllergyIntolerance), or the Patient itself.
fn patient_of(r: &Value) -> Option<String> {
    if rtype_of(r) == "Patient" {
        return Some(id_of(r).to_owned());
    }
    reference_id(r, "subject").or_else(|| reference_id(r, "patient"))
}

fn encounter_locations(e: &Value) -> Vec<String> {
    e.get("location")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| reference_id(l, "location"))
        .collect()
}

/// Whether a Location is the ward `code` names: by an identifier's value, or by its id.
fn names_ward(l: &Value, code: &str) -> bool {
    rtype_of(l) == "Location"
        && (id_of(l) == code
            || l.get("identifier")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|i| i.get("value").and_then(Value::as_str) == Some(code)))
}

#[cfg(test)]
mod tests;
