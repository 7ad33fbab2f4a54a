// The station's commands, over Tauri's IPC (src-tauri/src/main.rs). Arguments are snake_case,
// as the commands declare, so they read the same on both sides.
import { invoke } from "@tauri-apps/api/core";
import type {
  DataStatus,
  DecisionRequest,
  EditRequest,
  DrugChartForm,
  EmergencySignIn,
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
import { BackendError, type Backend } from "./backend";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}

export class TauriBackend implements Backend {
  dataStatus(): Promise<DataStatus> {
    return call("data_status");
  }

  wardList(): Promise<WardList> {
    return call("ward_list");
  }

  wardBoard(wardId: string): Promise<WardBoard> {
    return call("ward_board", { ward_id: wardId });
  }

  patientView(patientId: string, reason?: string): Promise<PatientView> {
    return call("patient_view", { patient_id: patientId, reason: reason ?? null });
  }

  printPreview(document: PrintDocument, options: PrintOptions): Promise<PrintPreview> {
    return call("print_preview", { document, options });
  }

  savePdf(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome> {
    return call("save_pdf", { document, options });
  }

  printDocument(document: PrintDocument, options: PrintOptions): Promise<PrintOutcome> {
    return call("print_document", { document, options });
  }

  changeMode(request: ModeRequest): Promise<DataStatus> {
    return call("change_mode", { request });
  }

  signIn(request: SignInRequest): Promise<SessionView> {
    return call("sign_in", { request });
  }

  emergencySignIn(request: EmergencySignIn): Promise<SessionView> {
    return call("emergency_sign_in", { request });
  }

  signOut(): Promise<SessionView> {
    return call("sign_out");
  }

  sessionActivity(): Promise<SessionView> {
    return call("session_activity");
  }

  drugChartForm(patientId: string): Promise<DrugChartForm> {
    return call("drug_chart_form", { patient_id: patientId });
  }

  scoreObservations(draft: ObservationsDraft): Promise<News2Preview> {
    return call("score_observations", { draft });
  }

  confirmPatient(patientId: string, scanned: string): Promise<PatientConfirmation> {
    return call("confirm_patient", { patient_id: patientId, scanned });
  }

  recordEntry(request: RecordRequest): Promise<RecordOutcome> {
    return call("record_entry", { request });
  }

  reconcileWorklist(): Promise<WorklistView> {
    return call("reconcile_worklist");
  }

  decideEntry(request: DecisionRequest): Promise<WorklistView> {
    return call("decide_entry", { request });
  }

  editEntry(request: EditRequest): Promise<WorklistView> {
    return call("edit_entry", { request });
  }

  fileReadyEntries(): Promise<WorklistView> {
    return call("file_ready_entries");
  }

  unlockIdentity(passphrase: string): Promise<DataStatus> {
    return call("unlock_identity", { passphrase });
  }
}
