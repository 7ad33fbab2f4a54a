//! Printing: the station fills in `lamplight-print`'s view models from its snapshot, and sends a
//! finished PDF to the system printer.
//!
//! Building a document's content ([`Station::print_documents`]) is pure, so tests check what goes
//! on the paper without reading a PDF; [`Station::print`] lays it out. A PDF exists only in memory
//! until a person saves it or it is piped to `lp` (DESIGN.md promise 1: a user's explicit export is
//! the one time patient data may leave the vault unencrypted).

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::clinical::allergy_status;
use lamplight_model::news2;
use lamplight_model::time;
use lamplight_model::{
    AdministrationOutcome, Admission, AlertKind, AllergyStatus, Criticality, MedicationOrder, NhsNumber,
    ObservationSet, OmissionReason, OrderStatus, Oxygen, Patient, Risk, Schedule, Site, Spo2Scale, Ward,
};
use lamplight_print::{
    AllergyBox, BlankForms, Cell, Census, CensusRow, CensusTotals, CensusWard, Document, DrugChart,
    GridColumn, Handover, HandoverBed, HandoverPatient, ObsBand, ObsBlock, ObsChart, ObsColumn,
    OnceOnlyMedicine, PatientBanner, RegularMedicine, Stamp, WhenRequiredMedicine,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{SourceKind, Station, StationError};

/// The drug chart's administration grid covers this long from the moment of printing.
pub const GRID_HOURS: i64 = 72;
/// An administration recorded from an hour before to two hours after a due time marks that dose.
const COVER_BEFORE: TimeDelta = TimeDelta::hours(1);
const COVER_AFTER: TimeDelta = TimeDelta::hours(2);
/// The handover lists medicines due in the next four hours.
const HANDOVER_DUE_AHEAD: TimeDelta = TimeDelta::hours(4);
/// The NEWS2 chart shows observation sets from the last three days, at most two pages of them.
const OBS_BACK: TimeDelta = TimeDelta::days(3);
const OBS_MAX: usize = 22;

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrintDocument {
    /// SBAR handover: a ward (one block per bed), or one patient.
    Handover,
    /// Bed census: one ward, or every ward of the site when no ward is given.
    Census,
    /// Drug chart: one patient, or every patient on the ward.
    DrugChart,
    /// NEWS2 observation chart: one patient, or every patient on the ward.
    ObsChart,
    /// Blank admission form, drug chart, observation chart and downtime log.
    BlankForms,
    /// A ward's whole downtime pack: census, handover and every patient's drug chart.
    DowntimePack,
}

impl PrintDocument {
    pub fn title(self) -> &'static str {
        match self {
            PrintDocument::Handover => "Handover",
            PrintDocument::Census => "Bed census",
            PrintDocument::DrugChart => "Drug charts",
            PrintDocument::ObsChart => "NEWS2 observation charts",
            PrintDocument::BlankForms => "Blank forms",
            PrintDocument::DowntimePack => "Downtime pack",
        }
    }
}

/// Which ward or patient, and who is printing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PrintOptions {
    /// Ward id or code. May be left out when the data holds one ward (and, for a census, to print
    /// the whole site).
    pub ward: Option<String>,
    /// One patient: NHS number (with or without spaces) or patient id.
    pub patient: Option<String>,
    /// The name printed on every page as "printed by".
    pub printed_by: String,
}

/// What a print produced, for a front end to report ("12 pages sent to the printer").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PrintOutcome {
    pub document: PrintDocument,
    pub title: String,
    pub pages: usize,
    /// What `lp` said (`request id is ward7-42 (1 file(s))`), when sent to a printer.
    pub printer_message: Option<String>,
}

/// What a document will hold, shown before it is printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PrintPreview {
    pub document: PrintDocument,
    pub title: String,
    pub pages: usize,
    /// `DOWNTIME COPY - data as of 14:05 21/11/2026`, as on every page.
    pub stamp: String,
    /// One line per part: `Drug chart: SMITH, Mary Jane (999 123 4567): 6 regular, 2 when required`.
    pub parts: Vec<String>,
}

/// One line saying what a document holds.
fn describe(d: &Document) -> String {
    match d {
        Document::Handover(h) => match &h.patient {
            Some(p) => format!("Handover: {}", p.name),
            None => format!("Handover: {}, {} beds", h.ward, h.beds.len()),
        },
        Document::Census(c) => {
            let t = c
                .wards
                .iter()
                .fold(CensusTotals::default(), |acc, w| acc.plus(w.totals));
            format!(
                "{}: {} ward(s), {} beds, {} occupied, {} empty",
                c.title,
                c.wards.len(),
                t.beds,
                t.occupied,
                t.empty_open
            )
        }
        Document::DrugChart(c) => format!(
            "Drug chart: {} ({}): {} regular, {} when required, {} once-only",
            c.banner.name,
            c.banner.nhs_number.as_deref().unwrap_or("no NHS number"),
            c.regular.len(),
            c.when_required.len(),
            c.once_only.len()
        ),
        Document::ObsChart(c) => format!(
            "NEWS2 chart: {} ({}): {} observation sets",
            c.banner.name,
            c.banner.nhs_number.as_deref().unwrap_or("no NHS number"),
            c.columns.len()
        ),
        Document::BlankForms(_) => "Blank forms: admission, drug chart, NEWS2 chart, downtime log".to_owned(),
    }
}

/// The name of the person signed in to this computer, for "printed by" when none is given.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown user".to_owned())
}

/// Why a PDF could not reach the printer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrinterError {
    #[error(
        "no printing system found (the `lp` command of CUPS is not installed): use Save PDF and print it from another PC, or ask IT to install CUPS"
    )]
    NoCups,
    #[error("the printer refused the job: {0} (check a printer is set up and switched on, or use Save PDF)")]
    Refused(String),
    #[error("could not hand the document to the printing system: {0}")]
    Io(#[from] std::io::Error),
}

