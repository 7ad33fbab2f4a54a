// The one way screens reach data. The window uses `TauriBackend` (the station's commands over IPC);
// unit tests use `TestBackend` (fixtures). Screens only ever see this interface.
import type {
  ApiError,
  DataStatus,
  DecisionRequest,
  EditRequest,
  DrugChartForm,
  EmergencySignIn,
  ErrorCode,
  ModeRequest,
  News2Preview,
  ObservationsDraft,
  PatientConfirmation,
  PatientView,
  PrintDocument,
  PrintOptions,
  PrintOutcome,
  PrintPreview,
  RecordOutcome,
  RecordRequest,
  SessionView,
  SignInRequest,
  WardBoard,
  WardList,
  WorklistView,
} from "../generated/api";

export interface Backend {
  dataStatus(): Promise<DataStatus>;
  wardList(): Promise<WardList>;
  wardBoard(wardId: string): Promise<WardBoard>;
  /** One patient's record, opened by the person signed in (audited). A record outside their
   * wards rejects with `reason_needed` until it is asked for again with a `reason` (break-glass:
   * the reason goes in the audit trail, highlighted for review). */
  patientView(patientId: string, reason?: string): Promise<PatientView>;
  /** What a document will hold, and how many pages, before it is printed. */
  printPreview(document: PrintDocument, options: PrintOptions): Promise<PrintPreview>;
  /** Prints on this PC's default printer. */
  printDocument(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome>;
  /** "Save as PDF": written to this PC's PDF folder (audited); `saved_to` says where. The same
   * people may save what they may print. */
  savePdf(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome>;
  /** A person changes the PC's mode (declares or confirms downtime, starts recovery, a drill…).
   * Resolves with the status after the change; rejects (`invalid_request`, `not_saved`) and
   * changes nothing when the station refuses it. */
  changeMode(request: ModeRequest): Promise<DataStatus>;

  /** Roster sign-in (name or user id, PIN). Rejects `sign_in_refused`, saying why. The same person
   * signing in on a locked session resumes it (same `session_id`). */
  signIn(request: SignInRequest): Promise<SessionView>;
  /** Sign-in without a roster, offered only when `SessionView.emergency_allowed`. */
  emergencySignIn(request: EmergencySignIn): Promise<SessionView>;
  signOut(): Promise<SessionView>;
  /** The person is still at the PC (a key, a click): keeps the session from locking. */
  sessionActivity(): Promise<SessionView>;
  /** The drug chart as a form (needs a signed-in person who may open the record). */
  drugChartForm(patientId: string): Promise<DrugChartForm>;
  /** The live NEWS2 of an observation set being typed. */
  scoreObservations(draft: ObservationsDraft): Promise<News2Preview>;
  /** Checks a scanned wristband against the patient whose chart is open (`wrong_patient` if not). */
  confirmPatient(patientId: string, scanned: string): Promise<PatientConfirmation>;
  /** Records a filled form. Rejects `needs_confirmation` with `warning` to send back to go past it. */
  recordEntry(request: RecordRequest): Promise<RecordOutcome>;

  /** Recovery: the ward's downtime entries against the EPR as it is now (read afresh on each
   * call), grouped by patient. Rejects `epr_unavailable` when the EPR cannot be read. */
  reconcileWorklist(): Promise<WorklistView>;
  /** A person's decision about an entry that needs one (send its `seen` back); the worklist again. */
  decideEntry(request: DecisionRequest): Promise<WorklistView>;
  /** A person's correction of an entry still to file: its `form`, changed (send its `seen` back). The
   * same checks as a new entry: rejects `invalid_entry` saying what is wrong, `needs_confirmation`
   * with `warning` to send back in `confirmed_warnings` to go past it; the worklist again, where
   * `text` is the edit and `was_text` the entry as first recorded. */
  editEntry(request: EditRequest): Promise<WorklistView>;
  /** Files every ready entry, one patient at a time; the worklist again, with `filing` saying what
   * was filed and, if the EPR dropped out, why it stopped (filing again carries on). */
  fileReadyEntries(): Promise<WorklistView>;

  /** Opens this PC's key with the passphrase a person typed (while every other call rejects
   * `passphrase_needed`); the status of the now open station. Rejects `wrong_passphrase`, after
   * several with `retry_after_seconds` to wait before the next try. */
  unlockIdentity(passphrase: string): Promise<DataStatus>;
}

/** Codes that mean "a person must sign in (again) first": the window shows the sign-in screen. */
export function needsSignIn(code: ErrorCode): boolean {
  return code === "not_signed_in" || code === "session_locked";
}

/** A failed call, carrying the station's `{code, message}` so a screen can show and branch on it. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  /** For `needs_confirmation`: the warning's code, to send back in `confirmed_warnings`. */
  readonly warning: string | null;
  /** For `wrong_passphrase` after several: seconds before the station takes the next try. */
  readonly retryAfterSeconds: number | null;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "BackendError";
    this.code = error.code;
    this.warning = error.warning ?? null;
    this.retryAfterSeconds = error.retry_after_seconds ?? null;
  }

  /** Whatever a call rejected with, as a `BackendError`: the station's `ApiError`, or anything else
   * (an IPC or access-control failure arrives as a plain string) as an `internal` error. */
  static from(reason: unknown): BackendError {
    if (reason instanceof BackendError) return reason;
    if (isApiError(reason)) return new BackendError(reason);
    const message = reason instanceof Error ? reason.message : String(reason);
    return new BackendError({ code: "internal", message: `Lamplight could not reach its data: ${message}` });
  }
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).code === "string" &&
    typeof (value as ApiError).message === "string"
  );
}
