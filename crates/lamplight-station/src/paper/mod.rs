//! Printing: the station fills in `lamplight-print`'s view models from its snapshot, and sends a
//! finished PDF to the system printer.
//!
//! Building a document's content ([`Station::print_documents`]) is pure, so tests check what goes
//! on the paper without reading a PDF; [`Station::print`] lays it out. A PDF exists only in memory
//! until a person saves it or it is piped to `lp` (DESIGN.md promise 1: a user's explicit export is
//! the one time patient data may leave the vault unencrypted).

pub mod audit;
mod census;
mod drug_chart;
mod handover;
pub(crate) mod index;
mod news2_chart;
mod printer;
pub mod quick_reference;
pub mod reconciliation;

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::time;
use lamplight_model::{
    MedicationOrder, Mode, NhsNumber, OmissionReason, Patient, Placement, Schedule, Spo2Scale, Ward,
};
use lamplight_print::{BlankForms, CensusTotals, Document, QuickReference, Stamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{SourceKind, Station, StationError, WardData};

use drug_chart::drug_chart;
use index::Index;
pub use news2_chart::news2_blocks;
use news2_chart::obs_chart;
pub use printer::{PrintRoute, PrinterError, os_user, send_to_printer};

/// What a page printed with no ward data says in place of its data's age.
const NO_DATA_YET: &str = "NO WARD DATA YET";

/// The drug chart's administration grid covers this long from the moment of printing.
pub const GRID_HOURS: i64 = 72;
/// The handover lists medicines due in the next four hours.
pub(crate) const HANDOVER_DUE_AHEAD: TimeDelta = TimeDelta::hours(4);
/// The NEWS2 chart shows observation sets from the last three days, at most two pages of them.
pub(crate) const OBS_BACK: TimeDelta = TimeDelta::days(3);
pub(crate) const OBS_MAX: usize = 22;

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
    /// The ward quick-reference card: how to work on this PC while the EPR is down, one page.
    QuickReference,
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
            PrintDocument::QuickReference => "Quick reference",
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

/// The PC a document is printed on: its mode is stamped on every page (a drill's pages say they
/// are practice), and the quick-reference card names it and says how it behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintingPc {
    pub mode: Mode,
    /// This PC's name (`WD7-PC1`).
    pub name: String,
    /// A signed-in session locks after this long without use.
    pub idle_lock_minutes: i64,
    /// Whether the ward's other PCs see what is recorded here (a ward folder is set).
    pub shares_entries: bool,
}

/// What a print produced, for a front end to report ("12 pages sent to the printer").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PrintOutcome {
    pub document: PrintDocument,
    pub title: String,
    pub pages: usize,
    /// What `lp` said (`request id is ward7-42 (1 file(s))`), when sent to a printer.
    pub printer_message: Option<String>,
    /// Where the PDF was saved, for "Save as PDF".
    #[serde(default)]
    pub saved_to: Option<String>,
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
        Document::Reconciliation(r) => r.title(),
        Document::Table(t) => t.title.clone(),
        Document::QuickReference(q) => format!("{}: {} parts", q.title, q.sections.len()),
    }
}

/// `14:05 21/11/2026`.
pub(crate) fn paper_time(at: DateTime<Utc>) -> String {
    format!("{} {}", time::clock(at), time::date(time::london_date(at)))
}