/// Sends a PDF to the default printer (or `printer`) through CUPS's `lp`, on its standard input:
/// no file is written. Returns what `lp` said.
pub fn send_to_printer(pdf: &[u8], printer: Option<&str>, title: &str) -> Result<String, PrinterError> {
    let mut cmd = Command::new("lp");
    if let Some(p) = printer {
        cmd.args(["-d", p]);
    }
    cmd.args(["-t", title, "-"]);
    let mut child = match cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PrinterError::NoCups),
        Err(e) => return Err(e.into()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A printer that refuses early closes the pipe: its message below says why.
        let _ = stdin.write_all(pdf);
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        return Err(PrinterError::Refused(if reason.is_empty() {
            format!("lp exited with {}", out.status)
        } else {
            reason
        }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `14:05 21/11/2026`.
fn paper_time(at: DateTime<Utc>) -> String {
    format!("{} {}", time::clock(at), time::date(time::london_date(at)))
}

/// Initials of a performer (`RN J Okafor` gives `JO`), for a grid box.
fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !matches!(*w, "RN" | "RGN" | "Dr" | "HCA" | "SN" | "NA" | "RNA"))
        .collect();
    words
        .iter()
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase()
}

fn dose_route(o: &MedicationOrder) -> String {
    match &o.route {
        Some(r) => format!("{} {}", o.dose.text, r.text.to_lowercase()),
        None => o.dose.text.clone(),
    }
}

fn administration_line(a: &lamplight_model::Administration) -> String {
    crate::query::administration_words(a, &paper_time(a.at))
}

fn schedule_rules(o: &MedicationOrder) -> String {
    match &o.schedule {
        Schedule::WhenRequired {
            indication,
            min_interval_minutes,
            max_doses_per_24h,
        } => {
            let mut parts = vec![match indication.as_ref().or(o.indication.as_ref()) {
                Some(i) => format!("for {i}"),
                None => "when required".to_owned(),
            }];
            parts.extend(crate::query::prn_limits(
                *min_interval_minutes,
                *max_doses_per_24h,
            ));
            parts.join("; ")
        }
        Schedule::Regular { times, frequency } => {
            let t: Vec<String> = times.iter().map(|t| t.format("%H:%M").to_string()).collect();
            if t.is_empty() {
                frequency.clone()
            } else {
                t.join(", ")
            }
        }
        Schedule::OnceOnly { at } => time::clinical(*at),
    }
}

/// The NEWS2 bands of each parameter, top to bottom as the RCP chart draws them
/// (shared/CLINICAL.md); `tests` checks every value lands in a band with the model's score.
pub fn news2_blocks(scale: Spo2Scale) -> Vec<ObsBlock> {
    let block = |label: &str, bands: &[(&str, u8)]| ObsBlock {
        label: label.to_owned(),
        bands: bands
            .iter()
            .map(|(l, s)| ObsBand {
                label: (*l).to_owned(),
                score: *s,
            })
            .collect(),
    };
    let spo2 = match scale {
        Spo2Scale::Scale1 => block(
            "SpO2 scale 1 (%)",
            &[("≥96", 0), ("94-95", 1), ("92-93", 2), ("≤91", 3)],
        ),
        Spo2Scale::Scale2 => block(
            "SpO2 scale 2 (%) target 88-92",
            &[
                ("≥97 on O2", 3),
                ("95-96 on O2", 2),
                ("93-94 on O2", 1),
                ("≥93 on air", 0),
                ("88-92", 0),
                ("86-87", 1),
                ("84-85", 2),
                ("≤83", 3),
            ],
        ),
    };
    vec![
        block(
            "Respiration rate (per min)",
            &[("≥25", 3), ("21-24", 2), ("12-20", 0), ("9-11", 1), ("≤8", 3)],
        ),
        spo2,
        block("Air or oxygen", &[("Air", 0), ("Oxygen", 2)]),
        block(
            "Systolic BP (mmHg)",
            &[
                ("≥220", 3),
                ("111-219", 0),
                ("101-110", 1),
                ("91-100", 2),
                ("≤90", 3),
            ],
        ),
        block(
            "Pulse (per min)",
            &[
                ("≥131", 3),
                ("111-130", 2),
                ("91-110", 1),
                ("51-90", 0),
                ("41-50", 1),
                ("≤40", 3),
            ],
        ),
        block("Consciousness", &[("Alert", 0), ("C, V, P or U", 3)]),
        block(
            "Temperature (°C)",
            &[
                ("≥39.1", 2),
                ("38.1-39.0", 1),
                ("36.1-38.0", 0),
                ("35.1-36.0", 1),
                ("≤35.0", 3),
            ],
        ),
    ]
}

/// Which band of [`news2_blocks`] each parameter of `o` falls in, with the value as written.
fn news2_marks(o: &ObservationSet, scale: Spo2Scale) -> Vec<Option<(usize, String)>> {
    let on_o2 = matches!(o.oxygen, Some(Oxygen::Supplemental { .. }));
    let rr = o.respiration_rate.map(|v| {
        let band = match v {
            25.. => 0,
            21..=24 => 1,
            12..=20 => 2,
            9..=11 => 3,
            _ => 4,
        };
        (band, v.to_string())
    });
    let spo2 = o.spo2.map(|v| {
        let band = match scale {
            Spo2Scale::Scale1 => match v {
                96.. => 0,
                94..=95 => 1,
                92..=93 => 2,
                _ => 3,
            },
            Spo2Scale::Scale2 => match (v, on_o2) {
                (97.., true) => 0,
                (95..=96, true) => 1,
                (93..=94, true) => 2,
                (93.., false) => 3,
                (88..=92, _) => 4,
                (86..=87, _) => 5,
                (84..=85, _) => 6,
                _ => 7,
            },
        };
        (band, v.to_string())
    });
    let air = o.oxygen.as_ref().map(|ox| match ox {
        Oxygen::Air => (0, "A".to_owned()),
        Oxygen::Supplemental {
            litres_per_minute, ..
        } => (
            1,
            litres_per_minute.map_or_else(|| "O2".to_owned(), |l| format!("{l}L")),
        ),
    });
    let bp = o.systolic_bp.map(|v| {
        let band = match v {
            220.. => 0,
            111..=219 => 1,
            101..=110 => 2,
            91..=100 => 3,
            _ => 4,
        };
        (band, v.to_string())
    });
    let pulse = o.pulse.map(|v| {
        let band = match v {
            131.. => 0,
            111..=130 => 1,
            91..=110 => 2,
            51..=90 => 3,
            41..=50 => 4,
            _ => 5,
        };
        (band, v.to_string())
    });
    let acvpu = o.consciousness.map(|c| {
        let band = usize::from(c != lamplight_model::Consciousness::Alert);
        (band, c.letter().to_string())
    });
    let temp = o.temperature_c.map(|t| {
        // Bands are on one decimal, as charted.
        let t1 = (t * 10.0).round() / 10.0;
        let band = if t1 >= 39.1 {
            0
        } else if t1 >= 38.1 {
            1
        } else if t1 >= 36.1 {
            2
        } else if t1 >= 35.1 {
            3
        } else {
            4
        };
        (band, format!("{t1:.1}"))
    });
    vec![rr, spo2, air, bp, pulse, acvpu, temp]
}

fn risk_level(r: Risk) -> u8 {
    match r {
        Risk::Low => 0,
        Risk::LowMedium => 1,
        Risk::Medium => 2,
        Risk::High => 3,
    }
}

/// A patient's records, gathered once.
struct Records<'a> {
    patient: &'a Patient,
    admission: Option<&'a Admission>,
    ward: Option<&'a Ward>,
    orders: Vec<&'a MedicationOrder>,
    administrations: Vec<&'a lamplight_model::Administration>,
    observations: Vec<&'a ObservationSet>,
}

