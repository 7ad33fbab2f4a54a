// The test station's reconciliation worklist: a small ward's downtime entries against an EPR, as
// lamplight-station `reconcile::worklist_view` shows them, and the decisions and filing that move
// them on. The wording copies the station's (`conflict_words`, the outcome texts) so the screen is
// tested against the words it will show; the rules (what conflicts, what may be filed) stay the
// station's and the model's, this only plays them well enough for unit tests.
import type {
  Candidate,
  Conflict,
  DecisionRequest,
  EditRequest,
  EntryForm,
  FilingReport,
  PlanCounts,
  WorklistEntry,
  WorklistPatient,
} from "../generated/api";
import { BackendError } from "./backend";
import { NOW_TEXT } from "./test-station";

/** The test station's day: with `NOW_TEXT`, the time a form's "YYYY-MM-DD HH:MM" is checked against. */
const TODAY = "2026-12-01";

/** The downtime admission with two EPR candidates. */
export const DT_PATIENT = "DT-PC1-0001";
/** The dose whose order the EPR stopped meanwhile. */
export const STOPPED_DOSE = "entry-d2";
export const ADMISSION = "entry-a1";
export const READY_DOSE = "entry-d1";
export const READY_NOTE = "entry-n1";

/** What `StationError::Reconcile` says when the EPR cannot be read (code `epr_unavailable`). */
export function eprUnavailable(): BackendError {
  return new BackendError({
    code: "epr_unavailable",
    message: "reconciliation could not reach the EPR: connection refused (https://epr.example.nhs.uk/fhir)",
  });
}

/** The station's refusal to return to normal early (`StationError::NotReconciled`). */
export function notReconciled(left: number): BackendError {
  return new BackendError({
    code: "invalid_request",
    message: `${left} downtime entries are not yet filed to the EPR nor decided: finish reconciliation (the worklist, or lamplight reconcile) before returning to normal`,
  });
}

type Outcome = "ready" | "needs_person" | "filed" | "rejected" | "not_filed";

interface Row {
  patient: number;
  entry: WorklistEntry;
  /** Whether recording it needs `record-bed-move` (an admission) rather than `record-clinical`. */
  bedMove: boolean;
  /** The entry as recorded, in words: `was_text` once an edit stands. */
  recorded: string;
  /** A dose's medicine, for the words of an edit. */
  medicine?: string;
}

const CANDIDATES: Candidate[] = [
  { epr_patient_id: "epr-5001", score: 160, agrees: ["nhs_number", "family_name", "birth_date"], differs: ["given_name"] },
  { epr_patient_id: "epr-5002", score: 70, agrees: ["family_name", "birth_date", "given_name"], differs: ["nhs_number"] },
];

const STOPPED: Conflict = {
  conflict: "order_changed",
  order_id: "ord-2-1",
  status: "stopped",
  changed_at: "2026-12-01T09:30:00Z",
  dose_at: "2026-12-01T10:02:00Z",
};

function entry(
  entry_id: string,
  at_text: string,
  label: string,
  text: string,
  outcome: Outcome,
  conflicts: Conflict[] = [],
  form: EntryForm | null = null,
): WorklistEntry {
  const candidates = conflicts.flatMap((c) => (c.conflict === "admission_needs_match" ? c.candidates : []));
  return {
    entry_id,
    at_text,
    label,
    text,
    outcome,
    outcome_text: outcome === "needs_person" ? "Needs a person" : outcome === "ready" ? "Ready to file" : "Filed",
    conflicts: conflicts.map(conflictWords),
    seen: conflicts,
    candidates,
    is_admission: label === "Admission",
    form,
    was_text: null,
    second_check: null,
  };
}

/** What `forms::form_of` gives for a dose given: the London time with its date. */
function doseForm(patient_id: string, order_id: string, time: string, dose: string, due_at: string): EntryForm {
  return { form: "dose_given", patient_id, order_id, time, dose, given_by: "Sam Jones", checked_by: null, due_at };
}

/** `patient::entry_words`' third part (what is sent), for the kinds the test ward edits. */
function editWords(form: EntryForm, medicine: string): string {
  const clock = (t: string | null | undefined) => (t ?? NOW_TEXT).trim().slice(-5);
  switch (form.form) {
    case "dose_given":
      return `${medicine} ${form.dose ?? ""} given ${clock(form.time)} by ${form.given_by ?? "Sam Jones"}`;
    case "dose_not_given":
      return `${medicine} not given (${form.code})${form.note ? `: ${form.note}` : ""}`;
    case "note":
      return `Nursing note: ${form.text}`;
    case "discharge":
      return `Discharged ${clock(form.time)}${form.destination ? ` to ${form.destination}` : ""}`;
    case "phoned_result":
      return `${form.test} ${form.value}, phoned by ${form.caller}, read back`;
    case "observations":
      return `Observations at ${clock(form.draft.time)}`;
    default:
      return form.form;
  }
}

