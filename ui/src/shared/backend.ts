// The one way screens reach data. The window uses `TauriBackend` (the station's commands over IPC);
// unit tests use `TestBackend` (fixtures). Screens only ever see this interface.
import type {
  ApiError,
  DataStatus,
  ErrorCode,
  ModeRequest,
  PatientView,
  PrintDocument,
  PrintOptions,
  PrintOutcome,
  PrintPreview,
  WardBoard,
  WardList,
} from "../generated/api";

export interface Backend {
  dataStatus(): Promise<DataStatus>;
  wardList(): Promise<WardList>;
  wardBoard(wardId: string): Promise<WardBoard>;
  patientView(patientId: string): Promise<PatientView>;
  /** What a document will hold, and how many pages, before it is printed. */
  printPreview(document: PrintDocument, options: PrintOptions): Promise<PrintPreview>;
  /** Prints on this PC's default printer. */
  printDocument(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome>;
  /** A person changes the PC's mode (declares or confirms downtime, starts recovery, a drill…).
   * Resolves with the status after the change; rejects (`invalid_request`, `not_saved`) and
   * changes nothing when the station refuses it. */
  changeMode(request: ModeRequest): Promise<DataStatus>;
}

/** A failed call, carrying the station's `{code, message}` so a screen can show and branch on it. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "BackendError";
    this.code = error.code;
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