/// Site indexes by patient, so a pack of 28 charts (or a site census) reads each list once.
struct Index<'a> {
    site: &'a Site,
    patients: HashMap<&'a str, &'a Patient>,
    admissions: HashMap<&'a str, &'a Admission>,
    orders: HashMap<&'a str, Vec<&'a MedicationOrder>>,
    administrations: HashMap<&'a str, Vec<&'a lamplight_model::Administration>>,
    observations: HashMap<&'a str, Vec<&'a ObservationSet>>,
    allergies: HashMap<&'a str, Vec<&'a lamplight_model::Allergy>>,
    alerts: HashMap<&'a str, Vec<&'a lamplight_model::Alert>>,
}

fn group<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, Vec<&'a T>> {
    let mut map: HashMap<&str, Vec<&T>> = HashMap::new();
    for i in items {
        map.entry(key(i)).or_default().push(i);
    }
    map
}

impl<'a> Index<'a> {
    fn new(site: &'a Site) -> Self {
        let mut administrations = group(&site.administrations, |a| a.patient_id.as_str());
        for list in administrations.values_mut() {
            list.sort_by_key(|a| a.at);
        }
        let mut observations = group(&site.observations, |o| o.patient_id.as_str());
        for list in observations.values_mut() {
            list.sort_by_key(|o| o.taken_at);
        }
        Self {
            site,
            patients: site.patients.iter().map(|p| (p.id.as_str(), p)).collect(),
            admissions: site
                .admissions
                .iter()
                .map(|a| (a.patient_id.as_str(), a))
                .collect(),
            orders: group(&site.orders, |o| o.patient_id.as_str()),
            administrations,
            observations,
            allergies: group(&site.allergies, |a| a.patient_id.as_str()),
            alerts: group(&site.alerts, |a| a.patient_id.as_str()),
        }
    }

