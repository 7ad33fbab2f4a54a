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
  | "not_saved"
  | "not_signed_in"
  | "session_locked"
  | "not_permitted"
  | "sign_in_refused"
  | "invalid_entry"
  | "wrong_patient"
  | "epr_unavailable"
  | "needs_confirmation"
  | "reason_needed"
  | "passphrase_needed"
  | "wrong_passphrase";
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
 * What a person signs in as.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Role".
 */
export type Role = "nurse" | "bed-manager" | "it";
/**
 * What a signed-in person asks the station to do.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Action".
 */
export type Action =
  "view-board" | "open-record" | "record-clinical" | "record-bed-move" | "change-mode" | "administer-roster";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "SourceKind".
 */
export type SourceKind = "demo" | "snapshot" | "waiting";
/**
 * What was decided. The latest decision about an entry (by `at`) is the one that counts.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Choice".
 */
export type Choice =
  | {
      choice: "accept";
    }
  | {
      choice: "reject";
      reason: string;
    }
  | {
      choice: "edit";
      kind: EntryKind;
    }
  | {
      choice: "match_patient";
      epr_patient_id: string;
    }
  | {
      choice: "new_patient";
    };
/**
 * What was recorded.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EntryKind".
 */
export type EntryKind =
  | {
      /**
       * The second checker, for medicines that need one.
       */
      checked_by?: string | null;
      /**
       * As given (`1 g`).
       */
      dose: string;
      /**
       * The due dose it was given for (the drug chart's box), when it was one: a dose given late
       * or early still fills its own box, and a second dose for the same box is caught. `None`
       * for a when-required dose.
       */
      due_at?: string | null;
      given_at: string;
      /**
       * Who gave it (may differ from who keyed it).
       */
      given_by: string;
      kind: "dose_given";
      order_id: string;
      patient_id: string;
    }
  | {
      /**
       * The due time the omission is for.
       */
      due_at: string;
      kind: "dose_not_given";
      note?: string | null;
      order_id: string;
      patient_id: string;
      reason: OmissionReason;
    }
  | {
      kind: "observations";
      set: ObservationSet;
    }
  | {
      admission: Admission;
      kind: "admission";
      patient: Patient;
    }
  | {
      bed_id?: string | null;
      kind: "transfer";
      patient_id: string;
      ward_id: string;
    }
  | {
      at: string;
      destination?: string | null;
      kind: "discharge";
      patient_id: string;
    }
  | {
      kind: "note";
      patient_id: string;
      text: string;
    }
  | {
      caller: string;
      kind: "phoned_result";
      patient_id: string;
      read_back: boolean;
      test: string;
      value: string;
    }
  | {
      kind: "entered_in_error";
      reason: string;
    };
/**
 * Why a dose was not given: the common default codes of English drug charts (docs/clinical.md).
 * Trusts differ; the code number printed on charts is [`OmissionReason::code`].
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "OmissionReason".
 */
export type OmissionReason =
  | ("refused" | "nil_by_mouth" | "unavailable" | "away_from_ward" | "unable_to_take" | "self_administered")
  | "withheld"
  | "other";
/**
 * ACVPU.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Consciousness".
 */
export type Consciousness = "alert" | "new_confusion" | "voice" | "pain" | "unresponsive";
/**
 * Breathing air, or on supplemental oxygen.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Oxygen".
 */
export type Oxygen =
  | {
      kind: "air";
    }
  | {
      /**
       * `Nasal cannula`, `Venturi 28%`, ...
       */
      device?: string | null;
      kind: "supplemental";
      /**
       * Flow, litres per minute, when known.
       */
      litres_per_minute?: number | null;
    };
/**
 * A valid NHS number (Modulus 11), ten digits without spaces. Display as 3-3-4.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "NhsNumber".
 */
export type NhsNumber = string;
/**
 * Administrative gender, as FHIR sends it.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Sex".
 */
export type Sex = "male" | "female" | "other" | "unknown";
/**
 * Something a person must look at before the entry is filed.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Conflict".
 */