/// Initials of a performer (`RN J Okafor` gives `JO`), for a grid box.
pub(crate) fn initials(name: &str) -> String {
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

pub(crate) fn dose_route(o: &MedicationOrder) -> String {
    match &o.route {
        Some(r) => format!("{} {}", o.dose.text, r.text.to_lowercase()),
        None => o.dose.text.clone(),
    }
}

pub(crate) fn administration_line(a: &lamplight_model::Administration) -> String {
    crate::wording::administration_words(a, &paper_time(a.at))
}

pub(crate) fn schedule_rules(o: &MedicationOrder) -> String {
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
            parts.extend(crate::wording::prn_limits(
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

pub(crate) fn omission_codes() -> Vec<(u8, String)> {
    OmissionReason::ALL
        .iter()
        .map(|r| (r.code(), r.label().to_owned()))
        .collect()
}

impl WardData {
    fn stamp(&self, options: &PrintOptions, now: DateTime<Utc>, mode: Mode) -> Stamp {
        let status = self.status(now);
        let waiting = self.source == SourceKind::Waiting;
        let mut notice = vec![format!("data {} when printed", status.age_text)];
        match mode {
            Mode::Normal => {}
            Mode::Downtime => notice.insert(0, "DOWNTIME COPY".to_owned()),
            Mode::Recovery => notice.insert(0, "PRINTED DURING RECOVERY".to_owned()),
            Mode::Drill => notice.insert(0, "DRILL - PRACTICE ONLY, NOT A CLINICAL RECORD".to_owned()),
        }
        if status.source == SourceKind::Demo {
            notice.insert(0, "SYNTHETIC DEMO DATA - NOT REAL PATIENTS".to_owned());
        }
        // With no ward data there is nothing to be stale or warned of: the stamp says so already, and
        // the screen's advice (use the last printed pack) is not for the paper it is printed on.
        if waiting {
            notice.retain(|n| !n.starts_with("data "));
        } else {
            if status.stale {
                notice.push("STALE: check for newer information".to_owned());
            }
            notice.extend(status.warnings);
        }
        // What the import left out or changed is said on paper too, in the same words as the board.
        let ward = self.print_ward(options).ok().flatten().map(|w| w.id.as_str());
        notice.extend(crate::status::import_notice(self, ward).map(|n| n.text));
        Stamp {
            // A PC with no ward data yet prints blank forms and the card: never "as of" the moment
            // it began waiting.
            data_as_of: match self.site().extracted_at {
                _ if waiting => NO_DATA_YET.to_owned(),
                Some(at) => paper_time(at),
                None => crate::status::AGE_UNKNOWN.to_uppercase(),
            },
            printed_at: paper_time(now),
            printed_by: if options.printed_by.trim().is_empty() {
                os_user()
            } else {
                options.printed_by.clone()
            },
            site: self.site().name.clone(),
            notice: (!notice.is_empty()).then(|| notice.join("  ·  ")),
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

    pub(crate) fn find_patient(&self, key: &str) -> Result<&Patient, StationError> {
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

    /// The patients of a ward in bed order, then those with no bed ([`Ward::places`]).
    fn ward_patients(&self, ward: &Ward) -> Vec<&Patient> {
        let site = self.site();
        let patients: HashMap<&str, &Patient> = site.patients.iter().map(|p| (p.id.as_str(), p)).collect();
        ward.places(&site.admissions)
            .iter()
            .flat_map(Placement::admissions)
            .filter_map(|a| patients.get(a.patient_id.as_str()).copied())
            .collect()
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
        pc: &PrintingPc,
    ) -> Result<Vec<Document>, StationError> {
        let index = Index::new(self.site());
        let stamp = self.stamp(options, now, pc.mode);
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
            PrintDocument::QuickReference => {
                vec![Document::QuickReference(self.quick_reference(options, stamp, pc))]
            }
        })
    }

    /// The card, naming this PC and, when the data says, its ward and how old its data is. It needs
    /// no ward data: a PC still waiting for its first snapshot prints it too.
    fn quick_reference(&self, options: &PrintOptions, stamp: Stamp, pc: &PrintingPc) -> QuickReference {
        let waiting = self.source == SourceKind::Waiting;
        let ward = if waiting {
            None
        } else {
            self.print_ward(options).ok().flatten().map(|w| w.name.clone())
        };
        let facts = quick_reference::CardFacts {
            pc: Some(pc.name.clone()).filter(|n| !n.is_empty()),
            ward,
            data_as_of: Some(if waiting {
                NO_DATA_YET.to_lowercase()
            } else {
                stamp.data_as_of.clone()
            }),
            idle_lock_minutes: pc.idle_lock_minutes,
            shares_entries: pc.shares_entries,
        };
        quick_reference::card(stamp, &facts)
    }

    /// The PDF with its page count.
    pub fn print_pdf(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
        pc: &PrintingPc,
    ) -> Result<lamplight_print::Pdf, StationError> {
        let docs = self.print_documents(document, options, now, pc)?;
        Ok(lamplight_print::render(document.title(), &docs))
    }

    /// What the document will hold and how many pages, before it is printed.
    pub fn print_preview(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
        pc: &PrintingPc,
    ) -> Result<PrintPreview, StationError> {
        let docs = self.print_documents(document, options, now, pc)?;
        let pdf = lamplight_print::render(document.title(), &docs);
        Ok(PrintPreview {
            document,
            title: document.title().to_owned(),
            pages: pdf.pages,
            stamp: self.stamp(options, now, pc.mode).line(),
            parts: docs.iter().map(describe).collect(),
        })
    }
}

use crate::session::Actor;
use lamplight_model::Action;

/// Paper from the generation on screen, stamped with the PC's mode.
impl Station {
    /// What goes on the paper, as view models.
    pub fn print_documents(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<Vec<Document>, StationError> {
        self.data()
            .print_documents(document, options, now, &self.printing_pc())
    }

    /// This PC as its paper describes it.
    fn printing_pc(&self) -> PrintingPc {
        PrintingPc {
            mode: self.mode().mode,
            name: self.config.pc.clone(),
            idle_lock_minutes: self.config.idle_lock_minutes,
            shares_entries: self.config.ward_folder.is_some(),
        }
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
        self.data().print_pdf(document, options, now, &self.printing_pc())
    }

    /// Whether the person at the window may print `document`: a patient's record on paper (drug
    /// chart, NEWS2 chart, handover) needs a signed-in person who may open records; the census and
    /// blank forms (and the quick-reference card) are for anyone on the ward, but not for a signed-in role that may not see the
    /// board (IT). Returns who is printing, when someone is signed in.
    fn may_print(&self, document: PrintDocument, now: DateTime<Utc>) -> Result<Option<Actor>, StationError> {
        match document {
            PrintDocument::Census | PrintDocument::BlankForms | PrintDocument::QuickReference => {
                let refused = self
                    .sessions()
                    .refuse_if_signed_in_may_not(Action::ViewBoard, now);
                if refused.is_err() {
                    self.flush_session_audit();
                }
                refused?;
                Ok(self.sessions().signed_in_who_may(Action::ViewBoard, now))
            }
            PrintDocument::Handover
            | PrintDocument::DrugChart
            | PrintDocument::ObsChart
            | PrintDocument::DowntimePack => self.require(Action::OpenRecord, now).map(Some),
        }
    }

    /// What the document will hold and how many pages, before it is printed, for the person at
    /// the window (see `may_print`).
    pub fn print_preview(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<PrintPreview, StationError> {
        self.may_print(document, now)?;
        self.data()
            .print_preview(document, options, now, &self.printing_pc())
    }

    /// Prints to the system printer (CUPS `lp`), with no file written.
    pub fn print_to_printer(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        printer: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<PrintOutcome, StationError> {
        let actor = self.may_print(document, now)?;
        let pdf = self.print_pdf(document, options, now)?;
        let route = match &self.config.print_command {
            Some(command) => PrintRoute::parse(command)?,
            None => PrintRoute::default(),
        };
        let message = route.print(&pdf.bytes, printer, document.title())?;
        self.audit_paper(actor.as_ref(), "printed", document.title(), options, now);
        Ok(PrintOutcome {
            document,
            title: document.title().to_owned(),
            pages: pdf.pages,
            printer_message: Some(message),
            saved_to: None,
        })
    }

    /// "Save as PDF": the document written to this PC's PDF folder (`--pdf-folder`, by default
    /// `Documents/Lamplight` in the user's home), a new file each time, owner-only. The one copy
    /// of patient data Lamplight leaves unencrypted, because a person asked for it: audited, and
    /// highlighted in the audit trail. The same people may save what they may print.
    pub fn save_pdf(
        &self,
        document: PrintDocument,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) -> Result<PrintOutcome, StationError> {
        let actor = self.may_print(document, now)?;
        let pdf = self.print_pdf(document, options, now)?;
        let folder = self
            .config
            .pdf_folder
            .clone()
            .or_else(default_pdf_folder)
            .ok_or_else(|| {
                StationError::PdfNotSaved(
                    "this PC has no folder for PDFs (no home folder): IT sets one with --pdf-folder"
                        .to_owned(),
                )
            })?;
        let path = write_new_pdf(&folder, document, options, &pdf.bytes, now).map_err(|e| {
            StationError::PdfNotSaved(format!(
                "{} could not be written ({e}): nothing was saved; print instead, or ask IT",
                folder.display()
            ))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.audit_paper(
            actor.as_ref(),
            "exported-pdf",
            &format!("{}: {name}", document.title()),
            options,
            now,
        );
        tracing::info!(pages = pdf.pages, "document saved as PDF");
        Ok(PrintOutcome {
            document,
            title: document.title().to_owned(),
            pages: pdf.pages,
            printer_message: None,
            saved_to: Some(path.display().to_string()),
        })
    }

    /// A print or a PDF saved, in the audit trail: by the person signed in, or marked as done with
    /// nobody signed in (the census and blank forms are for anyone on the ward).
    fn audit_paper(
        &self,
        actor: Option<&Actor>,
        event: &str,
        detail: &str,
        options: &PrintOptions,
        now: DateTime<Utc>,
    ) {
        match actor {
            Some(actor) => self.append_audit(
                &actor.full_name,
                actor.role.word(),
                crate::entries::audit_of(actor, event, Some(detail), options.patient.as_deref()),
                now,
            ),
            None => self.append_audit(
                "nobody signed in",
                "none",
                crate::entries::AuditFile {
                    event: format!("{event}-not-signed-in"),
                    detail: Some(detail.to_owned()),
                    patient_id: options.patient.clone(),
                    session_id: None,
                    account_id: None,
                    emergency_reason: None,
                },
                now,
            ),
        }
    }
}

/// Where "Save as PDF" writes when no `--pdf-folder` is set: `Documents/Lamplight` in the user's
/// home (`HOME`, or `USERPROFILE` on Windows).
fn default_pdf_folder() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())?;
    Some(std::path::PathBuf::from(home).join("Documents").join("Lamplight"))
}

/// Writes a PDF under a new name (`lamplight-census-2026-12-02-0415.pdf`, then `-2`, `-3`…: never
/// over another), owner-only, fsync'd. The name holds no patient's name or number.
fn write_new_pdf(
    folder: &std::path::Path,
    document: PrintDocument,
    options: &PrintOptions,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write as _;
    std::fs::create_dir_all(folder)?;
    let what = serde_json::to_value(document)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
        .unwrap_or_else(|| "document".to_owned());
    let scope = if options.patient.is_some() { "-patient" } else { "" };
    let stem = format!(
        "lamplight-{what}{scope}-{}",
        lamplight_model::time::london(now).format("%Y-%m-%d-%H%M")
    );
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.pdf")
        } else {
            format!("{stem}-{n}.pdf")
        };
        let path = folder.join(name);
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        match open.open(&path) {
            Ok(mut f) => {
                let written = f.write_all(bytes).and_then(|()| f.sync_all());
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "a thousand PDFs of this document this minute already",
    ))
}