    fn records(&self, patient: &'a Patient) -> Records<'a> {
        let id = patient.id.as_str();
        let admission = self.admissions.get(id).copied();
        Records {
            patient,
            admission,
            ward: admission.and_then(|a| self.site.wards.iter().find(|w| w.id == a.ward_id)),
            orders: self.orders.get(id).cloned().unwrap_or_default(),
            administrations: self.administrations.get(id).cloned().unwrap_or_default(),
            observations: self.observations.get(id).cloned().unwrap_or_default(),
        }
    }

    fn allergy_box(&self, patient_id: &str) -> AllergyBox {
        let records = self.allergies.get(patient_id).cloned().unwrap_or_default();
        match allergy_status(records.iter().copied()) {
            AllergyStatus::NotRecorded => AllergyBox {
                heading: "ALLERGIES NOT RECORDED - ask the patient before giving any medicine".to_owned(),
                entries: Vec::new(),
                warn: true,
            },
            AllergyStatus::NoneKnown => AllergyBox {
                heading: "NO KNOWN ALLERGIES".to_owned(),
                entries: Vec::new(),
                warn: false,
            },
            AllergyStatus::Known => {
                let mut current: Vec<_> = records
                    .iter()
                    .filter(|a| a.is_current() && !a.is_no_known_allergy())
                    .collect();
                current.sort_by_key(|a| (a.criticality != Some(Criticality::High), a.substance.text.clone()));
                AllergyBox {
                    heading: "ALLERGIES:".to_owned(),
                    entries: current
                        .iter()
                        .map(|a| {
                            let mut t = a.substance.text.clone();
                            if a.criticality == Some(Criticality::High) {
                                t.push_str(" (HIGH criticality)");
                            }
                            if !a.reactions.is_empty() {
                                t = format!("{t}: {}", a.reactions.join(", "));
                            }
                            t
                        })
                        .collect(),
                    warn: true,
                }
            }
        }
    }

    fn allergy_line(&self, patient_id: &str) -> String {
        let b = self.allergy_box(patient_id);
        if b.entries.is_empty() {
            b.heading
        } else {
            format!("ALLERGIES: {}", b.entries.join("; "))
        }
    }

    fn banner(&self, r: &Records<'_>, now: DateTime<Utc>) -> PatientBanner {
        let p = r.patient;
        let age = p.birth_date.map(|d| time::age_years(d, time::london_date(now)));
        let age_sex = match age {
            Some(a) => format!("{a} y, {}", p.sex.label()),
            None => p.sex.label().to_owned(),
        };
        PatientBanner {
            name: p.name.clinical(),
            nhs_number: p.nhs_number.map(|n| n.to_string()),
            birth_date: p.birth_date.map(time::date),
            age_sex,
            hospital_number: p.hospital_number.clone(),
            ward: r
                .ward
                .map_or_else(|| "Ward not known".to_owned(), |w| w.name.clone()),
            location: location(r),
            allergies: self.allergy_box(&p.id),
        }
    }
}

fn location(r: &Records<'_>) -> String {
    let bed = r.admission.and_then(|a| a.bed_id.as_deref()).and_then(|id| {
        r.ward
            .and_then(|w| w.beds().find(|(_, b)| b.id == id))
            .map(|(bay, bed)| format!("{}, bed {}", bay.name, bed.label))
    });
    bed.unwrap_or_else(|| "no bed allocated".to_owned())
}

/// A dose due at `at` is marked by the administration recorded nearest it in the cover window.
fn cell_for(r: &Records<'_>, order: &MedicationOrder, at: DateTime<Utc>) -> Cell {
    let found = r
        .administrations
        .iter()
        .filter(|a| a.order_id == order.id && a.at >= at - COVER_BEFORE && a.at <= at + COVER_AFTER)
        .min_by_key(|a| (a.at - at).abs());
    match found {
        None => Cell::Due,
        Some(a) => match &a.outcome {
            AdministrationOutcome::Given { .. } => {
                let mark = a.performer.as_deref().map(initials).filter(|i| !i.is_empty());
                Cell::Given(mark.unwrap_or_else(|| "✓".to_owned()))
            }
            AdministrationOutcome::NotGiven { reason } => Cell::Omitted(reason.code()),
        },
    }
}

fn omission_codes() -> Vec<(u8, String)> {
    OmissionReason::ALL
        .iter()
        .map(|r| (r.code(), r.label().to_owned()))
        .collect()
}

impl Station {
    fn stamp(&self, options: &PrintOptions, now: DateTime<Utc>) -> Stamp {
        let status = self.status(now);
        let mut notice = vec![format!("data {} when printed", status.age_text)];
        if status.source == SourceKind::Demo {
            notice.insert(0, "SYNTHETIC DEMO DATA - NOT REAL PATIENTS".to_owned());
        }
        if status.stale {
            notice.push("STALE: check for newer information".to_owned());
        }
        notice.extend(status.warnings);
        Stamp {
            data_as_of: paper_time(self.site().extracted_at),
            printed_at: paper_time(now),
            printed_by: if options.printed_by.trim().is_empty() {
                os_user()
            } else {
                options.printed_by.clone()
            },
            site: self.site().name.clone(),
            notice: Some(notice.join("  ·  ")),
        }
    }

    fn print_ward(&self, options: &PrintOptions) -> Result<Option<&Ward>, StationError> {
        let wards = &self.site().wards;
        match &options.ward {
            Some(code) => wards
                .iter()
                .find(|w| w.id == *code || w.code == *code)
                .map(Some)
                .ok_or_else(|| StationError::NoSuchWard(code.clone())),
            None if wards.len() == 1 => Ok(wards.first()),
            None => Ok(None),
        }
    }

    fn require_ward(&self, options: &PrintOptions) -> Result<&Ward, StationError> {
        self.print_ward(options)?.ok_or_else(|| {
            let codes: Vec<&str> = self.site().wards.iter().map(|w| w.code.as_str()).collect();
            StationError::PrintNeeds(format!(
                "say which ward to print (this data holds {} wards: {})",
                codes.len(),
                codes.join(", ")
            ))
        })
    }

    fn find_patient(&self, key: &str) -> Result<&Patient, StationError> {
        let nhs: Option<NhsNumber> = key.parse().ok();
        self.site()
            .patients
            .iter()
            .find(|p| p.id == key || (nhs.is_some() && p.nhs_number == nhs))
            .ok_or_else(|| StationError::NotFound {
                what: "patient",
                id: key.to_owned(),
            })
    }

    /// The patients of a ward in bed order, then those with no bed.
    fn ward_patients(&self, ward: &Ward) -> Vec<&Patient> {
        let site = self.site();
        let on_ward: Vec<&Admission> = site.admissions.iter().filter(|a| a.ward_id == ward.id).collect();
        let patients: HashMap<&str, &Patient> = site.patients.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut out = Vec::new();
        let mut placed = std::collections::HashSet::new();
        for (_, bed) in ward.beds() {
            for a in on_ward
                .iter()
                .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
            {
                if let Some(p) = patients.get(a.patient_id.as_str()) {
                    placed.insert(a.id.as_str());
                    out.push(*p);
                }
            }
        }
        for a in on_ward.iter().filter(|a| !placed.contains(a.id.as_str())) {
            if let Some(p) = patients.get(a.patient_id.as_str()) {
                out.push(*p);
            }
        }
        out
    }

    /// The patients a per-patient document covers: the one asked for, or the whole ward.
    fn chart_patients(&self, options: &PrintOptions) -> Result<Vec<&Patient>, StationError> {
        match &options.patient {
            Some(key) => Ok(vec![self.find_patient(key)?]),
            None => Ok(self.ward_patients(self.require_ward(options)?)),
        }
    }

