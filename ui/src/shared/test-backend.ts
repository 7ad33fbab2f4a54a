// A `Backend` over small JSON fixtures, for unit tests. The fixtures are checked against
// schemas/lamplight-api.json (fixtures.test.ts), so they are shapes the station really sends.
//
// It also plays a small station: a status that tests move on (a new generation, the EPR stopping,
// downtime proposed) and the mode changes a person asks for. Its wording copies the station's
// (lamplight-model `Mode::headline`, `ModeAction::label`; lamplight-station `mode::view`) so that
// screens are tested against the words they will really show; the rules stay the station's.
import type {
  DataStatus,
  EprView,
  Mode,
  ModeAction,
  ModeActionView,
  ModeRequest,
  ModeView,
  PatientView,
  PrintDocument,
  PrintOptions,
  PrintOutcome,
  PrintPreview,
  WardBoard,
  WardList,
} from "../generated/api";
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
    if (this.statusError) throw this.statusError;
    return structuredClone(this.status);
  }

  async wardList(): Promise<WardList> {
    this.calls.push("ward_list");
    return this.stamped(this.data.wardList);
  }

  async wardBoard(wardId: string): Promise<WardBoard> {
    this.calls.push(`ward_board ${wardId}`);
    const board = this.data.boards[wardId];
    if (!board) throw notFound("ward", wardId);
    return this.stamped(board);
  }

  async patientView(patientId: string): Promise<PatientView> {
    this.calls.push(`patient_view ${patientId}`);
    const view = this.data.patients[patientId];
    if (!view) throw notFound("patient", patientId);
    return this.stamped(view);
  }

  async printPreview(document: PrintDocument, options: PrintOptions): Promise<PrintPreview> {
    this.calls.push(`print_preview ${document} ${options.patient ?? options.ward ?? ""}`.trim());
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
    if (this.printerError) throw this.printerError;
    return { document, title: document, pages: 2, printer_message: "request id is ward-1 (1 file(s))" };
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
    if (this.modeError) throw this.modeError;
    const how = request.action === "declare_downtime" && current.proposal != null ? "Confirmed" : "Declared";
    const detail = `${how} by ${by} at ${TEST_CHANGE_TIME}${reason === "" ? "" : `: ${reason}`}`;
    this.update({ mode: modeView(TARGETS[request.action], { detail }) });
    return structuredClone(this.status);
  }

  /** A copy, as IPC would deliver it, carrying the station's current status. */
  private stamped<T extends { status: DataStatus }>(value: T): T {
    return structuredClone({ ...value, status: this.status });
  }
}

/** The station's own wording for a missing record (StationError::NotFound). */
function notFound(what: string, id: string): BackendError {
  return new BackendError({
    code: "not_found",
    message: `no ${what} with id "${id}" in this data; it may have been discharged or moved since the list was shown: refresh the board`,
  });
}

function invalid(message: string): BackendError {
  return new BackendError({ code: "invalid_request", message });
}