/** As `forms::form_time`: `HH:MM` today, or `YYYY-MM-DD HH:MM`; a time ahead of now is refused. */
function timeProblem(typed: string | null | undefined): string | null {
  const text = typed?.trim() ?? "";
  if (text === "") return null;
  const full = /^\d{2}:\d{2}$/.test(text) ? `${TODAY} ${text}` : text;
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(full)) return `${text} is not a time: write it as 2026-12-01 08:04`;
  if (full > `${TODAY} ${NOW_TEXT}`) return `${text} is in the future (${NOW_TEXT} now): enter the time it happened`;
  return null;
}

function formTime(form: EntryForm): string | null | undefined {
  switch (form.form) {
    case "dose_given":
    case "discharge":
      return form.time;
    case "observations":
      return form.draft.time;
    default:
      return null;
  }
}

/** `reconcile::conflict_words`, for the conflicts the test ward has. */
function conflictWords(c: Conflict): string {
  switch (c.conflict) {
    case "order_changed":
      return `the order is now ${c.status} in the EPR (changed 09:30 Tue 01/12/2026), and the dose was at 10:02 Tue 01/12/2026: check it should stand`;
    case "admission_needs_match":
      return c.candidates.length === 0
        ? "admitted during downtime: no EPR patient matches; file as a new patient, or find them"
        : `admitted during downtime: match to the EPR patient (${c.candidates.length} candidates)`;
    default:
      return c.conflict.replaceAll("_", " ");
  }
}

export class TestWorklist {
  readonly names = ["SMITH, Mary Jane", "JONES, Peter", DT_PATIENT];
  readonly patientIds = ["pat-1", "pat-2", DT_PATIENT];
  readonly rows: Row[] = [
    {
      patient: 0,
      bedMove: false,
      medicine: "Co-careldopa",
      recorded: "Co-careldopa 12.5/50 mg given 08:04 by Sam Jones",
      entry: entry(
        READY_DOSE,
        "08:04 Tue 01/12/2026",
        "Dose given",
        "Co-careldopa 12.5/50 mg given 08:04 by Sam Jones",
        "ready",
        [],
        doseForm("pat-1", "ord-1-1", "2026-12-01 08:04", "12.5/50 mg", "2026-12-01T08:00:00Z"),
      ),
    },
    {
      patient: 0,
      bedMove: false,
      recorded: "Nursing note: settled, eating and drinking",
      entry: entry(READY_NOTE, "09:15 Tue 01/12/2026", "Nursing note", "Nursing note: settled, eating and drinking", "ready", [], {
        form: "note",
        patient_id: "pat-1",
        text: "settled, eating and drinking",
      }),
    },
    {
      patient: 1,
      bedMove: false,
      medicine: "Amoxicillin",
      recorded: "Amoxicillin 500 mg given 10:02 by Sam Jones",
      entry: entry(
        STOPPED_DOSE,
        "10:02 Tue 01/12/2026",
        "Dose given",
        "Amoxicillin 500 mg given 10:02 by Sam Jones",
        "needs_person",
        [STOPPED],
        doseForm("pat-2", "ord-2-1", "2026-12-01 10:02", "500 mg", "2026-12-01T10:00:00Z"),
      ),
    },
    {
      patient: 2,
      bedMove: true,
      recorded: "Admitted BROWN, Alan (born 02/03/1950) to ward-7 bed A3",
      entry: entry(
        ADMISSION,
        "11:20 Tue 01/12/2026",
        "Admission",
        "Admitted BROWN, Alan (born 02/03/1950) to ward-7 bed A3",
        "needs_person",
        [{ conflict: "admission_needs_match", candidates: CANDIDATES }],
      ),
    },
  ];
  /** Every decision taken, as it was sent. */
  readonly decisions: DecisionRequest[] = [];
  /** Every edit the station kept, as it was sent. */
  readonly edits: EditRequest[] = [];
  /** When set, an edit needs this warning confirmed (as the station's `prn-interval`, `already-given`). */
  editWarning: { code: string; message: string } | null = null;
  /** When set, filing stops (the EPR dropped out) after this many entries. */
  stopAfter: number | null = null;
  private ignored: string[] = [];

  counts(): PlanCounts {
    const counts: PlanCounts = { ready: 0, needs_person: 0, filed: 0, rejected: 0, not_filed: 0 };
    for (const row of this.rows) counts[row.entry.outcome as Outcome] += 1;
    return counts;
  }

  /** Entries neither filed nor decided against: the PC does not return to normal while any remain. */
  unreconciled(): number {
    const c = this.counts();
    return c.ready + c.needs_person;
  }

  patients(): WorklistPatient[] {
    return this.names.map((name, i) => ({
      patient_id: this.patientIds[i],
      name,
      entries: this.rows.filter((r) => r.patient === i).map((r) => structuredClone(r.entry)),
    }));
  }

