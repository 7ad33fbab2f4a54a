// A `Backend` over small JSON fixtures, for unit tests. The fixtures are checked against
// schemas/lamplight-api.json (fixtures.test.ts), so they are shapes the station really sends.
import type {
  DataStatus,
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

export class TestBackend implements Backend {
  /** Every call made, in order (`ward_board ward-7`), for tests that care what a screen asked for. */
  readonly calls: string[] = [];

  constructor(
    readonly data: Fixtures = fixtures(),
    /** Replaces the status in every response: e.g. a stale or snapshot status. */
    readonly status?: DataStatus,
  ) {}

  /** A backend whose every response carries this status change (`{ stale: true }`). */
  static withStatus(change: Partial<DataStatus>): TestBackend {
    const data = fixtures();
    return new TestBackend(data, { ...data.wardList.status, ...change });
  }

  async dataStatus(): Promise<DataStatus> {
    this.calls.push("data_status");
    return this.status ?? this.data.wardList.status;
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

  /** When set, printing fails with this error (no printer, say). */
  printerError: BackendError | null = null;

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

  private stamped<T extends { status: DataStatus }>(value: T): T {
    return this.status ? { ...value, status: this.status } : value;
  }
}

/** The station's own wording for a missing record (StationError::NotFound). */
function notFound(what: string, id: string): BackendError {
  return new BackendError({
    code: "not_found",
    message: `no ${what} with id "${id}" in this data; it may have been discharged or moved since the list was shown: refresh the board`,
  });
}
