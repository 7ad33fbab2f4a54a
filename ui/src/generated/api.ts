/* Generated from schemas/lamplight-api.json by ui/scripts/gen-types.mjs: do not edit.
 * Run `make schemas` after changing the station's view types (crates/lamplight-station/src/view.rs). */

/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | ("not_found" | "internal")
  | "snapshot_unavailable"
  | "invalid_request"
  | "printer_unavailable"
  | "not_saved";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EprState".
 */
export type EprState = ("answering" | "not_answering") | "not_monitored" | "unknown" | "slow";
/**
 * A change of mode a person (or IT's schedule) asks for.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ModeAction".
 */
export type ModeAction =
  "declare_downtime" | "start_recovery" | "return_to_normal" | "start_drill" | "end_drill";
/**
 * What a ward PC is doing.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Mode".
 */
export type Mode = "normal" | "downtime" | "recovery" | "drill";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "SourceKind".
 */
export type SourceKind = "demo" | "snapshot" | "waiting";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AlertKind".
 */
export type AlertKind =
  ("falls_risk" | "safeguarding" | "pressure_ulcer_risk" | "other") | "dnacpr" | "infection" | "cognition";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Criticality".
 */
export type Criticality = "low" | "high" | "unable_to_assess";
/**
 * What the ward knows of a patient's allergies. "Not recorded" and "none known" are different
 * things, and a screen must never show one as the other.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AllergyStatus".
 */
export type AllergyStatus = "not_recorded" | "none_known" | "known";
/**
 * Administrative gender, as FHIR sends it.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Sex".
 */
export type Sex = "male" | "female" | "other" | "unknown";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "OrderStatus".
 */
export type OrderStatus = "active" | "on_hold" | "stopped" | "completed";
/**
 * The clinical response a NEWS2 score calls for.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Risk".
 */
export type Risk = "low" | "low_medium" | "medium" | "high";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "TestCategory".
 */
export type TestCategory = "laboratory" | "imaging" | "other";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Priority".
 */
export type Priority = "routine" | "urgent" | "asap" | "stat";
/**
 * What to print.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PrintDocument".
 */
export type PrintDocument =
  "handover" | "census" | "drug_chart" | "obs_chart" | "blank_forms" | "downtime_pack";
/**
 * Whether a bed can take a patient (independent of whether one is in it).
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "BedStatus".
 */
export type BedStatus = "open" | "closed" | "cleaning" | "contaminated";

/**
 * Every type of the API, gathered so that one JSON Schema holds each once (`schemas/lamplight-api.json`).
 */
export interface LamplightApi {
  api_error: ApiError;
  data_status: DataStatus;
  mode_request: ModeRequest;
  patient_view: PatientView;
  print_document: PrintDocument;
  print_options: PrintOptions;
  print_outcome: PrintOutcome;
  print_preview: PrintPreview;
  ward_board: WardBoard;
  ward_list: WardList;
}
/**
 * An error as it crosses to a front end: the UI branches on `code` and shows `message`.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ApiError".
 */
export interface ApiError {
  code: ErrorCode;
  message: string;
}
/**
 * Where the data on screen came from, and how old it is (DESIGN.md promise 6).
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DataStatus".
 */