export type Conflict =
  | {
      conflict: "order_not_in_epr";
      order_id: string;
    }
  | {
      changed_at?: string | null;
      conflict: "order_changed";
      dose_at: string;
      order_id: string;
      status: EprOrderStatus;
    }
  | {
      believed: Place;
      conflict: "patient_moved";
      epr: Place;
    }
  | {
      conflict: "patient_discharged";
      ended_at?: string | null;
    }
  | {
      conflict: "no_encounter";
    }
  | {
      administration_id: string;
      at: string;
      conflict: "dose_held_by_epr";
      due_at: string;
      order_id: string;
    }
  | {
      conflict: "same_dose_twice";
      due_at: string;
      entries: string[];
      order_id: string;
    }
  | {
      candidates: Candidate[];
      conflict: "admission_needs_match";
    }
  | {
      admission_entry: string;
      conflict: "patient_not_matched";
    }
  | {
      conflict: "implausible";
      problems: string[];
    }
  | {
      conflict: "corrects_filed_entry";
      filed_entry: string;
    }
  | {
      conflict: "records_differ";
      pcs: string[];
    };
/**
 * FHIR R4 `MedicationRequest.status`.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EprOrderStatus".
 */
export type EprOrderStatus =
  "active" | "on-hold" | "cancelled" | "completed" | "entered-in-error" | "stopped" | "draft" | "unknown";
/**
 * A field compared when matching a downtime admission.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "MatchField".
 */
export type MatchField = "nhs_number" | "family_name" | "given_name" | "birth_date";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Criticality".
 */
export type Criticality = "low" | "high" | "unable_to_assess";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DoseState".
 */
export type DoseState = ("given" | "not_given" | "upcoming") | "due_now" | "overdue";
/**
 * A filled form.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EntryForm".
 */
export type EntryForm =
  | {
      /**
       * The second checker, required for the medicines that need one.
       */
      checked_by?: string | null;
      /**
       * As given; empty: the prescribed dose.
       */
      dose?: string | null;
      /**
       * The box it is given for (a grid cell's `due_at`); `None` for a when-required dose (a
       * regular one then takes the box whose cover window holds its time).
       */
      due_at?: string | null;
      form: "dose_given";
      /**
       * Who gave it; `None`: the signed-in person.
       */
      given_by?: string | null;
      order_id: string;
      patient_id: string;
      /**
       * London time it was given (`08:04`); `None`: now.
       */
      time?: string | null;
    }
  | {
      /**
       * The omission code written in the box (1–8).
       */
      code: number;
      /**
       * The due time the omission is for (a grid cell's `due_at`).
       */
      due_at: string;
      form: "dose_not_given";
      note?: string | null;
      order_id: string;
      patient_id: string;
    }
  | {
      draft: ObservationsDraft;
      form: "observations";
    }
  | {
      bed_id?: string | null;
      /**
       * `dd/mm/yyyy` or `yyyy-mm-dd`.
       */
      birth_date: string;
      consultant?: string | null;
      family_name: string;
      form: "admission";
      given_names: string;
      nhs_number?: string | null;
      reason?: string | null;
      sex: Sex;
      ward_id: string;
    }
  | {
      bed_id?: string | null;
      form: "transfer";
      patient_id: string;
      ward_id: string;
    }
  | {
      destination?: string | null;
      form: "discharge";
      patient_id: string;
      time?: string | null;
    }
  | {
      form: "note";
      patient_id: string;
      text: string;
    }
  | {
      /**
       * Who called (name, department, number).
       */
      caller: string;
      form: "phoned_result";
      patient_id: string;
      /**
       * The value was read back to the caller, who confirmed it.
       */
      read_back: boolean;
      test: string;
      value: string;
    }
  | {
      form: "entered_in_error";
      reason: string;
    };
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Spo2Scale".
 */
export type Spo2Scale = "scale1" | "scale2";
/**
 * One NEWS2 parameter, in the order charts list them.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Parameter".
 */
export type Parameter =
  "respiration_rate" | "spo2" | "air_or_oxygen" | "systolic_bp" | "pulse" | "consciousness" | "temperature";
/**
 * The clinical response a NEWS2 score calls for.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Risk".
 */
export type Risk = "low" | "low_medium" | "medium" | "high";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AlertKind".
 */
export type AlertKind =
  ("falls_risk" | "safeguarding" | "pressure_ulcer_risk" | "other") | "dnacpr" | "infection" | "cognition";
/**
 * What the ward knows of a patient's allergies. "Not recorded" and "none known" are different
 * things, and a screen must never show one as the other.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "AllergyStatus".
 */