  ignoredDecisions(): string[] {
    return [...this.ignored];
  }

  /** Whether deciding about `entryId` needs `record-bed-move` (an admission). */
  bedMove(entryId: string): boolean {
    return this.find(entryId).bedMove;
  }

  /** A decision, as `Station::decide` then the plan take it: by the signed-in person. */
  decide(request: DecisionRequest, by: string) {
    this.decisions.push(structuredClone(request));
    const row = this.find(request.entry_id);
    const e = row.entry;
    if (e.outcome !== "needs_person" || JSON.stringify(request.seen ?? []) !== JSON.stringify(e.seen)) {
      // The plan keeps the decision but does not use it: the EPR changed since the person looked.
      this.ignored.push(`A decision by ${by} about entry ${e.entry_id} was not used: it was made on what is no longer so`);
      return;
    }
    const choice = request.choice;
    switch (choice.choice) {
      case "reject":
        Object.assign(e, { outcome: "rejected", outcome_text: `Not filed: rejected by ${by} (${choice.reason})`, form: null, was_text: null });
        break;
      case "match_patient":
        if (!e.candidates.some((c) => c.epr_patient_id === choice.epr_patient_id)) {
          throw new BackendError({ code: "invalid_request", message: `${choice.epr_patient_id} is not a candidate for this admission` });
        }
        this.ready(e, by);
        break;
      case "accept":
      case "new_patient":
      case "edit":
        this.ready(e, by);
        break;
    }
  }

  /** An edit, as `Station::edit` then the plan take it: the form's checks (a time ahead of now is
   * refused), a warning to confirm, then kept as the decision that counts; what is sent is the edit. */
  edit(request: EditRequest, by: string) {
    const row = this.find(request.entry_id);
    const e = row.entry;
    if (!e.form) {
      throw invalidEntry(`a ${e.label.toLowerCase()} is not edited in the worklist: reject it with a reason, and record it again if it is needed`);
    }
    if (request.form.form !== e.form.form || formPatient(request.form) !== formPatient(e.form)) {
      throw invalidEntry("an edit keeps the entry's kind and patient: to record something else, reject this entry and record the other");
    }
    const problem = timeProblem(formTime(request.form));
    if (problem) throw invalidEntry(problem);
    if (request.form.form === "note" && !request.form.text.trim()) throw invalidEntry("the note is empty");
    if (request.form.form === "phoned_result" && !request.form.read_back) {
      throw invalidEntry('read the result back to the caller and have them confirm it, then tick "read back and confirmed"');
    }
    const warning = this.editWarning;
    if (warning && !(request.confirmed_warnings ?? []).includes(warning.code)) {
      throw new BackendError({ code: "needs_confirmation", message: warning.message, warning: warning.code });
    }
    this.edits.push(structuredClone(request));
    const seenAll = e.seen.every((c) => (request.seen ?? []).some((s) => JSON.stringify(s) === JSON.stringify(c)));
    Object.assign(e, { form: structuredClone(request.form), text: editWords(request.form, row.medicine ?? ""), was_text: row.recorded });
    if (!seenAll) {
      this.ignored.push(`A decision by ${by} about entry ${e.entry_id} was not used: it was made on what is no longer so`);
      return;
    }
    this.ready(e, by);
  }

  /** Files every ready entry (or the first `stopAfter`, when the EPR drops out). */
  file(): FilingReport {
    const ready = this.rows.filter((r) => r.entry.outcome === "ready");
    const count = this.stopAfter == null ? ready.length : Math.min(this.stopAfter, ready.length);
    for (const row of ready.slice(0, count)) Object.assign(row.entry, { outcome: "filed", outcome_text: "Filed", form: null, was_text: null });
    return {
      filed: count,
      already_there: 0,
      stopped:
        count < ready.length
          ? `the EPR stopped answering after ${count} of ${ready.length} entries (503 Service Unavailable)`
          : null,
    };
  }

  private ready(e: WorklistEntry, by: string) {
    Object.assign(e, {
      outcome: "ready",
      outcome_text: `Ready to file (decided by ${by})`,
      conflicts: [],
      seen: [],
      candidates: [],
    });
  }

  private find(entryId: string): Row {
    const row = this.rows.find((r) => r.entry.entry_id === entryId);
    if (!row) throw new BackendError({ code: "not_found", message: `no entry with id "${entryId}" in this data` });
    return row;
  }
}

function invalidEntry(message: string): BackendError {
  return new BackendError({ code: "invalid_entry", message });
}

function formPatient(form: EntryForm): string | null {
  switch (form.form) {
    case "observations":
      return form.draft.patient_id;
    case "admission":
    case "entered_in_error":
      return null;
    default:
      return form.patient_id;
  }
}