export interface DataStatus {
  /**
   * False when the source gave no extraction time: the data is then treated as stale, and every
   * screen and page says "age unknown", never a date in 1970.
   */
  age_known: boolean;
  /**
   * `None` when the age is unknown.
   */
  age_minutes?: number | null;
  /**
   * `42 min ago`, or `age unknown`.
   */
  age_text: string;
  epr: EprView;
  /**
   * When the source extracted the data; `None` when it did not say (`age_known` is false).
   */
  extracted_at?: string | null;
  /**
   * `03:01 Tue 04/11/2026`, or `an unknown time`.
   */
  extracted_at_text: string;
  /**
   * The snapshot generation on screen (`None` for the demo ward or a bundle).
   */
  generation?: number | null;
  mode: ModeView;
  /**
   * A downtime IT has planned, announced ahead and while it lasts.
   */
  planned?: PlannedView | null;
  /**
   * Goes up whenever what a screen shows may have changed (a new generation, the mode, the
   * EPR's state): the window polls it and redraws its screen, keeping the nurse's place.
   */
  revision: number;
  site_name: string;
  source: SourceKind;
  /**
   * `Built-in demo ward: synthetic patients, not real people`.
   */
  source_label: string;
  /**
   * Older than `stale_after_minutes`, or of unknown age: every screen turns its banner red.
   */
  stale: boolean;
  stale_after_minutes: number;
  /**
   * The stamp printed and shown everywhere: `data as of 03:01 Tue 04/11/2026 (42 min ago)`.
   */
  stamp: string;
  /**
   * `Updated at 14:05 to generation 43 (data as of 14:04)`: said after the window followed a
   * newer generation, until the next one.
   */
  updated_text?: string | null;
  /**
   * Problems a person must know about the data itself, shown in the banner: a newer snapshot
   * that could not be opened (so this one is older than it should be), and the like.
   */
  warnings: string[];
}
/**
 * Whether the EPR is answering.
 */
export interface EprView {
  /**
   * `checked 14:05:10`.
   */
  checked_text?: string | null;
  state: EprState;
  /**
   * `EPR answering`, `EPR slow (4.2 s)`, `EPR not answering since 14:02`.
   */
  text: string;
}
/**
 * What this PC is doing: normal, downtime, recovery or a drill.
 */
