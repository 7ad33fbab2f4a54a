//! What goes on the paper: the view models of each document, as plain text and numbers.
//!
//! These are filled in by whoever has the data (the station) and laid out by this crate. They hold
//! text already formatted for people (London times, 3-3-4 NHS numbers), so the layout never formats
//! a clinical value itself and tests can check a document's content without reading a PDF.

/// What every page says about itself: how old its data is, where and by whom it was printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `14:05 21/11/2026` (London), the moment the data was extracted from the EPR.
    pub data_as_of: String,
    /// `14:47 21/11/2026`.
    pub printed_at: String,
    pub printed_by: String,
    /// `Lamplight General Hospital (demo)`.
    pub site: String,
    /// A line every page must carry, such as `SYNTHETIC DEMO DATA - NOT REAL PATIENTS`.
    pub notice: Option<String>,
}

impl Stamp {
    /// `DOWNTIME COPY - data as of 14:05 21/11/2026`.
    pub fn line(&self) -> String {
        format!("DOWNTIME COPY - data as of {}", self.data_as_of)
    }
}

/// Who the patient is, printed at the top of every page about one patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBanner {
    /// `SMITH, Mary Jane`.
    pub name: String,
    /// `943 476 5919`, or `None` when the patient has no NHS number yet (no barcode then).
    pub nhs_number: Option<String>,
    /// `15/03/1950`.
    pub birth_date: Option<String>,
    /// `76 y, Female`.
    pub age_sex: String,
    pub hospital_number: Option<String>,
    /// `Ward 7 (Acute Medicine)`.
    pub ward: String,
    /// `Bay A, bed A3`.
    pub location: String,
    pub allergies: AllergyBox,
}

/// Allergies, as every page about a patient shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllergyBox {
    /// `ALLERGIES`, `NO KNOWN ALLERGIES`, or `ALLERGIES NOT RECORDED - ask the patient`.
    pub heading: String,
    /// `Penicillin (high criticality): anaphylaxis`, one per allergy.
    pub entries: Vec<String>,
    /// True when there are allergies or none are recorded: drawn boldly.
    pub warn: bool,
}