export type AllergyStatus = "not_recorded" | "none_known" | "known";
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "OrderStatus".
 */
export type OrderStatus = "active" | "on_hold" | "stopped" | "completed";
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
  "handover" | "census" | "drug_chart" | "obs_chart" | "blank_forms" | "downtime_pack" | "quick_reference";
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
  decision_request: DecisionRequest;
  drug_chart_form: DrugChartForm;
  edit_request: EditRequest;
  emergency_sign_in: EmergencySignIn;
  mode_request: ModeRequest;
  news2_preview: News2Preview;
  observations_draft: ObservationsDraft;
  patient_confirmation: PatientConfirmation;
  patient_view: PatientView;
  print_document: PrintDocument;
  print_options: PrintOptions;
  print_outcome: PrintOutcome;
  print_preview: PrintPreview;
  record_outcome: RecordOutcome;
  record_request: RecordRequest;
  session_view: SessionView;
  sign_in_request: SignInRequest;
  ward_board: WardBoard;
  ward_list: WardList;
  worklist_view: WorklistView;
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
  /**
   * For `wrong_passphrase` after several: how long the window waits before the next try.
   */
  retry_after_seconds?: number | null;
  /**
   * For `needs_confirmation`: the warning's code, sent back in `confirmed_warnings` to go past it.
   */
  warning?: string | null;
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
  /**
   * Who is signed in on this PC (`None` only where no station answers: a bundle read alone).
   */
  session?: SessionView | null;
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
 * Who is signed in on this PC, as every screen shows it.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "SessionView".
 */
export interface SessionView {
  /**
   * Whether the emergency sign-in is offered (no roster reached this PC).
   */
  emergency_allowed: boolean;
  idle_minutes: number;
  /**
   * A session locked after idle time, waiting for its person to sign in again.
   */
  locked?: LockedView | null;
  /**
   * Whether a roster reached this PC (sign in with name and PIN).
   */
  roster_available: boolean;
  /**
   * Why there is no roster, for the sign-in screen.
   */
  roster_problem?: string | null;
  /**
   * The person signed in now; `None` when nobody is, or the session is locked.
   */
  signed_in?: SignedInView | null;
}
/**
 * A session locked after idle time.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "LockedView".
 */
export interface LockedView {
  full_name: string;
  role: Role;
  since: string;
  /**
   * `Locked at 14:20 after 10 minutes idle. Sam Jones, sign in again to carry on where you were`.
   */
  text: string;
}
/**
 * The person signed in.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "SignedInView".
 */
export interface SignedInView {
  /**
   * `None` for an emergency sign-in.
   */
  account_id?: string | null;
  /**
   * Shown on every screen for an emergency sign-in.
   */
  banner?: string | null;
  emergency: boolean;
  emergency_reason?: string | null;
  full_name: string;
  locked: boolean;
  locks_at: string;
  /**
   * `14:20`.
   */
  locks_at_text: string;
  /**
   * What this person may do: the UI hides the rest (the station refuses it anyway).
   */
  may: Action[];
  role: Role;
  /**
   * `bed manager`.
   */
  role_label: string;
  /**
   * Stays the same when the person resumes after a lock: the window keeps its place.
   */
  session_id: string;
  signed_in_at: string;
  /**
   * The account's wards (`*`: every ward).
   */
  wards: string[];
}
/**
 * A decision from the worklist.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DecisionRequest".
 */
export interface DecisionRequest {
  choice: Choice;
  entry_id: string;
  seen?: Conflict[];
}
/**
 * One set of observations taken together.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ObservationSet".
 */
export interface ObservationSet {
  consciousness?: Consciousness | null;
  /**
   * mmHg (charted, not scored).
   */
  diastolic_bp?: number | null;
  /**
   * The downtime entry (its id) that recorded this set on Lamplight; `None` for the EPR's.
   */
  entry?: string | null;
  id: string;
  oxygen?: Oxygen | null;
  patient_id: string;
  /**
   * Beats per minute.
   */
  pulse?: number | null;
  recorded_by?: string | null;
  /**
   * Breaths per minute.
   */
  respiration_rate?: number | null;
  /**
   * Oxygen saturation, percent.
   */
  spo2?: number | null;
  /**
   * The SpO2 scale this patient is scored on (scale 2 only when prescribed).
   */
  spo2_scale: "scale1" | "scale2";
  /**
   * mmHg.
   */
  systolic_bp?: number | null;
  taken_at: string;
  /**
   * Degrees Celsius.
   */
  temperature_c?: number | null;
}
/**
 * An inpatient stay (the FHIR Encounter).
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Admission".
 */
