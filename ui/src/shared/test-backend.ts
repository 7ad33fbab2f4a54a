// A `Backend` over small JSON fixtures, for unit tests. The fixtures are checked against
// schemas/lamplight-api.json (fixtures.test.ts), so they are shapes the station really sends.
//
// It also plays a small station: a status that tests move on (a new generation, the EPR stopping,
// downtime proposed) and the mode changes a person asks for. Its wording copies the station's
// (lamplight-model `Mode::headline`, `ModeAction::label`; lamplight-station `mode::view`) so that
// screens are tested against the words they will really show; the rules stay the station's.
import type {
  Action,
  ChartRow,
  DataStatus,
  DecisionRequest,
  EditRequest,
  DrugChartForm,
  EmergencySignIn,
  EntryForm,
  EprView,
  Mode,
  ModeAction,
  ModeActionView,
  ModeRequest,
  ModeView,
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
import { notReconciled, TestWorklist } from "./test-worklist";
import { chartForm, chartRows, Desk, initials, KEPT_IN, nhsNumberProblem, NOW_TEXT, OMISSION_CODES, scoreDraft } from "./test-station";
import patientFixtures from "../fixtures/patient-views.json";
import boardFixture from "../fixtures/ward-board.json";
import wardListFixture from "../fixtures/ward-list.json";
import { BackendError, type Backend } from "./backend";

export interface Fixtures {
  wardList: WardList;
  boards: Record<string, WardBoard>;
  patients: Record<string, PatientView>;
}

/** Fresh copies of the committed fixtures, to change freely in a test. */
export function fixtures(): Fixtures {
  const board = structuredClone(boardFixture) as WardBoard;
  return {
    wardList: structuredClone(wardListFixture) as WardList,
    boards: { [board.ward.id]: board },
    patients: structuredClone(patientFixtures) as Record<string, PatientView>,
  };
}

const HEADLINES: Record<Mode, string> = {
  normal: "Normal: the EPR is the record",
  downtime: "DOWNTIME: the EPR is not in use. Record care here or on paper",
  recovery: "RECOVERY: the EPR is back. Downtime records are being returned to it",
  drill: "DRILL: practice only. Nothing recorded here is real",
};

const ACTIONS: Record<Mode, ModeAction[]> = {
  normal: ["declare_downtime", "start_drill"],
  downtime: ["start_recovery"],
  recovery: ["return_to_normal", "declare_downtime"],
  drill: ["end_drill"],
};

const LABELS: Record<ModeAction, string> = {
  declare_downtime: "Declare downtime",
  start_recovery: "Start recovery",
  return_to_normal: "Return to normal",
  start_drill: "Start a drill",
  end_drill: "End the drill",
};

const TARGETS: Record<ModeAction, Mode> = {
  declare_downtime: "downtime",
  start_recovery: "recovery",
  return_to_normal: "normal",
  start_drill: "drill",
  end_drill: "normal",
};

/** The clock the test station's mode details are stamped with. */
export const TEST_CHANGE_TIME = "14:05 Tue 01/12/2026";

/** What the station's banner says about `mode`, with the offers it makes, as `mode::view` builds it. */
export function modeView(
  mode: Mode,
  offers: { detail?: string; proposal?: string; recovery_offer?: string; problem?: string } = {},
): ModeView {
  const actions: ModeActionView[] = ACTIONS[mode].map((action) => {
    const suggested =
      (action === "declare_downtime" && offers.proposal != null) ||
      (action === "start_recovery" && offers.recovery_offer != null);
    return {
      action,
      label: action === "declare_downtime" && offers.proposal != null ? "Confirm downtime" : LABELS[action],
      suggested,
      needs_reason: action === "declare_downtime",
    };
  });
  actions.sort((a, b) => Number(b.suggested) - Number(a.suggested));
  return {
    mode,
    headline: HEADLINES[mode],
    detail: offers.detail ?? null,
    proposal: offers.proposal ?? null,
    recovery_offer: offers.recovery_offer ?? null,
    problem: offers.problem ?? null,
    actions,
  };
}

export const EPR_NOT_ANSWERING: EprView = {
  state: "not_answering",
  text: "EPR not answering since 14:02 (no answer within 5 s)",
  checked_text: "checked 14:04:10",
};

export const EPR_ANSWERING: EprView = { state: "answering", text: "EPR answering", checked_text: "checked 14:20:05" };

export class TestBackend implements Backend {
  /** Every call made, in order (`ward_board ward-7`), for tests that care what a screen asked for. */
  readonly calls: string[] = [];
  /** Every mode change asked for, as it was sent. */
  readonly modeRequests: ModeRequest[] = [];
  /** When set, printing fails with this error (no printer, say). */
  printerError: BackendError | null = null;
  /** When set, a mode change the station would allow fails with this error (it could not be saved). */
  modeError: BackendError | null = null;
  /** When set, `dataStatus` fails with this error (the station cannot be reached). */
  statusError: BackendError | null = null;
  /** The status every response carries. Move it on with `update` and the helpers below. */
  status: DataStatus;
  /** The PC's sign-in desk; `null` (the default) plays a station without sessions (a bundle read
   * alone), whose status has no `session` and which asks nobody to sign in. */
  desk: Desk | null = null;
  /** Every record request, as it was sent. */
  readonly records: RecordRequest[] = [];
  /** Each patient's drug chart rows (pat-1 has the chart `chartRows` describes). */
  readonly charts: Record<string, ChartRow[]> = { "pat-1": chartRows() };
  /** Every draft scored, as it was sent. */
  readonly drafts: ObservationsDraft[] = [];
  /** The ward's downtime entries against the EPR, in recovery; `null` (the default): none, so the
   * PC may return to normal at once. `startRecovery` gives it the test ward's worklist. */
  worklist: TestWorklist | null = null;
  /** When set, every worklist call fails with this error (`epr_unavailable`: the EPR cannot be read). */
  worklistError: BackendError | null = null;
  /** Set (by `locked`): the PC's key needs this passphrase, and until it is typed every call
   * rejects `passphrase_needed`, as the station does. */
  passphrase: string | null = null;
  /** Patients outside the signed-in person's wards (break-glass), and those opened with a reason. */
  outsideWards = new Set<string>();
  breakGlass = new Set<string>();
  /** Wrong passphrases so far; from the third, each asks for `unlockWaitSeconds` before the next. */
  unlockFailures = 0;
  unlockWaitSeconds = 5;
  private entries = 0;

  constructor(
    readonly data: Fixtures = fixtures(),
    /** The status to start from (every response carries it): e.g. a stale or snapshot status. */
    status?: DataStatus,
  ) {
    this.status = structuredClone(status ?? data.wardList.status);
  }

  /** A backend whose every response carries this status change (`{ stale: true }`). */
  static withStatus(change: Partial<DataStatus>): TestBackend {
    const data = fixtures();
    return new TestBackend(data, { ...data.wardList.status, ...change });
  }

  /** A PC whose key is protected by `passphrase` and not yet unlocked. */
  static locked(passphrase: string): TestBackend {
    const backend = new TestBackend();
    backend.passphrase = passphrase;
    return backend;
  }

  /** A station with a roster (Sam Jones, PIN 2468) and nobody signed in; `signedIn` signs Sam in.
   * `roster: false`: no roster reached the PC, so the emergency sign-in is offered. */
  static withSessions(options: { signedIn?: boolean; roster?: boolean } = {}): TestBackend {
    const backend = new TestBackend();
    backend.desk = new Desk();
    if (options.roster === false) backend.desk.roster = null;
    if (options.signedIn) backend.desk.signIn("Sam Jones", "2468");
    backend.syncSession();
    return backend;
  }

  /** The EPR is back and recovery has started, with the test ward's downtime entries to file. */
  startRecovery(worklist: TestWorklist = new TestWorklist()): DataStatus {
    this.worklist = worklist;
    return this.update({ epr: EPR_ANSWERING, mode: modeView("recovery", { detail: `Declared by Sam Jones at ${TEST_CHANGE_TIME}` }) });
  }

  /** The session went idle: it locks, waiting for its person to sign in again. */
  lockSession(): DataStatus {
    this.desk!.locked = true;
    return this.update({ session: this.desk!.view() });
  }

  private syncSession(): SessionView | null {
    if (!this.desk) return null;
    const view = this.desk.view();
    this.status = { ...this.status, session: view };
    return structuredClone(view);
  }

  private require(action: Action) {
    return this.desk?.require(action) ?? null;
  }

  /** The station moved on: `change` is merged into the status and, as the station does whenever
   * what a screen shows may have changed, the revision goes up (unless `change` sets it). */
  update(change: Partial<DataStatus> = {}): DataStatus {
    this.status = { ...this.status, revision: this.status.revision + 1, ...structuredClone(change) };
    return this.status;
  }

  /** A newer generation landed: `edit` changes the data it holds; the status says the window followed. */
  newGeneration(generation: number, edit: (data: Fixtures) => void = () => {}): DataStatus {
    edit(this.data);
    return this.update({
      source: "snapshot",
      source_label: `Snapshot generation ${generation}`,
      generation,
      updated_text: `Updated at 14:05 to generation ${generation} (data as of 14:04)`,
    });
  }

  /** The EPR has been silent long enough: the station proposes downtime for a person to confirm. */
  proposeDowntime(): DataStatus {
    return this.update({
      epr: EPR_NOT_ANSWERING,
      mode: modeView("normal", {
        proposal: "The EPR has not answered since 14:02 (3 min). If the ward cannot use the EPR, confirm downtime.",
      }),
    });
  }

  /** During downtime the EPR answers again: the station offers recovery. */
  offerRecovery(): DataStatus {
    return this.update({
      epr: EPR_ANSWERING,
      mode: modeView(this.status.mode.mode, {
        detail: this.status.mode.detail ?? undefined,
        recovery_offer: "The EPR is answering again (since 14:20). When IT confirms it is back, start recovery.",
      }),
    });
  }

  async dataStatus(): Promise<DataStatus> {
    this.calls.push("data_status");
    if (this.passphrase !== null) throw passphraseNeeded();
    if (this.statusError) throw this.statusError;
    return structuredClone(this.status);
  }

  async wardList(): Promise<WardList> {
    this.calls.push("ward_list");
    if (this.passphrase !== null) throw passphraseNeeded();
    return this.stamped(this.data.wardList);
  }

  async wardBoard(wardId: string): Promise<WardBoard> {
    this.calls.push(`ward_board ${wardId}`);
    const board = this.data.boards[wardId];
    if (!board) throw notFound("ward", wardId);
    return this.stamped(board);
  }

  async patientView(patientId: string, reason?: string): Promise<PatientView> {
    this.calls.push(reason == null ? `patient_view ${patientId}` : `patient_view ${patientId} reason ${reason}`);
    this.require("open-record");
    const view = this.data.patients[patientId];
    if (!view) throw notFound("patient", patientId);
    // Break-glass, as the station has it (lamplight_station::break_glass): a patient outside the
    // person's wards opens once a reason of at least 10 characters is given.
    if (this.outsideWards.has(patientId) && !this.breakGlass.has(patientId)) {
      if ((reason?.trim().length ?? 0) < 10) {
        throw new BackendError({
          code: "reason_needed",
          message:
            "this patient is on WD8, not one of your wards (WD7): opening the record is break-glass access. " +
            (reason == null
              ? "Say why you need it: your name and the reason go in the audit trail for review"
              : "The reason is too short to review: say why you need this record (at least 10 characters)"),
        });
      }
      this.breakGlass.add(patientId);
    }
    return this.stamped(view);
  }

  async printPreview(document: PrintDocument, options: PrintOptions): Promise<PrintPreview> {
    this.calls.push(`print_preview ${document} ${options.patient ?? options.ward ?? ""}`.trim());
    if (PATIENT_PAPER.includes(document)) this.require("open-record");
    return {
      document,
      title: document,
      pages: 2,
      stamp: "DOWNTIME COPY - data as of 03:01 04/11/2026",
      parts: [`${document} for ${options.patient ?? options.ward ?? "the ward"}`],
    };
  }

  async printDocument(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome> {
    this.calls.push(`print_document ${document} ${options.patient ?? options.ward ?? ""}`.trim());
    if (PATIENT_PAPER.includes(document)) this.require("open-record");
    if (this.printerError) throw this.printerError;
    return { document, title: document, pages: 2, printer_message: "request id is ward-1 (1 file(s))", saved_to: null };
  }

  async savePdf(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome> {
    this.calls.push(`save_pdf ${document} ${options.patient ?? options.ward ?? ""}`.trim());
    if (PATIENT_PAPER.includes(document)) this.require("open-record");
    const file = `lamplight-${document.replaceAll("_", "-")}-2026-11-04-0301.pdf`;
    return { document, title: document, pages: 2, printer_message: null, saved_to: `/home/ward7/Documents/Lamplight/${file}` };
  }

  /** The station's checks, in its order (lamplight-model `ModeState::apply`), then the save. */
  async changeMode(request: ModeRequest): Promise<DataStatus> {
    this.calls.push(`change_mode ${request.action}`);
    this.modeRequests.push(structuredClone(request));
    const current = this.status.mode;
    if (!current.actions.some((a) => a.action === request.action)) {
      throw invalid(
        `${LABELS[request.action]} is not possible in ${current.mode} mode; what is possible now is shown on the banner`,
      );
    }
    const by = request.by.trim();
    const reason = request.reason.trim();
    if (by === "") throw invalid("say who is changing the mode: every change is recorded with a name");
    if (request.action === "declare_downtime" && reason === "") {
      throw invalid(
        'say why downtime is declared (for example "EPR not answering"): it is recorded and shown on every PC',
      );
    }
    if (request.action === "return_to_normal") {
      const left = this.worklist?.unreconciled() ?? 0;
      if (left > 0) throw notReconciled(left);
    }
    if (this.modeError) throw this.modeError;
    const how = request.action === "declare_downtime" && current.proposal != null ? "Confirmed" : "Declared";
    const detail = `${how} by ${by} at ${TEST_CHANGE_TIME}${reason === "" ? "" : `: ${reason}`}`;
    this.update({ mode: modeView(TARGETS[request.action], { detail }) });
    return structuredClone(this.status);
  }

  async signIn(request: SignInRequest): Promise<SessionView> {
    this.calls.push("sign_in");
    this.desk!.signIn(request.name, request.pin);
    return this.syncSession()!;
  }

  async emergencySignIn(request: EmergencySignIn): Promise<SessionView> {
    this.calls.push("emergency_sign_in");
    this.desk!.emergencySignIn(request.full_name, request.role, request.reason);
    return this.syncSession()!;
  }

  async signOut(): Promise<SessionView> {
    this.calls.push("sign_out");
    this.desk!.signOut();
    return this.syncSession()!;
  }

  async sessionActivity(): Promise<SessionView> {
    this.calls.push("session_activity");
    return this.syncSession()!;
  }

  async drugChartForm(patientId: string): Promise<DrugChartForm> {
    this.calls.push(`drug_chart_form ${patientId}`);
    this.require("open-record");
    const view = this.data.patients[patientId];
    if (!view) throw notFound("patient", patientId);
    return structuredClone(
      chartForm({ status: this.status, identity: view.identity, allergies: view.allergies }, this.charts[patientId] ?? []),
    );
  }

  async scoreObservations(draft: ObservationsDraft): Promise<News2Preview> {
    this.calls.push("score_observations");
    this.drafts.push(structuredClone(draft));
    return scoreDraft(draft);
  }

  async confirmPatient(patientId: string, scanned: string): Promise<PatientConfirmation> {
    this.calls.push(`confirm_patient ${patientId} ${scanned}`);
    this.require("open-record");
    const view = this.data.patients[patientId];
    if (!view) throw notFound("patient", patientId);
    if (!scannedMatches(view, scanned)) throw wrongPatient();
    return { patient_id: patientId, text: `Wristband scanned at ${NOW_TEXT}: this is the patient whose chart is open` };
  }

  /** The station's order: who, the wristband, the form's checks, unconfirmed warnings, then the save. */
  async recordEntry(request: RecordRequest): Promise<RecordOutcome> {
    this.calls.push(`record_entry ${request.entry.form}`);
    this.records.push(structuredClone(request));
    const entry = request.entry;
    const bedMove = entry.form === "admission" || entry.form === "transfer" || entry.form === "discharge";
    const actor = this.require(bedMove ? "record-bed-move" : "record-clinical");
    const me = actor?.full_name ?? "Sam Jones";
    const patientId = entryPatient(entry);
    if (patientId != null) {
      const view = this.data.patients[patientId];
      if (!view) throw notFound("patient", patientId);
      const scanned = request.scanned?.trim();
      if (scanned && !scannedMatches(view, scanned)) throw wrongPatient();
    }
    const confirmed = request.confirmed_warnings ?? [];
    const warn = (code: string, message: string) => {
      if (!confirmed.includes(code)) throw new BackendError({ code: "needs_confirmation", message, warning: code });
    };
    let summary: string;
    let newPatient: string | null = null;
    switch (entry.form) {
      case "dose_given": {
        const row = this.row(entry.patient_id, entry.order_id);
        const time = entry.time?.trim() || NOW_TEXT;
        if (!/^\d{2}:\d{2}$/.test(time)) throw invalidEntry(`${time} is not a time: write it as 08:04`);
        if (time > NOW_TEXT) throw invalidEntry(`${time} is in the future (${NOW_TEXT} now): enter the time it happened`);
        const givenBy = entry.given_by?.trim() || me;
        const checker = entry.checked_by?.trim() || null;
        if (row.second_check) {
          if (!checker) throw invalidEntry(`${row.medicine} needs a second checker (${row.second_check}): enter who checked it`);
          if (checker.toLowerCase() === givenBy.toLowerCase()) {
            throw invalidEntry("the second checker must be another person than the one who gave it");
          }
        }
        const dose = entry.dose?.trim() || row.dose;
        const text = `Given ${time} by ${givenBy} (downtime entry)`;
        if (row.kind === "when_required") {
          if (row.when_required?.warning_now) warn("prn-interval", row.when_required.warning_now);
        } else {
          const cell = row.cells.find((c) => c.state === "due_now") ?? row.cells.find((c) => c.state === "overdue");
          if (!cell) {
            const given = [...row.cells].reverse().find((c) => c.state === "given");
            warn(
              "already-given",
              `the dose due ${given?.due_text ?? time} is already recorded as given: giving it again would be a second dose. Check the patient and the chart first`,
            );
          } else {
            Object.assign(cell, { state: "given", mark: initials(givenBy), text, entry_id: `entry-${this.entries + 1}` });
          }
        }
        row.last_text = text;
        summary = `${row.medicine} ${dose} given at ${time} by ${givenBy}`;
        break;
      }
      case "dose_not_given": {
        const row = this.row(entry.patient_id, entry.order_id);
        if (entry.code < 1 || entry.code > 8) throw invalidEntry(`${entry.code} is not an omission code: use 1–8`);
        const needsNote = entry.code === 5 || entry.code === 8;
        if (needsNote && !entry.note?.trim()) throw invalidEntry(`code ${entry.code} needs a note saying why`);
        const cell = row.cells.find((c) => c.due_at === entry.due_at);
        if (!cell) throw invalidEntry("that dose is not on the chart");
        Object.assign(cell, { state: "not_given", mark: String(entry.code), text: `Not given (${entry.code})`, entry_id: `entry-${this.entries + 1}` });
        summary = `${row.medicine} due ${cell.due_text} not given (${entry.code})`;
        break;
      }
      case "observations": {
        const preview = scoreDraft(entry.draft);
        if (preview.problems[0]) throw invalidEntry(preview.problems[0]);
        if (preview.parameters.every((p) => p.score == null)) throw invalidEntry("enter at least one observation");
        summary = `observations at ${entry.draft.time || NOW_TEXT}, NEWS2 ${preview.total}${preview.complete ? "" : " so far"} (${preview.response})`;
        break;
      }
      case "note":
        if (!entry.text.trim()) throw invalidEntry("the note is empty");
        summary = "nursing note";
        break;
      case "phoned_result":
        for (const [what, v] of [["the test", entry.test], ["the value", entry.value], ["who called", entry.caller]] as const) {
          if (!v.trim()) throw invalidEntry(`enter ${what}`);
        }
        if (!entry.read_back) {
          throw invalidEntry('read the result back to the caller and have them confirm it, then tick "read back and confirmed"');
        }
        summary = `${entry.test.trim()} result phoned through, read back`;
        break;
      case "transfer":
        summary = `moved to ${entry.ward_id}${entry.bed_id ? ` bed ${entry.bed_id}` : ", no bed yet"}`;
        break;
      case "discharge":
        summary = `discharged at ${entry.time || NOW_TEXT}${entry.destination ? ` to ${entry.destination}` : ""}`;
        break;
      case "admission": {
        if (!entry.family_name.trim() && !entry.given_names.trim()) {
          throw invalidEntry("enter the patient's name (or UNKNOWN for an unidentified patient)");
        }
        const nhs = entry.nhs_number?.trim();
        const problem = nhs ? nhsNumberProblem(nhs) : null;
        if (problem) throw invalidEntry(`the NHS number entered is not valid: ${problem}`);
        newPatient = `DT-PC1-${String(Object.keys(this.data.patients).filter((k) => k.startsWith("DT-")).length + 1).padStart(4, "0")}`;
        const template = structuredClone(this.data.patients["pat-3"]!);
        template.identity = {
          patient_id: newPatient,
          name: `${entry.family_name.trim().toUpperCase()}, ${entry.given_names.trim()}`,
          nhs_number: nhs || null,
          sex: entry.sex,
          birth_date_text: entry.birth_date,
          age_years: null,
          hospital_number: null,
        };
        template.medicines = [];
        template.observations = [];
        this.data.patients[newPatient] = template;
        summary = `admitted as ${newPatient} (${entry.ward_id})`;
        break;
      }
      case "entered_in_error":
        summary = "entry withdrawn as entered in error";
        break;
    }
    this.entries += 1;
    const entryId = `entry-${this.entries}`;
    const about = newPatient ?? patientId;
    if (about) {
      const view = this.data.patients[about]!;
      view.downtime_entries = [
        {
          entry_id: entryId,
          kind: entry.form,
          label: ENTRY_LABELS[entry.form],
          text: summary,
          recorded_at: "2026-12-01T14:05:00Z",
          recorded_text: `Recorded ${NOW_TEXT} by ${me} on PC1, downtime entry`,
          drill: false,
          superseded: null,
        },
        ...(view.downtime_entries ?? []),
      ];
    }
    this.update();
    return {
      entry_id: entryId,
      saved_text: `Saved ${NOW_TEXT}: ${summary}`,
      patient_id: about,
      kept_in: KEPT_IN,
      status: structuredClone(this.status),
    };
  }

  async reconcileWorklist(): Promise<WorklistView> {
    this.calls.push("reconcile_worklist");
    this.require("open-record");
    return this.worklistView();
  }

  /** As `Station::decide`: who may record that kind of entry, kept, then the worklist again. */
  async decideEntry(request: DecisionRequest): Promise<WorklistView> {
    this.calls.push(`decide_entry ${request.entry_id} ${request.choice.choice}`);
    const worklist = this.worklist ?? new TestWorklist();
    const actor = this.require(worklist.bedMove(request.entry_id) ? "record-bed-move" : "record-clinical");
    if (request.choice.choice === "reject" && !request.choice.reason.trim()) {
      throw invalid("say why the entry is rejected: the reason is kept with your name");
    }
    worklist.decide(request, actor?.full_name ?? "Sam Jones");
    this.worklist = worklist;
    this.update();
    return this.worklistView();
  }

  /** As `Station::edit_entry`: who may record that kind of entry, the form's checks, a warning to
   * confirm, kept as a decision, then the worklist again. */
  async editEntry(request: EditRequest): Promise<WorklistView> {
    this.calls.push(`edit_entry ${request.entry_id} ${request.form.form}`);
    const worklist = this.worklist ?? new TestWorklist();
    const bedMove = request.form.form === "discharge" || worklist.bedMove(request.entry_id);
    const actor = this.require(bedMove ? "record-bed-move" : "record-clinical");
    worklist.edit(request, actor?.full_name ?? "Sam Jones");
    this.worklist = worklist;
    this.update();
    return this.worklistView();
  }

  async fileReadyEntries(): Promise<WorklistView> {
    this.calls.push("file_ready_entries");
    this.require("record-clinical");
    if (this.worklistError) throw this.worklistError;
    const filing = this.worklist?.file() ?? { filed: 0, already_there: 0, stopped: null };
    this.update();
    return { ...this.worklistView(), filing };
  }

  private worklistView(): WorklistView {
    if (this.worklistError) throw this.worklistError;
    const worklist = this.worklist;
    return structuredClone({
      status: this.status,
      fetched_text: `EPR read at ${NOW_TEXT}`,
      counts: worklist?.counts() ?? { ready: 0, needs_person: 0, filed: 0, rejected: 0, not_filed: 0 },
      patients: worklist?.patients() ?? [],
      ignored: worklist?.ignoredDecisions() ?? [],
      filing: null,
      omission_codes: OMISSION_CODES,
    });
  }

  private row(patientId: string, orderId: string): ChartRow {
    const row = this.charts[patientId]?.find((r) => r.order_id === orderId);
    if (!row) throw notFound("medicine order", orderId);
    return row;
  }

  /** The call is recorded without its argument: a passphrase is never kept, not even by a test. */
  async unlockIdentity(passphrase: string): Promise<DataStatus> {
    this.calls.push("unlock_identity");
    if (this.passphrase === null || passphrase === this.passphrase) {
      this.passphrase = null;
      this.unlockFailures = 0;
      return structuredClone(this.status);
    }
    this.unlockFailures += 1;
    const wait = this.unlockFailures >= 3 ? this.unlockWaitSeconds : 0;
    const tries = this.unlockFailures === 1 ? "1 wrong try" : `${this.unlockFailures} wrong tries`;
    throw new BackendError({
      code: "wrong_passphrase",
      message:
        `That passphrase does not open this PC's key (${tries}). Check Caps Lock and the keyboard layout, then ` +
        `${wait ? `type it again in ${wait} seconds` : "type it again"}. If nobody here knows it, ask IT.`,
      retry_after_seconds: wait || null,
    });
  }

  /** A copy, as IPC would deliver it, carrying the station's current status. */
  private stamped<T extends { status: DataStatus }>(value: T): T {
    return structuredClone({ ...value, status: this.status });
  }
}

/** The station's words while its key waits for a passphrase (lamplight-station `unlock::PROMPT`). */
function passphraseNeeded(): BackendError {
  return new BackendError({
    code: "passphrase_needed",
    message: "This PC's key is protected by a passphrase. IT or the nurse in charge enters it to open the ward's data.",
  });
}

/** The station's own wording for a missing record (StationError::NotFound). */
function notFound(what: string, id: string): BackendError {
  return new BackendError({
    code: "not_found",
    message: `no ${what} with id "${id}" in this data; it may have been discharged or moved since the list was shown: refresh the board`,
  });
}

const ENTRY_LABELS: Record<EntryForm["form"], string> = {
  dose_given: "Dose given",
  dose_not_given: "Dose not given",
  observations: "Observations",
  admission: "Admission",
  transfer: "Transfer",
  discharge: "Discharge",
  note: "Nursing note",
  phoned_result: "Result phoned through",
  entered_in_error: "Entered in error",
};

/** Paper about one patient needs a signed-in person; the census and blank forms do not. */
const PATIENT_PAPER: PrintDocument[] = ["drug_chart", "obs_chart", "handover", "downtime_pack"];

function entryPatient(entry: EntryForm): string | null {
  switch (entry.form) {
    case "observations":
      return entry.draft.patient_id;
    case "admission":
    case "entered_in_error":
      return null;
    default:
      return entry.patient_id;
  }
}

/** The station's rule: the patient id, or the NHS number's digits in what was scanned. */
function scannedMatches(view: PatientView, scanned: string): boolean {
  const compact = scanned.replace(/\s/g, "");
  if (compact === "") return false;
  if (compact.toLowerCase() === view.identity.patient_id.toLowerCase()) return true;
  const nhs = view.identity.nhs_number?.replace(/\s/g, "");
  return nhs != null && compact.includes(nhs);
}

function wrongPatient(): BackendError {
  return new BackendError({
    code: "wrong_patient",
    message: "the wristband scanned is not this patient's: STOP, and check you have the right patient and the right chart",
  });
}

function invalidEntry(message: string): BackendError {
  return new BackendError({ code: "invalid_entry", message });
}

function invalid(message: string): BackendError {
  return new BackendError({ code: "invalid_request", message });
}