/// SBAR handover: one block per bed of a ward, or one patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub stamp: Stamp,
    pub ward: String,
    /// Present when the handover is of one patient: the page then carries their banner and barcode.
    pub patient: Option<PatientBanner>,
    pub beds: Vec<HandoverBed>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverBed {
    /// `A3 (Bay A)`, or `No bed`.
    pub bed: String,
    /// `Empty`, `Closed`, `Awaiting clean` when there is no patient.
    pub empty_status: Option<String>,
    pub patient: Option<HandoverPatient>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverPatient {
    pub name: String,
    /// `NHS 943 476 5919`, or `NHS number not known`.
    pub nhs_number: String,
    /// `76 y F`.
    pub age_sex: String,
    /// `NEWS2 5 (medium)` when there are observations.
    pub news2: Option<String>,
    /// `DNACPR: DNACPR in place (signed 02/11/2026)`.
    pub alerts: Vec<String>,
    /// `Allergies: Penicillin`, `No known allergies`, `Allergies not recorded`.
    pub allergies: String,
    pub situation: Vec<String>,
    pub background: Vec<String>,
    pub assessment: Vec<String>,
    pub recommendation: Vec<String>,
}

/// Bed census of one ward or of the whole site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Census {
    pub stamp: Stamp,
    /// `Bed census: Ward 7 (Acute Medicine)`, `Site bed census`.
    pub title: String,
    pub wards: Vec<CensusWard>,
    /// For a site census, the totals of all wards together.
    pub site_totals: Option<CensusTotals>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusWard {
    /// `WD7 - Ward 7 (Acute Medicine)`.
    pub name: String,
    pub rows: Vec<CensusRow>,
    pub totals: CensusTotals,
}

/// One bed (or one patient with no bed). Empty beds have only the place and `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CensusRow {
    pub bay: String,
    pub bed: String,
    pub name: String,
    pub nhs_number: String,
    pub hospital_number: String,
    /// `76 y 15/03/1950`.
    pub age_dob: String,
    pub sex: String,
    /// `Dr A Patel / Acute medicine`.
    pub consultant_specialty: String,
    /// `18/11/2026`.
    pub admitted: String,
    /// `Day 4`.
    pub length_of_stay: String,
    pub expected_discharge: String,
    /// `Side room: MRSA`, or empty.
    pub isolation: String,
    /// `Empty`, `Closed`, `Awaiting clean`, `Closed: infection control`, or empty when occupied.
    pub status: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CensusTotals {
    pub beds: usize,
    pub occupied: usize,
    pub empty_open: usize,
    /// Closed, awaiting cleaning, or closed for infection control.
    pub unavailable: usize,
    pub isolation: usize,
    /// Patients on the ward with no bed.
    pub no_bed: usize,
}

impl CensusTotals {
    pub fn line(&self) -> String {
        format!(
            "Beds {}  ·  occupied {}  ·  empty (open) {}  ·  closed/unavailable {}  ·  isolation {}  ·  patients with no bed {}",
            self.beds, self.occupied, self.empty_open, self.unavailable, self.isolation, self.no_bed
        )
    }

    #[must_use]
    pub fn plus(self, o: CensusTotals) -> CensusTotals {
        CensusTotals {
            beds: self.beds + o.beds,
            occupied: self.occupied + o.occupied,
            empty_open: self.empty_open + o.empty_open,
            unavailable: self.unavailable + o.unavailable,
            isolation: self.isolation + o.isolation,
            no_bed: self.no_bed + o.no_bed,
        }
    }
}

/// One patient's drug chart: a 72-hour grid of regular medicines, once-only and when-required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrugChart {
    pub stamp: Stamp,
    pub banner: PatientBanner,
    /// `Grid from 14:05 Sat 21/11/2026 for 72 hours`.
    pub grid_caption: String,
    pub columns: Vec<GridColumn>,
    pub regular: Vec<RegularMedicine>,
    pub once_only: Vec<OnceOnlyMedicine>,
    pub when_required: Vec<WhenRequiredMedicine>,
    /// `(1, "Refused")`, ... as printed in the legend.
    pub omission_codes: Vec<(u8, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridColumn {
    /// `Sat 21/11`.
    pub day: String,
    /// `08:00`.
    pub time: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegularMedicine {
    pub medicine: String,
    /// `500 mg oral`.
    pub dose_route: String,
    /// `08:00, 14:00, 22:00`.
    pub times: String,
    pub time_critical: bool,
    /// `Start 18/11/2026 · Dr A Patel · for pneumonia · with food`.
    pub details: String,
    /// The order's dosage lines after the first, which the grid cannot chart: printed in full under
    /// "SEE FULL INSTRUCTIONS", never cut.
    pub further_instructions: Vec<String>,
    /// `Given 08:02 21/11/2026 by RN J Okafor`, or `Not given (2: Nil by mouth) ...`.
    pub last_given: Option<String>,
    /// One per grid column.
    pub cells: Vec<Cell>,
}

/// One box of the administration grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Not due at this time: shaded.
    NotDue,
    /// Due: an empty box to initial or write an omission code in.
    Due,
    /// Recorded given: the initials or a tick.
    Given(String),
    /// Recorded not given, with its omission code.
    Omitted(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnceOnlyMedicine {
    pub medicine: String,
    pub dose_route: String,
    /// `14:00 Sat 21/11/2026`.
    pub due: String,
    pub time_critical: bool,
    /// Dosage lines after the first, printed in full (see [`RegularMedicine::further_instructions`]).
    pub further_instructions: Vec<String>,
    /// `Given 14:03 ...` when recorded.
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhenRequiredMedicine {
    pub medicine: String,
    pub dose_route: String,
    /// `PRN for pain; at least 4 h apart; max 4 in 24 h`.
    pub rules: String,
    pub time_critical: bool,
    /// Dosage lines after the first, printed in full (see [`RegularMedicine::further_instructions`]).
    pub further_instructions: Vec<String>,
    pub last_given: Option<String>,
}

/// A NEWS2 observation chart for one patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsChart {
    pub stamp: Stamp,
    pub banner: PatientBanner,
    /// `SpO2 scale 1` or `SpO2 scale 2 (prescribed target 88-92%)`.
    pub scale_note: String,
    pub blocks: Vec<ObsBlock>,
    /// Oldest first: the newest is drawn on the right.
    pub columns: Vec<ObsColumn>,
}

/// One parameter with its score bands, top to bottom as on the RCP chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsBlock {
    pub label: String,
    pub bands: Vec<ObsBand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsBand {
    /// `21-24`.
    pub label: String,
    /// 0 to 3: decides the shading.
    pub score: u8,
}

/// One set of observations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsColumn {
    /// `21/11`.
    pub date: String,
    /// `08:00`.
    pub time: String,
    /// One per block: the band the value falls in and the value as written (`22`, `O2 2L`).
    pub marks: Vec<Option<(usize, String)>>,
    /// `5`, or `3+` when a parameter was missing (a lower bound).
    pub total: String,
    /// 0 low, 1 low-medium, 2 medium, 3 high: shades the total.
    pub risk_level: u8,
    pub recorded_by: Option<String>,
}

/// The blank forms pack, for when even the PC is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankForms {
    pub stamp: Stamp,
    pub ward: String,
    pub omission_codes: Vec<(u8, String)>,
    /// The NEWS2 bands, for the blank observation chart.
    pub obs_blocks: Vec<ObsBlock>,
}

/// The reconciliation report: after an outage, what was filed back to the EPR and by whom, what was
/// rejected and why, and what is still open. Portrait, one table per section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub stamp: Stamp,
    /// `Ward 7 (Acute Medicine)`: in the title and the footer.
    pub ward: String,
    /// `12 entries: 7 filed, 2 already in the EPR, 1 needs a person, ...; EPR read at 14:05 01/12/2026`.
    pub summary: String,
    /// In the order printed; a section with no rows prints "none".
    pub sections: Vec<ReconciliationSection>,
}

impl Reconciliation {
    /// `Reconciliation report: Ward 7 (Acute Medicine)`.
    pub fn title(&self) -> String {
        format!("Reconciliation report: {}", self.ward)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconciliationSection {
    /// `Still open - needs a person`, `Rejected`, `Filed`, `Not filed by rule`.
    pub heading: String,
    pub rows: Vec<ReconciliationRow>,
}

/// One entry of the ward's downtime record. Lines are separated by `\n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconciliationRow {
    /// When it happened: `08:04 Tue 01/12/2026`.
    pub time: String,
    /// `SMITH, Mary` and `Bay A, bed A3`.
    pub patient: String,
    /// `Dose given` and what was recorded.
    pub entry: String,
    /// What became of it, who, and why.
    pub outcome: String,
}

/// A report that is tables (IT's fleet readiness): every word already written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub stamp: Stamp,
    /// Top right of every page: `Fleet readiness`.
    pub kind: String,
    /// Top of every page's content: `Fleet readiness: //share/lamplight-status`.
    pub title: String,
    /// In the footer's `Ward:` place.
    pub scope: String,
    /// Under the title: `40 PCs: 37 ready, 3 not ready (data older than 60 min)`.
    pub summary: String,
    /// Column headings and widths in whole mm (adding up to at most the portrait text width,
    /// 186 mm).
    pub columns: Vec<(String, u16)>,
    /// In the order printed; a section with no rows prints "none".
    pub sections: Vec<TableSection>,
}

/// One table of a [`TableReport`]: each row a cell per column (lines separated by `\n`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSection {
    pub heading: String,
    pub rows: Vec<Vec<String>>,
}