export interface ModeView {
  /**
   * What a person may do now, the suggested one first.
   */
  actions: ModeActionView[];
  /**
   * `Declared by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering`.
   */
  detail?: string | null;
  /**
   * `DOWNTIME: the EPR is not in use. Record care here or on paper`.
   */
  headline: string;
  mode: Mode;
  /**
   * The mode could not be read or saved: a person must know the PC may not resume it.
   */
  problem?: string | null;
  /**
   * The station proposes downtime because the EPR stopped answering; a person confirms it.
   */
  proposal?: string | null;
  /**
   * During downtime, the EPR answers again: recovery can start.
   */
  recovery_offer?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ModeActionView".
 */
export interface ModeActionView {
  action: ModeAction;
  /**
   * `Declare downtime`, or `Confirm downtime` when the station proposes it.
   */
  label: string;
  /**
   * Downtime needs a reason; the form asks for one.
   */
  needs_reason: boolean;
  /**
   * The action the banner suggests (a proposal, an offer of recovery).
   */
  suggested: boolean;
}
/**
 * A downtime IT planned.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PlannedView".
 */
export interface PlannedView {
  from: string;
  id: string;
  /**
   * `EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55`.
   */
  text: string;
  to: string;
  /**
   * The window has started.
   */
  under_way: boolean;
}
/**
 * A person asks to change the PC's mode.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ModeRequest".
 */
export interface ModeRequest {
  action: ModeAction;
  /**
   * The person's name, recorded with the change (sign-in replaces this with the signed-in person).
   */
  by: string;
  /**
   * Why (required to declare downtime).
   */
  reason: string;
}
/**
 * Everything about one patient, allergies first.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PatientView".
 */
export interface PatientView {
  admission?: AdmissionLine | null;
  alerts: AlertBadge[];
  allergies: AllergyLine[];
  allergy_status: AllergyStatus;
  identity: PatientIdentity;
  location: Location;
  medicines: MedicineLine[];
  /**
   * Newest first.
   */
  observations: ObservationLine[];
  pending_tests: PendingTestLine[];
  status: DataStatus;
  /**
   * The latest body weight and when it was taken: `72.5 kg, weighed 08:00 Tue 03/11/2026`.
   */
  weight_text?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AdmissionLine".
 */
export interface AdmissionLine {
  admitted_at_text: string;
  consultant?: string | null;
  expected_discharge_text?: string | null;
  /**
   * `Day 3` (the admission day is day 1).
   */
  length_of_stay_text: string;
  reason?: string | null;
  specialty?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AlertBadge".
 */
export interface AlertBadge {
  /**
   * `DNACPR`, `Falls`, ...
   */
  badge: string;
  kind: AlertKind;
  text: string;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AllergyLine".
 */
export interface AllergyLine {
  criticality?: Criticality | null;
  reactions: string[];
  substance: string;
  /**
   * `Confirmed`, `Unconfirmed`.
   */
  verification_text: string;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PatientIdentity".
 */
export interface PatientIdentity {
  age_years?: number | null;
  /**
   * `15/03/1950`.
   */
  birth_date_text?: string | null;
  hospital_number?: string | null;
  name: string;
  nhs_number?: string | null;
  patient_id: string;
  sex: Sex;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Location".
 */
export interface Location {
  bay_name?: string | null;
  bed_label?: string | null;
  ward_id?: string | null;
  ward_name?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "MedicineLine".
 */
export interface MedicineLine {
  dose: string;
  /**
   * The order's dosage lines after the first, as prescribed (`then 1 g at 22:00`): shown in full
   * with the order. `dose`, `route` and `schedule_text` are the first line, the one the drug
   * chart's grid charts; when this is not empty the chart says "see full instructions".
   */
  further_dosage_lines: string[];
  indication?: string | null;
  instructions?: string | null;
  /**
   * `Given 08:02 Wed 04/11/2026 by RN J Okafor`, or `Not given (2: Nil by mouth) ...`.
   */
  last_administration_text?: string | null;
  medicine: string;
  next_due_at?: string | null;
  next_due_text?: string | null;
  order_id: string;
  overdue: boolean;
  route?: string | null;
  /**
   * `Regular`, `When required`, `Once only`.
   */
  schedule_label: string;
  /**
   * `08:00, 14:00, 22:00`, or `PRN for pain; at least 4 h apart; max 4 in 24 h`.
   */
  schedule_text: string;
  status: OrderStatus;
  time_critical: boolean;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ObservationLine".
 */
export interface ObservationLine {
  /**
   * `128/76`.
   */
  blood_pressure_text?: string | null;
  /**
   * `A`, `C`, `V`, `P`, `U`.
   */
  consciousness?: string | null;
  news2: News2Summary;
  /**
   * `Air`, or `O2 2 L/min nasal cannula`.
   */
  oxygen_text?: string | null;
  pulse?: number | null;
  respiration_rate?: number | null;
  spo2?: number | null;
  taken_at: string;
  taken_at_text: string;
  /**
   * `37.2`.
   */
  temperature_text?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "News2Summary".
 */
export interface News2Summary {
  age_text: string;
  /**
   * False when a parameter was not recorded: the total is then only a lower bound.
   */
  complete: boolean;
  /**
   * Labels of the parameters not recorded.
   */
  missing: string[];
  /**
   * `Medium: urgent response, minimum hourly observations`.
   */
  response: string;
  risk: Risk;
  taken_at: string;
  taken_at_text: string;
  total: number;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PendingTestLine".
 */
export interface PendingTestLine {
  category: TestCategory;
  name: string;
  priority: Priority;
  priority_label: string;
  requested_at_text: string;
  test_id: string;
}
/**
 * Which ward or patient, and who is printing.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PrintOptions".
 */
export interface PrintOptions {
  /**
   * One patient: NHS number (with or without spaces) or patient id.
   */
  patient?: string | null;
  /**
   * The name printed on every page as "printed by".
   */
  printed_by: string;
  /**
   * Ward id or code. May be left out when the data holds one ward (and, for a census, to print
   * the whole site).
   */
  ward?: string | null;
}
/**
 * What a print produced, for a front end to report ("12 pages sent to the printer").
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PrintOutcome".
 */
export interface PrintOutcome {
  document: PrintDocument;
  pages: number;
  /**
   * What `lp` said (`request id is ward7-42 (1 file(s))`), when sent to a printer.
   */
  printer_message?: string | null;
  title: string;
}
/**
 * What a document will hold, shown before it is printed.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PrintPreview".
 */
export interface PrintPreview {
  document: PrintDocument;
  pages: number;
  /**
   * One line per part: `Drug chart: SMITH, Mary Jane (999 123 4567): 6 regular, 2 when required`.
   */
  parts: string[];
  /**
   * `DOWNTIME COPY - data as of 14:05 21/11/2026`, as on every page.
   */
  stamp: string;
  title: string;
}
/**
 * The ward board: every bed, at a glance.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WardBoard".
 */
export interface WardBoard {
  /**
   * The window "due soon" covers, in minutes (120: medicines due in the next 2 hours).
   */
  due_window_minutes: number;
  /**
   * Shown above the beds when the import left anything out or changed it; `None` otherwise.
   */
  import_notice?: ImportNotice | null;
  /**
   * Every bed, in ward order, then patients without a bed.
   */
  rows: BoardRow[];
  status: DataStatus;
  ward: WardSummary;
}
/**
 * What the import left out or changed, for the board (DESIGN.md promise 10).
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ImportNotice".
 */
export interface ImportNotice {
  /**
   * For IT, one line per note: `entry 12 (Encounter/enc-4): names no active location: ...`. Ids
   * and codes only.
   */
  details: string[];
  /**
   * In a nurse's words, counts only: `2 patients have no bed recorded; 1 order's instructions are
   * not fully charted`.
   */
  text: string;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "BoardRow".
 */
export interface BoardRow {
  bay_name?: string | null;
  /**
   * `None` for a patient on the ward with no bed allocated.
   */
  bed_id?: string | null;
  /**
   * `A3`, or `No bed recorded` for a patient with none (none given, or one not in the data).
   */
  bed_label: string;
  bed_status?: BedStatus | null;
  patient?: BoardPatient | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "BoardPatient".
 */
export interface BoardPatient {
  age_years?: number | null;
  alerts: AlertBadge[];
  /**
   * Current allergy substances, most critical first.
   */
  allergies: string[];
  allergy_status: AllergyStatus;
  consultant?: string | null;
  /**
   * Scheduled medicines due in the board's window (and any overdue in the last 2 hours).
   */
  due_medicines: DueMedicine[];
  /**
   * `SMITH, Mary Jane`.
   */
  name: string;
  news2?: News2Summary | null;
  /**
   * `943 476 5919`, or `None` when the patient has no NHS number yet.
   */
  nhs_number?: string | null;
  patient_id: string;
  pending_tests: PendingTestLine[];
  sex: Sex;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DueMedicine".
 */
export interface DueMedicine {
  dose: string;
  due_at: string;
  /**
   * `14:00`.
   */
  due_text: string;
  medicine: string;
  order_id: string;
  /**
   * Due time passed with no administration recorded for it.
   */
  overdue: boolean;
  route?: string | null;
  time_critical: boolean;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WardSummary".
 */
export interface WardSummary {
  beds: number;
  code: string;
  id: string;
  name: string;
  occupied: number;
  /**
   * Patients on the ward's list who have no bed allocated.
   */
  unallocated: number;
}
/**
 * The wards a ward PC can show.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WardList".
 */
export interface WardList {
  status: DataStatus;
  wards: WardSummary[];
}
/**
 * Whether the EPR answers, as the health check last found it.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EprView".
 */
export interface EprView1 {
  /**
   * `checked 14:05:10`.
   */
  checked_text?: string | null;
  state: EprState;
  /**
   * `EPR answering`, `EPR slow (4.2 s)`, `EPR not answering since 14:02`.
   */
  text: string;
}
/**
 * The PC's mode as every screen shows it (DESIGN.md "Modes of a ward PC").
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ModeView".
 */
export interface ModeView1 {
  /**
   * What a person may do now, the suggested one first.
   */
  actions: ModeActionView[];
  /**
   * `Declared by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering`.
   */
  detail?: string | null;
  /**
   * `DOWNTIME: the EPR is not in use. Record care here or on paper`.
   */
  headline: string;
  mode: Mode;
  /**
   * The mode could not be read or saved: a person must know the PC may not resume it.
   */
  problem?: string | null;
  /**
   * The station proposes downtime because the EPR stopped answering; a person confirms it.
   */
  proposal?: string | null;
  /**
   * During downtime, the EPR answers again: recovery can start.
   */
  recovery_offer?: string | null;
}