    /// What goes on the paper, as view models: pure, for tests and previews.
    pub fn print_documents(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<Vec<Document>, StationError> {
        let index = Index::new(self.site());
        let stamp = self.stamp(options, now);
        Ok(match document {
            PrintDocument::Handover => vec![Document::Handover(self.handover(&index, options, stamp, now)?)],
            PrintDocument::Census => vec![Document::Census(self.census(&index, options, stamp, now)?)],
            PrintDocument::DrugChart => self
                .chart_patients(options)?
                .into_iter()
                .map(|p| Document::DrugChart(drug_chart(&index, p, stamp.clone(), now)))
                .collect(),
            PrintDocument::ObsChart => self
                .chart_patients(options)?
                .into_iter()
                .map(|p| Document::ObsChart(obs_chart(&index, p, stamp.clone(), now)))
                .collect(),
            PrintDocument::BlankForms => {
                let ward = self
                    .print_ward(options)?
                    .map_or_else(String::new, |w| w.name.clone());
                vec![Document::BlankForms(BlankForms {
                    stamp,
                    ward,
                    omission_codes: omission_codes(),
                    obs_blocks: news2_blocks(Spo2Scale::Scale1),
                })]
            }
            PrintDocument::DowntimePack => {
                let ward = self.require_ward(options)?;
                let ward_only = PrintOptions {
                    ward: Some(ward.id.clone()),
                    patient: None,
                    printed_by: options.printed_by.clone(),
                };
                let mut docs = vec![
                    Document::Census(self.census(&index, &ward_only, stamp.clone(), now)?),
                    Document::Handover(self.handover(&index, &ward_only, stamp.clone(), now)?),
                ];
                docs.extend(
                    self.ward_patients(ward)
                        .into_iter()
                        .map(|p| Document::DrugChart(drug_chart(&index, p, stamp.clone(), now))),
                );
                docs
            }
        })
    }

    /// The document as an A4 PDF, in memory.
    pub fn print(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, StationError> {
        Ok(self.print_pdf(document, options, now)?.bytes)
    }

    /// The PDF with its page count.
    pub fn print_pdf(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<lamplight_print::Pdf, StationError> {
        let docs = self.print_documents(document, options, now)?;
        Ok(lamplight_print::render(document.title(), &docs))
    }

    /// What the document will hold and how many pages, before it is printed.
    pub fn print_preview(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<PrintPreview, StationError> {
        let docs = self.print_documents(document, options, now)?;
        let pdf = lamplight_print::render(document.title(), &docs);
        Ok(PrintPreview {
            document,
            title: document.title().to_owned(),
            pages: pdf.pages,
            stamp: self.stamp(options, now).line(),
            parts: docs.iter().map(describe).collect(),
        })
    }

    /// Prints to the system printer (CUPS `lp`), with no file written.
    pub fn print_to_printer(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        printer: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<PrintOutcome, StationError> {
        let pdf = self.print_pdf(document, options, now)?;
        let message = send_to_printer(&pdf.bytes, printer, document.title())?;
        Ok(PrintOutcome {
            document,
            title: document.title().to_owned(),
            pages: pdf.pages,
            printer_message: Some(message),
        })
    }

    fn handover(
        &self,
        index: &Index<'_>,
        options: &PrintOptions,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Result<Handover, StationError> {
        if let Some(key) = &options.patient {
            let p = self.find_patient(key)?;
            let r = index.records(p);
            let banner = index.banner(&r, now);
            return Ok(Handover {
                stamp,
                ward: banner.ward.clone(),
                beds: vec![HandoverBed {
                    bed: location(&r),
                    empty_status: None,
                    patient: Some(handover_patient(index, &r, now)),
                }],
                patient: Some(banner),
            });
        }
        let ward = self.require_ward(options)?;
        let on_ward: Vec<&Admission> = self
            .site()
            .admissions
            .iter()
            .filter(|a| a.ward_id == ward.id)
            .collect();
        let mut beds = Vec::new();
        let mut placed = std::collections::HashSet::new();
        let patient_bed = |a: &Admission, label: String| {
            let patient = index.patients.get(a.patient_id.as_str()).map(|p| {
                let r = index.records(p);
                handover_patient(index, &r, now)
            });
            HandoverBed {
                bed: label,
                empty_status: patient
                    .is_none()
                    .then(|| "Patient record missing: check the EPR or paper".to_owned()),
                patient,
            }
        };
        for (bay, bed) in ward.beds() {
            let label = format!("{} ({})", bed.label, bay.name);
            let mut any = false;
            for a in on_ward
                .iter()
                .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
            {
                placed.insert(a.id.as_str());
                any = true;
                beds.push(patient_bed(a, label.clone()));
            }
            if !any {
                let status = match bed.status {
                    lamplight_model::BedStatus::Open => "Empty".to_owned(),
                    other => format!("Empty, {}", other.label().to_lowercase()),
                };
                beds.push(HandoverBed {
                    bed: label,
                    empty_status: Some(status),
                    patient: None,
                });
            }
        }
        for a in on_ward.iter().filter(|a| !placed.contains(a.id.as_str())) {
            beds.push(patient_bed(a, "No bed".to_owned()));
        }
        Ok(Handover {
            stamp,
            ward: ward.name.clone(),
            patient: None,
            beds,
        })
    }

    fn census(
        &self,
        index: &Index<'_>,
        options: &PrintOptions,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Result<Census, StationError> {
        let site = self.site();
        let wards: Vec<&Ward> = match self.print_ward(options)? {
            Some(w) => vec![w],
            None => site.wards.iter().collect(),
        };
        let whole_site = wards.len() > 1;
        let census_wards: Vec<CensusWard> = wards.iter().map(|w| census_ward(index, w, now)).collect();
        let site_totals = whole_site.then(|| {
            census_wards
                .iter()
                .fold(CensusTotals::default(), |acc, w| acc.plus(w.totals))
        });
        Ok(Census {
            stamp,
            title: if whole_site {
                "Site bed census".to_owned()
            } else {
                "Bed census".to_owned()
            },
            wards: census_wards,
            site_totals,
        })
    }
}

fn handover_patient(index: &Index<'_>, r: &Records<'_>, now: DateTime<Utc>) -> HandoverPatient {
    let p = r.patient;
    let age = p.birth_date.map(|d| time::age_years(d, time::london_date(now)));
    let sex = p.sex.label().chars().next().unwrap_or('U');
    let latest = r.observations.last().copied();
    let news = latest.map(ObservationSet::news2);
    let alerts: Vec<String> = index
        .alerts
        .get(p.id.as_str())
        .map(|list| {
            list.iter()
                .map(|a| format!("{}: {}", a.kind.badge(), a.text))
                .collect()
        })
        .unwrap_or_default();

    let mut situation = Vec::new();
    let mut background = Vec::new();
    if let Some(a) = r.admission {
        situation.push(format!(
            "Admitted with: {}",
            a.reason.as_deref().unwrap_or("reason not recorded")
        ));
        let day = (time::london_date(now) - time::london_date(a.admitted_at)).num_days() + 1;
        let who = match (&a.consultant, &a.specialty) {
            (Some(c), Some(s)) => format!(" under {c} ({s})"),
            (Some(c), None) => format!(" under {c}"),
            (None, Some(s)) => format!(" ({s})"),
            (None, None) => String::new(),
        };
        background.push(format!(
            "Admitted {}{who}; day {day} of stay",
            paper_time(a.admitted_at)
        ));
        if let Some(edd) = a.expected_discharge {
            background.push(format!("Expected discharge {}", time::date(edd)));
        }
    }
    let active: Vec<&&MedicationOrder> = r.orders.iter().filter(|o| o.in_force(now)).collect();
    let critical: Vec<&str> = active
        .iter()
        .filter(|o| o.time_critical)
        .map(|o| o.medicine.text.as_str())
        .collect();
    background.push(format!(
        "{} active medicine(s){}",
        active.len(),
        if critical.is_empty() {
            String::new()
        } else {
            format!("; time-critical: {}", critical.join(", "))
        }
    ));

    let mut assessment = Vec::new();
    match (latest, &news) {
        (Some(o), Some(n)) => {
            let mut line = format!(
                "NEWS2 {}{} at {} ({}): {}",
                n.total,
                if n.is_complete() { "" } else { "+ (incomplete)" },
                paper_time(o.taken_at),
                time::age_words(o.taken_at, now),
                n.risk.response()
            );
            if !n.is_complete() {
                let missing: Vec<&str> = n.missing.iter().map(|m| m.label()).collect();
                line = format!("{line}; not recorded: {}", missing.join(", "));
            }
            assessment.push(line);
            assessment.push(obs_summary(o));
        }
        _ => assessment.push("No observations recorded: take a full set".to_owned()),
    }

    let recommendation = recommendation(index, r, news.as_ref(), now);

    HandoverPatient {
        name: p.name.clinical(),
        nhs_number: p
            .nhs_number
            .map_or_else(|| "NHS number not known".to_owned(), |n| format!("NHS {n}")),
        age_sex: match age {
            Some(a) => format!("{a} y {sex}"),
            None => sex.to_string(),
        },
        news2: news.map(|n| format!("NEWS2 {}{}", n.total, if n.is_complete() { "" } else { "+" })),
        alerts,
        allergies: index.allergy_line(&p.id),
        situation,
        background,
        assessment,
        recommendation,
    }
}

/// What the next shift must do: medicines due (or overdue), tests awaited, how often to observe.
fn recommendation(
    index: &Index<'_>,
    r: &Records<'_>,
    news: Option<&lamplight_model::News2>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let p = r.patient;
    let mut recommendation = Vec::new();
    let mut due: Vec<(DateTime<Utc>, &MedicationOrder)> = Vec::new();
    for o in r.orders.iter().filter(|o| o.status == OrderStatus::Active) {
        for at in o.due_between(now - TimeDelta::hours(2), now + HANDOVER_DUE_AHEAD) {
            if matches!(cell_for(r, o, at), Cell::Due) {
                due.push((at, o));
            }
        }
    }
    due.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.medicine.text.cmp(&b.1.medicine.text))
    });
    for (at, o) in due {
        let mut line = format!("{} {} {}", time::clock(at), o.medicine.text, dose_route(o));
        if at < now {
            line = format!("OVERDUE {line}");
        }
        if o.time_critical {
            line.push_str(" (time-critical)");
        }
        recommendation.push(format!("Due: {line}"));
    }
    for t in index.site.tests.iter().filter(|t| t.patient_id == p.id) {
        recommendation.push(format!(
            "Pending: {} ({}, requested {})",
            t.test.text,
            t.priority.label(),
            paper_time(t.requested_at)
        ));
    }
    if let Some(n) = news {
        recommendation.push(format!("Observations {}", n.monitoring()));
    }
    recommendation
}

fn obs_summary(o: &ObservationSet) -> String {
    let mut parts = Vec::new();
    if let Some(v) = o.respiration_rate {
        parts.push(format!("RR {v}"));
    }
    if let Some(v) = o.spo2 {
        parts.push(format!("SpO2 {v}%"));
    }
    match &o.oxygen {
        Some(Oxygen::Air) => parts.push("air".to_owned()),
        Some(Oxygen::Supplemental {
            litres_per_minute,
            device,
        }) => {
            let mut t = "O2".to_owned();
            if let Some(l) = litres_per_minute {
                t = format!("{t} {l} L/min");
            }
            if let Some(d) = device {
                t = format!("{t} {d}");
            }
            parts.push(t);
        }
        None => {}
    }
    if let Some(s) = o.systolic_bp {
        parts.push(match o.diastolic_bp {
            Some(d) => format!("BP {s}/{d}"),
            None => format!("BP {s}"),
        });
    }
    if let Some(v) = o.pulse {
        parts.push(format!("P {v}"));
    }
    if let Some(c) = o.consciousness {
        parts.push(c.letter().to_string());
    }
    if let Some(t) = o.temperature_c {
        parts.push(format!("T {t:.1}"));
    }
    parts.join(", ")
}

/// Infection alerts, which decide isolation: `MRSA positive: side room`.
fn isolation_of(index: &Index<'_>, patient_id: &str) -> String {
    index
        .alerts
        .get(patient_id)
        .map(|list| {
            list.iter()
                .filter(|a| a.kind == AlertKind::Infection)
                .map(|a| a.text.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

fn census_ward(index: &Index<'_>, ward: &Ward, now: DateTime<Utc>) -> CensusWard {
    let site = index.site;
    let on_ward: Vec<&Admission> = site.admissions.iter().filter(|a| a.ward_id == ward.id).collect();
    let today = time::london_date(now);
    let patient_row = |a: &Admission, bay: &str, bed: &str| -> CensusRow {
        let mut row = CensusRow {
            bay: bay.to_owned(),
            bed: bed.to_owned(),
            ..CensusRow::default()
        };
        let Some(p) = index.patients.get(a.patient_id.as_str()) else {
            row.name = format!("UNKNOWN PATIENT (record {} missing)", a.patient_id);
            return row;
        };
        row.name = p.name.clinical();
        row.nhs_number = p
            .nhs_number
            .map_or_else(|| "not known".to_owned(), |n| n.to_string());
        row.hospital_number = p.hospital_number.clone().unwrap_or_default();
        row.age_dob = match p.birth_date {
            Some(d) => format!("{} y {}", time::age_years(d, today), time::date(d)),
            None => "DOB not known".to_owned(),
        };
        p.sex.label().clone_into(&mut row.sex);
        row.consultant_specialty = [a.consultant.clone(), a.specialty.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        row.admitted = time::date(time::london_date(a.admitted_at));
        row.length_of_stay = format!(
            "Day {}",
            (today - time::london_date(a.admitted_at)).num_days() + 1
        );
        row.expected_discharge = a.expected_discharge.map(time::date).unwrap_or_default();
        row.isolation = isolation_of(index, &p.id);
        row
    };
    let mut rows = Vec::new();
    let mut totals = CensusTotals::default();
    let mut placed = std::collections::HashSet::new();
    for (bay, bed) in ward.beds() {
        totals.beds += 1;
        let mut any = false;
        for a in on_ward
            .iter()
            .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
        {
            placed.insert(a.id.as_str());
            any = true;
            let mut row = patient_row(a, &bay.name, &bed.label);
            if bed.status != lamplight_model::BedStatus::Open {
                bed.status.label().clone_into(&mut row.status);
            }
            rows.push(row);
        }
        if any {
            totals.occupied += 1;
        } else {
            let open = bed.status == lamplight_model::BedStatus::Open;
            if open {
                totals.empty_open += 1;
            } else {
                totals.unavailable += 1;
            }
            rows.push(CensusRow {
                bay: bay.name.clone(),
                bed: bed.label.clone(),
                status: if open {
                    "Empty".to_owned()
                } else {
                    format!("Empty: {}", bed.status.label())
                },
                ..CensusRow::default()
            });
        }
    }
    for a in on_ward.iter().filter(|a| !placed.contains(a.id.as_str())) {
        totals.no_bed += 1;
        let mut row = patient_row(a, "No bed", "");
        "Awaiting bed".clone_into(&mut row.status);
        rows.push(row);
    }
    totals.isolation = rows.iter().filter(|r| !r.isolation.is_empty()).count();
    CensusWard {
        name: format!("{} - {}", ward.code, ward.name),
        rows,
        totals,
    }
}

fn drug_chart(index: &Index<'_>, p: &Patient, stamp: Stamp, now: DateTime<Utc>) -> DrugChart {
    let r = index.records(p);
    let end = now + TimeDelta::hours(GRID_HOURS);
    let in_chart = |o: &&&MedicationOrder| {
        o.status == OrderStatus::Active && o.start < end && o.end.is_none_or(|e| e > now)
    };
    let mut regular: Vec<&MedicationOrder> = r
        .orders
        .iter()
        .filter(in_chart)
        .filter(|o| matches!(o.schedule, Schedule::Regular { .. }))
        .copied()
        .collect();
    regular.sort_by(|a, b| {
        b.time_critical
            .cmp(&a.time_critical)
            .then_with(|| a.medicine.text.cmp(&b.medicine.text))
    });
    let dues: Vec<Vec<DateTime<Utc>>> = regular.iter().map(|o| o.due_between(now, end)).collect();
    let mut instants: Vec<DateTime<Utc>> = dues.iter().flatten().copied().collect();
    instants.sort_unstable();
    instants.dedup();
    let columns = instants
        .iter()
        .map(|at| GridColumn {
            day: time::london(*at).format("%a %d/%m").to_string(),
            time: time::clock(*at),
        })
        .collect();
    let last_of = |o: &MedicationOrder| {
        r.administrations
            .iter()
            .rfind(|a| a.order_id == o.id && a.at <= now)
            .map(|a| administration_line(a))
    };
    let regular_lines = regular
        .iter()
        .zip(&dues)
        .map(|(o, due)| {
            let mut details = vec![format!("Start {}", time::date(time::london_date(o.start)))];
            details.extend(o.prescriber.clone());
            details.extend(o.indication.as_ref().map(|i| format!("for {i}")));
            details.extend(o.instructions.clone());
            RegularMedicine {
                medicine: o.medicine.text.clone(),
                dose_route: dose_route(o),
                times: schedule_rules(o),
                time_critical: o.time_critical,
                details: details.join("  ·  "),
                last_given: last_of(o),
                cells: instants
                    .iter()
                    .map(|at| {
                        if due.contains(at) {
                            cell_for(&r, o, *at)
                        } else {
                            Cell::NotDue
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let once_only = once_only(&r);
    let mut when_required: Vec<WhenRequiredMedicine> = r
        .orders
        .iter()
        .filter(in_chart)
        .filter(|o| matches!(o.schedule, Schedule::WhenRequired { .. }))
        .map(|o| WhenRequiredMedicine {
            medicine: o.medicine.text.clone(),
            dose_route: dose_route(o),
            rules: schedule_rules(o),
            time_critical: o.time_critical,
            last_given: last_of(o),
        })
        .collect();
    when_required.sort_by(|a, b| a.medicine.cmp(&b.medicine));
    DrugChart {
        stamp,
        banner: index.banner(&r, now),
        grid_caption: format!("grid from {} for {GRID_HOURS} hours", time::clinical(now)),
        columns,
        regular: regular_lines,
        once_only,
        when_required,
        omission_codes: omission_codes(),
    }
}

/// Once-only orders, soonest first, with what was recorded for each.
fn once_only(r: &Records<'_>) -> Vec<OnceOnlyMedicine> {
    let mut once_only: Vec<OnceOnlyMedicine> = r
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::Active)
        .filter_map(|o| match o.schedule {
            Schedule::OnceOnly { at } => Some(OnceOnlyMedicine {
                medicine: o.medicine.text.clone(),
                dose_route: dose_route(o),
                due: paper_time(at),
                time_critical: o.time_critical,
                outcome: r
                    .administrations
                    .iter()
                    .rfind(|a| a.order_id == o.id)
                    .map(|a| administration_line(a)),
            }),
            _ => None,
        })
        .collect();
    once_only.sort_by(|a, b| a.due.cmp(&b.due));
    once_only
}

fn obs_chart(index: &Index<'_>, p: &Patient, stamp: Stamp, now: DateTime<Utc>) -> ObsChart {
    let r = index.records(p);
    let recent: Vec<&ObservationSet> = r
        .observations
        .iter()
        .filter(|o| o.taken_at >= now - OBS_BACK && o.taken_at <= now)
        .copied()
        .collect();
    let recent = &recent[recent.len().saturating_sub(OBS_MAX)..];
    let scale = recent.last().map_or(Spo2Scale::Scale1, |o| o.spo2_scale);
    let columns = recent
        .iter()
        .map(|o| {
            let n = news2::score(o);
            ObsColumn {
                date: time::london(o.taken_at).format("%d/%m").to_string(),
                time: time::clock(o.taken_at),
                marks: news2_marks(o, scale),
                total: if n.is_complete() {
                    n.total.to_string()
                } else {
                    format!("{}+", n.total)
                },
                risk_level: risk_level(n.risk),
                recorded_by: o.recorded_by.as_deref().map(initials),
            }
        })
        .collect();
    ObsChart {
        stamp,
        banner: index.banner(&r, now),
        scale_note: match scale {
            Spo2Scale::Scale1 => "SpO2 scale 1".to_owned(),
            Spo2Scale::Scale2 => "SpO2 scale 2 (prescribed target 88-92%)".to_owned(),
        },
        blocks: news2_blocks(scale),
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamplight_model::news2::{
        score_consciousness, score_pulse, score_respiration_rate, score_spo2_scale1, score_spo2_scale2,
        score_systolic_bp, score_temperature,
    };

    fn band_score(scale: Spo2Scale, block: usize, band: usize) -> u8 {
        news2_blocks(scale)[block].bands[band].score
    }

    fn set() -> ObservationSet {
        ObservationSet {
            id: "o".into(),
            patient_id: "p".into(),
            taken_at: Utc::now(),
            respiration_rate: None,
            spo2: None,
            spo2_scale: Spo2Scale::Scale1,
            oxygen: None,
            systolic_bp: None,
            diastolic_bp: None,
            pulse: None,
            consciousness: None,
            temperature_c: None,
            recorded_by: None,
        }
    }

    #[test]
    fn every_charted_value_lands_in_a_band_with_the_score_news2_gives_it() {
        for v in 0..=60u16 {
            let o = ObservationSet {
                respiration_rate: Some(v),
                ..set()
            };
            let (band, _) = news2_marks(&o, Spo2Scale::Scale1)[0].clone().unwrap();
            assert_eq!(
                band_score(Spo2Scale::Scale1, 0, band),
                score_respiration_rate(v),
                "RR {v}"
            );
        }
        for v in 50..=100u8 {
            for (oxygen, on) in [
                (Oxygen::Air, false),
                (
                    Oxygen::Supplemental {
                        litres_per_minute: Some(2.0),
                        device: None,
                    },
                    true,
                ),
            ] {
                let o = ObservationSet {
                    spo2: Some(v),
                    oxygen: Some(oxygen.clone()),
                    ..set()
                };
                let (b1, _) = news2_marks(&o, Spo2Scale::Scale1)[1].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale1, 1, b1),
                    score_spo2_scale1(v),
                    "SpO2 {v} scale 1"
                );
                let (b2, _) = news2_marks(&o, Spo2Scale::Scale2)[1].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale2, 1, b2),
                    score_spo2_scale2(v, on),
                    "SpO2 {v} scale 2, on oxygen {on}"
                );
                let (ba, _) = news2_marks(&o, Spo2Scale::Scale1)[2].clone().unwrap();
                assert_eq!(
                    band_score(Spo2Scale::Scale1, 2, ba),
                    news2::score_air_or_oxygen(&oxygen)
                );
            }
        }
        for v in 40..=260u16 {
            let o = ObservationSet {
                systolic_bp: Some(v),
                pulse: Some(v),
                ..set()
            };
            let marks = news2_marks(&o, Spo2Scale::Scale1);
            assert_eq!(
                band_score(Spo2Scale::Scale1, 3, marks[3].clone().unwrap().0),
                score_systolic_bp(v),
                "BP {v}"
            );
            assert_eq!(
                band_score(Spo2Scale::Scale1, 4, marks[4].clone().unwrap().0),
                score_pulse(v),
                "pulse {v}"
            );
        }
        for c in [
            lamplight_model::Consciousness::Alert,
            lamplight_model::Consciousness::NewConfusion,
            lamplight_model::Consciousness::Voice,
            lamplight_model::Consciousness::Pain,
            lamplight_model::Consciousness::Unresponsive,
        ] {
            let o = ObservationSet {
                consciousness: Some(c),
                ..set()
            };
            let (b, _) = news2_marks(&o, Spo2Scale::Scale1)[5].clone().unwrap();
            assert_eq!(band_score(Spo2Scale::Scale1, 5, b), score_consciousness(c));
        }
        for tenth in 330..=420 {
            let t = f64::from(tenth) / 10.0;
            let o = ObservationSet {
                temperature_c: Some(t),
                ..set()
            };
            let (b, _) = news2_marks(&o, Spo2Scale::Scale1)[6].clone().unwrap();
            assert_eq!(
                band_score(Spo2Scale::Scale1, 6, b),
                score_temperature(t),
                "temperature {t}"
            );
        }
    }

    #[test]
    fn initials_leave_out_the_role() {
        assert_eq!(initials("RN J Okafor"), "JO");
        assert_eq!(initials("Amira Hassan"), "AH");
    }
}