export interface Admission {
  admitted_at: string;
  /**
   * The bed, when allocated (a patient may be on the ward awaiting a bed, or off the ward).
   */
  bed_id?: string | null;
  consultant?: string | null;
  expected_discharge?: string | null;
  id: string;
  patient_id: string;
  /**
   * Presenting complaint or reason for admission.
   */
  reason?: string | null;
  specialty?: string | null;
  /**
   * The ward, when known. `None`: the source gave no location, or one not in the data; such a
   * patient is listed on the site census as having no bed recorded, never dropped. (Snapshots
   * written before this was optional hold `""` for it, which reads as `None`.)
   */
  ward_id?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Patient".
 */
export interface Patient {
  birth_date?: string | null;
  /**
   * The trust's own number (MRN), as printed on wristbands.
   */
  hospital_number?: string | null;
  /**
   * Stable identifier (the FHIR Patient id).
   */
  id: string;
  name: PersonName;
  /**
   * Absent for patients not yet traced (unidentified, some overseas visitors): screens say so.
   */
  nhs_number?: NhsNumber | null;
  sex: Sex;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PersonName".
 */
export interface PersonName {
  family: string;
  given: string[];
  prefix?: string | null;
}
/**
 * A ward and a bed (either may be unknown).
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Place".
 */
export interface Place {
  bed_id?: string | null;
  ward_id?: string | null;
}
/**
 * An EPR patient a downtime admission may be.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "Candidate".
 */
export interface Candidate {
  /**
   * What agrees.
   */
  agrees: MatchField[];
  /**
   * What is recorded on both and differs.
   */
  differs: MatchField[];
  epr_patient_id: string;
  /**
   * Higher is likelier: NHS number 100, family name with birth date 60, each given name that
   * agrees 10. Shown, never acted on alone.
   */
  score: number;
}
/**
 * The drug chart as a form: the grid of due doses around now, when-required and once-only below.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DrugChartForm".
 */
export interface DrugChartForm {
  allergies: AllergyLine[];
  allergy_text: string;
  /**
   * `24 h back and 12 h ahead of 14:05`.
   */
  grid_caption: string;
  identity: PatientIdentity;
  omission_codes: OmissionCode[];
  rows: ChartRow[];
  status: DataStatus;
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
 * via the `definition` "OmissionCode".
 */
export interface OmissionCode {
  code: number;
  label: string;
  /**
   * Codes whose note must say why (withheld, other).
   */
  needs_note: boolean;
  reason: OmissionReason;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ChartRow".
 */
export interface ChartRow {
  /**
   * The due doses in the grid's window (regular and once-only), oldest first.
   */
  cells: DoseCell[];
  /**
   * As prescribed (`500 mg`).
   */
  dose: string;
  further_dosage_lines: string[];
  indication?: string | null;
  instructions?: string | null;
  /**
   * `regular`, `when_required`, `once_only`.
   */
  kind: string;
  /**
   * `Given 08:04 by Sam Jones (downtime entry)`.
   */
  last_text?: string | null;
  medicine: string;
  order_id: string;
  route?: string | null;
  schedule_text: string;
  /**
   * Why a second person must check a dose, when one must.
   */
  second_check?: string | null;
  time_critical: boolean;
  /**
   * For when-required medicines: what the limits allow now.
   */
  when_required?: WhenRequiredState | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DoseCell".
 */
export interface DoseCell {
  /**
   * `Tue 01/12`.
   */
  day_text: string;
  due_at: string;
  /**
   * `08:00`.
   */
  due_text: string;
  /**
   * The downtime entry that filled it (to correct it), when one did.
   */
  entry_id?: string | null;
  /**
   * What the box shows: initials, an omission code, or empty.
   */
  mark: string;
  state: DoseState;
  /**
   * `Given 08:04 by Sam Jones (downtime entry)`.
   */
  text?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WhenRequiredState".
 */
export interface WhenRequiredState {
  given_last_24h: number;
  max_per_24h?: number | null;
  min_interval_minutes?: number | null;
  /**
   * `2 of 4 in the last 24 h; last 10:15; next from 14:15`.
   */
  text: string;
  /**
   * Why a dose now would break a limit (the form warns before it is given).
   */
  warning_now?: string | null;
}
/**
 * A correction from the worklist: the entry's form (as [`WorklistEntry::form`] gave it), changed.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EditRequest".
 */
export interface EditRequest {
  /**
   * Codes of warnings the person has seen and chosen to go past.
   */
  confirmed_warnings?: string[];
  entry_id: string;
  form: EntryForm;
  /**
   * The conflicts the person was shown (as [`WorklistEntry::seen`]).
   */
  seen?: Conflict[];
}
/**
 * An observation set as typed: every value optional until it is recorded.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ObservationsDraft".
 */
export interface ObservationsDraft {
  consciousness?: Consciousness | null;
  diastolic_bp?: number | null;
  /**
   * `None`: not recorded; `Some(false)`: air.
   */
  on_oxygen?: boolean | null;
  oxygen_device?: string | null;
  oxygen_litres_per_minute?: number | null;
  patient_id: string;
  pulse?: number | null;
  respiration_rate?: number | null;
  spo2?: number | null;
  /**
   * `None`: the scale the patient was last scored on (scale 2 only when prescribed).
   */
  spo2_scale?: Spo2Scale | null;
  systolic_bp?: number | null;
  /**
   * Degrees Celsius as typed (`37.2`).
   */
  temperature?: string | null;
  /**
   * London time taken (`14:05`); `None`: now.
   */
  time?: string | null;
}
/**
 * What an emergency sign-in asks for.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "EmergencySignIn".
 */
export interface EmergencySignIn {
  full_name: string;
  /**
   * Why there is no roster sign-in (`roster not on this PC; EPR down since 02:10`).
   */
  reason: string;
  role: Role;
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
 * The NEWS2 of a set being typed, as the form shows it beside the fields.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "News2Preview".
 */
export interface News2Preview {
  complete: boolean;
  missing: string[];
  /**
   * `minimum hourly`.
   */
  monitoring: string;
  /**
   * One per parameter, in the chart's order.
   */
  parameters: ParameterPreview[];
  /**
   * Values a form would refuse (out of range, wrong unit): said beside the field.
   */
  problems: string[];
  /**
   * `Medium: urgent response, minimum hourly observations`.
   */
  response: string;
  risk: Risk;
  /**
   * `Scale 2 (prescribed target 88–92%)`.
   */
  scale_text: string;
  spo2_scale: Spo2Scale;
  total: number;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "ParameterPreview".
 */
export interface ParameterPreview {
  label: string;
  parameter: Parameter;
  /**
   * `None`: not recorded yet.
   */
  score?: number | null;
}
/**
 * The result of scanning a wristband against the chart open.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PatientConfirmation".
 */
export interface PatientConfirmation {
  patient_id: string;
  /**
   * `Wristband scanned at 14:05: this is the patient whose chart is open`.
   */
  text: string;
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
  /**
   * What was recorded on Lamplight for this patient during downtime (every PC's), newest first;
   * withdrawn and replaced entries stay listed, marked as such.
   */
  downtime_entries: DowntimeEntryLine[];
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
 * One downtime entry, as the patient view lists it.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "DowntimeEntryLine".
 */
export interface DowntimeEntryLine {
  drill: boolean;
  entry_id: string;
  /**
   * `dose_given`, `dose_not_given`, `observations`, `admission`, `transfer`, `discharge`,
   * `note`, `phoned_result`.
   */
  kind: string;
  /**
   * `Dose given`, `Nursing note`, `Result phoned through`.
   */
  label: string;
  recorded_at: string;
  /**
   * `Recorded 08:05 by Sam Jones on PC1, downtime entry` (and `DRILL` in a drill).
   */
  recorded_text: string;
  /**
   * `Withdrawn: entered in error (wrong patient)` or `Replaced by a correction`.
   */
  superseded?: string | null;
  /**
   * `Amoxicillin 500 mg given 08:04 by Sam Jones`, or the note's text.
   */
  text: string;
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
  /**
   * Where the PDF was saved, for "Save as PDF".
   */
  saved_to?: string | null;
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
 * What the window shows after "Saved".
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "RecordOutcome".
 */
export interface RecordOutcome {
  entry_id: string;
  /**
   * Where it is kept: `this PC's journal; shared with the ward folder` or `memory only (demo)`.
   */
  kept_in: string;
  /**
   * The patient the entry is about (for an admission, the new downtime identifier).
   */
  patient_id?: string | null;
  /**
   * `Saved 14:05: Amoxicillin 500 mg given at 14:04 by Sam Jones`.
   */
  saved_text: string;
  status: DataStatus;
}
/**
 * What the window sends to record an entry.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "RecordRequest".
 */
export interface RecordRequest {
  /**
   * Codes of warnings the person has seen and chosen to go past (from a `needs_confirmation`
   * refusal).
   */
  confirmed_warnings?: string[];
  /**
   * The entry this one corrects (replaces, or withdraws with `entered_in_error`).
   */
  corrects?: string | null;
  entry: EntryForm;
  /**
   * What the barcode scanner read from the wristband, when the patient was scanned: an entry
   * for another patient than the one scanned is refused.
   */
  scanned?: string | null;
}
/**
 * What the sign-in screen sends. The PIN is moved into a [`Pin`] (wiped when dropped) at once.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "SignInRequest".
 */
export interface SignInRequest {
  /**
   * The user id or full name.
   */
  name: string;
  pin: string;
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
 * The reconciliation worklist, as the window shows it in recovery: every entry of the ward grouped
 * by patient, what will be sent, and each conflict in words, with what to send back to decide.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WorklistView".
 */
export interface WorklistView {
  counts: PlanCounts;
  /**
   * `EPR read at 14:05`.
   */
  fetched_text: string;
  /**
   * What the last filing acknowledged, and why it stopped, when it did.
   */
  filing?: FilingReport | null;
  /**
   * Decisions that did not fit their entry any more (the EPR changed since): shown, not used.
   */
  ignored: string[];
  /**
   * The omission codes, for the editor of a dose not given.
   */
  omission_codes: OmissionCode[];
  patients: WorklistPatient[];
  status: DataStatus;
}
/**
 * How many entries have each outcome.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "PlanCounts".
 */
export interface PlanCounts {
  filed: number;
  needs_person: number;
  not_filed: number;
  ready: number;
  rejected: number;
}
/**
 * What a filing run did.
 *
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "FilingReport".
 */
export interface FilingReport {
  already_there: number;
  filed: number;
  /**
   * Why filing stopped before the end (the EPR dropped out): filing again carries on.
   */
  stopped?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WorklistPatient".
 */
export interface WorklistPatient {
  entries: WorklistEntry[];
  /**
   * `SMITH, Mary`, or the downtime identifier.
   */
  name: string;
  /**
   * As recorded (a downtime identifier for a downtime admission).
   */
  patient_id?: string | null;
}
/**
 * This interface was referenced by `LamplightApi`'s JSON-Schema
 * via the `definition` "WorklistEntry".
 */
export interface WorklistEntry {
  /**
   * When it happened, as it will be filed (a person's edit, when one stands): `08:04 Tue 01/12/2026`.
   */
  at_text: string;
  /**
   * A downtime admission's possible EPR patients, likeliest first.
   */
  candidates: Candidate[];
  /**
   * Each conflict in words (the EPR's side and Lamplight's).
   */
  conflicts: string[];
  entry_id: string;
  /**
   * The entry as a form a person may correct (the same form it was recorded with), when it is
   * still to file and its kind is corrected that way: send it back changed with `edit_entry`.
   */
  form?: EntryForm | null;
  is_admission: boolean;
  /**
   * `Dose given`.
   */
  label: string;
  /**
   * `ready`, `needs_person`, `filed`, `rejected`, `not_filed`.
   */
  outcome: string;
  /**
   * `Ready to file`, `Filed`, `Rejected by Sam Jones: recorded twice`...
   */
  outcome_text: string;
  /**
   * A dose of a medicine that needs a second checker: why (`a controlled drug`).
   */
  second_check?: string | null;
  /**
   * The conflicts as the plan has them: sent back with a decision (what the person saw).
   */
  seen: Conflict[];
  /**
   * What will be sent, in words: `Amoxicillin 500 mg given 08:04 by Sam Jones`.
   */
  text: string;
  /**
   * When a person's edit will be filed instead of the entry as recorded: the entry as recorded,
   * in words (`text` is then the edit).
   */
  was_text?: string | null;
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