/// The ward quick-reference card: one A4 page by every ward PC saying how to work when the EPR
/// goes down. Every word is written by whoever builds it (the station, from the same sources as
/// the screens); this crate lays it out, and writes it as Markdown for the docs
/// ([`QuickReference::markdown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReference {
    pub stamp: Stamp,
    /// `Ward quick reference: when the EPR is down`.
    pub title: String,
    /// One line under the title: who the card is for.
    pub subtitle: String,
    /// In the footer's `Ward:` place; empty when the card was printed with no ward data.
    pub ward: String,
    /// Across the top, in a shaded strip: this PC, its ward, its data's age. A value left out
    /// prints as a line to write on.
    pub identity: Vec<WriteIn>,
    /// In reading order: down the left column, then down the right.
    pub sections: Vec<CardSection>,
}

/// A label and its value, or a line to write the value on (`IT service desk: ____`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteIn {
    pub label: String,
    pub value: Option<String>,
}

/// One boxed part of the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSection {
    pub heading: String,
    pub items: Vec<CardItem>,
    /// Items side by side in this many columns (a legend of short codes); 1 for sentences.
    pub columns: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardItem {
    /// A point, its first words (`lead`, may be empty) in bold.
    Point { lead: String, text: String },
    /// A line to write on, or its value.
    WriteIn(WriteIn),
}

/// Anything this crate prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    Handover(Handover),
    Census(Census),
    DrugChart(DrugChart),
    ObsChart(ObsChart),
    BlankForms(BlankForms),
    Reconciliation(Reconciliation),
    Table(TableReport),
    QuickReference(QuickReference),
}
