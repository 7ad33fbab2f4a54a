// Recovery's worklist in the window: opened from the banner (asking who is there first), the ward's
// entries by patient, one decision at a time for what needs a person (with what they saw), an entry
// corrected in its row through the form it was recorded with, the ready ones filed in one go, the EPR
// not answering said plainly, and the PC's way back to normal.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../App.svelte";
import { TestBackend } from "../shared/test-backend";
import { ADMISSION, DT_PATIENT, eprUnavailable, READY_DOSE, READY_NOTE, STOPPED_DOSE, TestWorklist } from "../shared/test-worklist";

const POLL_MS = 20;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

function entryRow(entryId: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`.worklist-entry[data-entry-id="${entryId}"]`);
  if (!found) throw new Error(`no worklist row for ${entryId}`);
  return found;
}

/** What `selector` finds in an entry's row (throws while there is none, for `waitFor`). */
function inRow(entryId: string, selector: string): HTMLElement {
  const found = entryRow(entryId).querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector} in the row of ${entryId}`);
  return found;
}

function count(what: string): number {
  return Number(byId("worklist-counts").querySelector(`[data-count="${what}"] strong`)?.textContent);
}

async function type(id: string, value: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value } });
}

async function signIn() {
  await type("sign-in-name", "Sam Jones");
  await type("sign-in-pin", "2468");
  await fireEvent.click(byId("sign-in-submit"));
}

/** A PC in recovery with the test ward's entries, Sam signed in, the worklist open. */
async function openWorklist(backend = TestBackend.withSessions({ signedIn: true })) {
  if (!backend.worklist) backend.startRecovery();
  render(App, { backend, statusEveryMs: POLL_MS });
  await screen.findByText("SMITH, Mary Jane");
  await fireEvent.click(await waitFor(() => byId("open-worklist")));
  await waitFor(() => byId("worklist-counts"));
  return backend;
}

describe("opening the worklist", () => {
  it("is offered in recovery only", async () => {
    const backend = TestBackend.withSessions({ signedIn: true });
    render(App, { backend, statusEveryMs: POLL_MS });
    await screen.findByText("SMITH, Mary Jane");
    expect(document.getElementById("open-worklist"), "not in normal mode").toBeNull();
    backend.update({ mode: backend.startRecovery().mode });
    await waitFor(() => byId("open-worklist"));
    expect(byId("open-worklist").textContent).toContain("Reconcile");
  });

  it("asks who is there first, like opening a patient, then shows the ward's entries by patient", async () => {
    const backend = TestBackend.withSessions();
    backend.startRecovery();
    render(App, { backend, statusEveryMs: POLL_MS });
    await screen.findByText("SMITH, Mary Jane");
    await fireEvent.click(await waitFor(() => byId("open-worklist")));
    await waitFor(() => byId("sign-in"));
    expect(backend.calls, "nothing read before a person signs in").not.toContain("reconcile_worklist");

    await signIn();
    await waitFor(() => byId("worklist-counts"));
    expect(byId("worklist-fetched").textContent).toBe("EPR read at 14:05");
    expect([count("ready"), count("needs_person"), count("filed"), count("rejected"), count("not_filed")]).toEqual([2, 2, 0, 0, 0]);
    expect(byId("worklist-file-ready").textContent?.trim()).toBe("File 2 ready entries to the EPR");

    // Some need a person: only those are shown at first.
    expect(byId<HTMLInputElement>("worklist-only-open").checked).toBe(true);
    expect([...document.querySelectorAll<HTMLElement>(".worklist-entry")].map((r) => r.dataset.entryId)).toEqual([STOPPED_DOSE, ADMISSION]);
    await fireEvent.click(byId("worklist-only-open"));
    const patients = [...document.querySelectorAll<HTMLElement>(".worklist-patient")];
    expect(patients.map((p) => p.dataset.patientId)).toEqual(["pat-1", "pat-2", DT_PATIENT]);
    expect(patients[0]!.querySelector("h2")?.textContent).toBe("SMITH, Mary Jane");
    expect(patients[0]!.querySelectorAll(".worklist-entry")).toHaveLength(2);

    const dose = entryRow(READY_DOSE);
    expect(dose.dataset.outcome).toBe("ready");
    expect(dose.textContent).toContain("08:04 Tue 01/12/2026");
    expect(dose.textContent).toContain("Co-careldopa 12.5/50 mg given 08:04 by Sam Jones");
    expect(dose.textContent).toContain("Ready to file");
    expect(dose.querySelector("button.decide-accept, button.decide-reject"), "what is ready needs no decision").toBeNull();

    const stopped = entryRow(STOPPED_DOSE);
    expect(stopped.dataset.outcome).toBe("needs_person");
    expect(stopped.textContent, "said in words, not colour alone").toContain("Needs a person");
    expect([...stopped.querySelectorAll(".worklist-conflict")].map((c) => c.textContent)).toEqual([
      "⚠ the order is now stopped in the EPR (changed 09:30 Tue 01/12/2026), and the dose was at 10:02 Tue 01/12/2026: check it should stand",
    ]);
    expect(stopped.querySelector("button.decide-accept")).not.toBeNull();
    expect(stopped.querySelector("button.decide-reject")).not.toBeNull();
    expect(stopped.querySelector("button.decide-new-patient"), "only for an admission").toBeNull();
  });

  it("goes back to the board on Escape", async () => {
    await openWorklist();
    await fireEvent.keyDown(byId("worklist-title"), { key: "Escape" });
    await waitFor(() => byId("ward-board"));
    expect(document.getElementById("worklist")).toBeNull();
    expect(document.activeElement?.id).toBe("open-worklist");
  });
});

describe("deciding, one entry at a time", () => {
  it("accepts a conflict, sending back what the person saw, and moves on to the next", async () => {
    const backend = await openWorklist();
    const seen = structuredClone(backend.worklist!.rows.find((r) => r.entry.entry_id === STOPPED_DOSE)!.entry.seen);
    await fireEvent.click(entryRow(STOPPED_DOSE).querySelector("button.decide-accept")!);
    await waitFor(() => byId("worklist-saved"));
    expect(backend.worklist!.decisions).toEqual([{ entry_id: STOPPED_DOSE, choice: { choice: "accept" }, seen }]);
    expect(document.querySelector(`[data-entry-id="${STOPPED_DOSE}"]`), "no longer open: the filter hides it").toBeNull();
    expect([count("ready"), count("needs_person")]).toEqual([3, 1]);
    expect(document.activeElement, "on to the next entry that needs a person").toBe(entryRow(ADMISSION));
    await fireEvent.click(byId("worklist-only-open"));
    expect(entryRow(STOPPED_DOSE).textContent).toContain("Ready to file (decided by Sam Jones)");
  });

  it("rejects only with a reason", async () => {
    const backend = await openWorklist();
    await fireEvent.click(entryRow(STOPPED_DOSE).querySelector("button.decide-reject")!);
    expect(document.activeElement?.id).toBe("reject-reason");
    await fireEvent.click(byId("reject-save"));
    expect(byId("reject-problem").textContent).toContain("Enter why");
    expect(backend.worklist!.decisions, "nothing sent without a reason").toEqual([]);

    await type("reject-reason", "order stopped before the dose: not given");
    await fireEvent.click(byId("reject-save"));
    await waitFor(() => expect(count("rejected")).toBe(1));
    expect(backend.worklist!.decisions[0]!.choice).toEqual({ choice: "reject", reason: "order stopped before the dose: not given" });
    expect(backend.worklist!.decisions[0]!.seen).toHaveLength(1);
    await fireEvent.click(byId("worklist-only-open"));
    expect(entryRow(STOPPED_DOSE).dataset.outcome).toBe("rejected");
    expect(entryRow(STOPPED_DOSE).textContent).toContain("rejected by Sam Jones (order stopped before the dose: not given)");
  });

  it("Escape in the reason closes the reason, not the worklist", async () => {
    await openWorklist();
    await fireEvent.click(entryRow(STOPPED_DOSE).querySelector("button.decide-reject")!);
    await fireEvent.keyDown(byId("reject-reason"), { key: "Escape" });
    await waitFor(() => expect(document.getElementById("reject-reason")).toBeNull());
    expect(byId("worklist")).toBeTruthy();
    expect(document.activeElement?.classList.contains("decide-reject")).toBe(true);
  });

  it("matches a downtime admission to an EPR candidate, showing what agrees and differs", async () => {
    const backend = await openWorklist();
    const admission = entryRow(ADMISSION);
    expect(admission.closest<HTMLElement>(".worklist-patient")!.dataset.patientId).toBe(DT_PATIENT);
    const candidates = [...admission.querySelectorAll<HTMLElement>(".match-candidate")];
    expect(candidates.map((c) => c.dataset.eprPatientId)).toEqual(["epr-5001", "epr-5002"]);
    expect(candidates[0]!.textContent).toContain("score 160");
    expect(candidates[0]!.textContent).toContain("Agrees: NHS number, family name, date of birth.");
    expect(candidates[0]!.textContent).toContain("Differs: given name.");
    expect(admission.querySelector("button.decide-new-patient")?.textContent).toContain("Not in the EPR: file as a new patient");
    expect(admission.querySelector("button.decide-accept"), "an admission is matched, not accepted").toBeNull();

    await fireEvent.click(candidates[1]!.querySelector("button.decide-match")!);
    await waitFor(() => expect(count("needs_person")).toBe(1));
    const decision = backend.worklist!.decisions[0]!;
    expect(decision.choice).toEqual({ choice: "match_patient", epr_patient_id: "epr-5002" });
    expect(decision.seen?.[0]?.conflict).toBe("admission_needs_match");
  });

  it("files a downtime admission as a new patient", async () => {
    const backend = await openWorklist();
    await fireEvent.click(entryRow(ADMISSION).querySelector("button.decide-new-patient")!);
    await waitFor(() => expect(count("needs_person")).toBe(1));
    expect(backend.worklist!.decisions[0]!.choice).toEqual({ choice: "new_patient" });
  });
});

describe("editing an entry in its row", () => {
  /** Opens the editor of `entryId`'s row (all rows shown). */
  async function openEditor(entryId: string) {
    if (byId<HTMLInputElement>("worklist-only-open").checked && !document.querySelector(`[data-entry-id="${entryId}"]`)) {
      await fireEvent.click(byId("worklist-only-open"));
    }
    await fireEvent.click(entryRow(entryId).querySelector("button.decide-edit")!);
    return entryRow(entryId).querySelector<HTMLFormElement>("form.edit-form")!;
  }

  it("corrects a dose's time: the edit is what will be filed, and the row says what was recorded", async () => {
    const backend = await openWorklist();
    const editor = await openEditor(READY_DOSE);
    expect(editor.dataset.form).toBe("dose_given");
    expect(document.activeElement?.id, "the editor opens on its first field").toBe("edit-time");
    expect(byId<HTMLInputElement>("edit-time").value, "prefilled from the entry's form").toBe("2026-12-01 08:04");
    expect(byId<HTMLInputElement>("edit-dose").value).toBe("12.5/50 mg");
    expect(byId<HTMLInputElement>("edit-given-by").value).toBe("Sam Jones");

    await type("edit-time", "2026-12-01 07:58");
    await fireEvent.click(editor.querySelector("button.edit-save")!);
    await waitFor(() => expect(entryRow(READY_DOSE).querySelector(".was-text")).not.toBeNull());

    expect(backend.worklist!.edits, "the form goes back with only the time changed, and what the person saw").toEqual([
      {
        entry_id: READY_DOSE,
        form: {
          form: "dose_given",
          patient_id: "pat-1",
          order_id: "ord-1-1",
          time: "2026-12-01 07:58",
          dose: "12.5/50 mg",
          given_by: "Sam Jones",
          checked_by: null,
          due_at: "2026-12-01T08:00:00Z",
        },
        seen: [],
        confirmed_warnings: [],
      },
    ]);
    const row = entryRow(READY_DOSE);
    expect(row.querySelector("form.edit-form"), "the editor closes once the edit is kept").toBeNull();
    expect(row.querySelector(".text")?.textContent).toBe("Will be filed as edited: Co-careldopa 12.5/50 mg given 07:58 by Sam Jones");
    expect(row.querySelector(".was-text")?.textContent).toBe("Recorded as: Co-careldopa 12.5/50 mg given 08:04 by Sam Jones");
    expect(byId("worklist-saved").getAttribute("role"), "said to a screen reader").toBe("status");
    expect(byId("worklist-saved").textContent).toContain("will be filed as edited: Co-careldopa 12.5/50 mg given 07:58");
    expect(document.activeElement, "focus stays on the row edited").toBe(row);
  });

  it("keeps a conflict's row in view once its edit makes it ready, and sends back what the person saw", async () => {
    const backend = await openWorklist();
    const seen = structuredClone(backend.worklist!.rows.find((r) => r.entry.entry_id === STOPPED_DOSE)!.entry.seen);
    const editor = await openEditor(STOPPED_DOSE);
    await type("edit-dose", "250 mg");
    await fireEvent.click(editor.querySelector("button.edit-save")!);
    await waitFor(() => expect(count("needs_person")).toBe(1));
    expect(backend.worklist!.edits[0]!.seen).toEqual(seen);
    const row = entryRow(STOPPED_DOSE);
    expect(row.dataset.outcome, "shown under the filter although it no longer needs a person").toBe("ready");
    expect(row.textContent).toContain("Will be filed as edited: Amoxicillin 250 mg given 10:02 by Sam Jones");
    expect(row.textContent).toContain("Recorded as: Amoxicillin 500 mg given 10:02 by Sam Jones");
  });

  it("says in the row what the station refused, keeps what was typed and puts the cursor on the field", async () => {
    const backend = await openWorklist();
    const editor = await openEditor(READY_DOSE);
    await type("edit-time", "2026-12-01 15:30");
    await fireEvent.click(editor.querySelector("button.edit-save")!);
    const error = await waitFor(() => inRow(READY_DOSE, ".edit-error"));
    expect(error.textContent).toContain("2026-12-01 15:30 is in the future (14:05 now): enter the time it happened");
    expect(error.getAttribute("role")).toBe("alert");
    expect(byId<HTMLInputElement>("edit-time").value, "what was typed is kept").toBe("2026-12-01 15:30");
    expect(byId("edit-time").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement?.id, "the field the refusal is about").toBe("edit-time");
    expect(document.getElementById("worklist-error"), "the row's to say, not the worklist's").toBeNull();
    expect(backend.worklist!.edits, "nothing kept").toEqual([]);
    expect(entryRow(READY_DOSE).querySelector(".was-text")).toBeNull();

    await type("edit-time", "2026-12-01 08:10");
    await fireEvent.click(editor.querySelector("button.edit-save")!);
    await waitFor(() => expect(backend.worklist!.edits).toHaveLength(1));
    expect(entryRow(READY_DOSE).querySelector(".edit-error")).toBeNull();
  });

  it("shows a warning in the row, and keeps the edit only once the person confirms it", async () => {
    const backend = TestBackend.withSessions({ signedIn: true });
    const worklist = new TestWorklist();
    const warning = "the dose due 08:00 is already recorded as given: giving it again would be a second dose. Check the patient and the chart first";
    worklist.editWarning = { code: "already-given", message: warning };
    backend.startRecovery(worklist);
    await openWorklist(backend);
    const editor = await openEditor(READY_DOSE);
    await type("edit-time", "2026-12-01 07:50");
    await fireEvent.click(editor.querySelector("button.edit-save")!);
    const shown = await waitFor(() => inRow(READY_DOSE, ".edit-warning"));
    expect(shown.textContent).toContain(warning);
    expect(worklist.edits, "not kept before it is confirmed").toEqual([]);
    const confirm = shown.querySelector<HTMLButtonElement>("button.edit-confirm")!;
    expect(confirm.textContent).toBe("Confirm and save");
    expect(document.activeElement).toBe(confirm);

    await fireEvent.click(confirm);
    await waitFor(() => expect(worklist.edits).toHaveLength(1));
    expect(worklist.edits[0]!.confirmed_warnings, "sent back with the warning's code").toEqual(["already-given"]);
    expect(worklist.edits[0]!.form).toMatchObject({ time: "2026-12-01 07:50" });
    expect(backend.calls.filter((c) => c.startsWith("edit_entry"))).toHaveLength(2);
  });

  it("Cancel closes the editor without a call and leaves the entry as it was", async () => {
    const backend = await openWorklist();
    const editor = await openEditor(READY_DOSE);
    await type("edit-time", "2026-12-01 07:00");
    await fireEvent.click(editor.querySelector("button.edit-cancel")!);
    expect(entryRow(READY_DOSE).querySelector("form.edit-form")).toBeNull();
    expect(backend.calls.filter((c) => c.startsWith("edit_entry")), "no call").toEqual([]);
    expect(entryRow(READY_DOSE).querySelector(".text")?.textContent).toBe("To the EPR: Co-careldopa 12.5/50 mg given 08:04 by Sam Jones");
    await waitFor(() => expect(document.activeElement?.classList.contains("decide-edit")).toBe(true));

    await fireEvent.click(entryRow(READY_DOSE).querySelector("button.decide-edit")!);
    expect(byId<HTMLInputElement>("edit-time").value, "opened again: the entry's own form").toBe("2026-12-01 08:04");
  });

  it("Escape in the editor closes the editor, not the worklist", async () => {
    const backend = await openWorklist();
    await openEditor(READY_NOTE);
    expect(document.activeElement?.id).toBe("edit-note");
    expect(byId<HTMLTextAreaElement>("edit-note").value).toBe("settled, eating and drinking");
    await fireEvent.keyDown(byId("edit-note"), { key: "Escape" });
    await waitFor(() => expect(document.querySelector("form.edit-form")).toBeNull());
    expect(byId("worklist")).toBeTruthy();
    expect(backend.calls.filter((c) => c.startsWith("edit_entry"))).toEqual([]);
    expect(document.activeElement?.classList.contains("decide-edit")).toBe(true);
  });

  it("offers Edit only on rows with a form: not an admission, nor what is filed", async () => {
    await openWorklist();
    expect(entryRow(STOPPED_DOSE).querySelector("button.decide-edit")?.textContent?.trim()).toBe("Edit…");
    expect(entryRow(ADMISSION).querySelector("button.decide-edit"), "an admission is matched, not edited").toBeNull();
    await fireEvent.click(byId("worklist-file-ready"));
    await waitFor(() => byId("worklist-filing"));
    await fireEvent.click(byId("worklist-only-open"));
    expect(entryRow(READY_DOSE).dataset.outcome).toBe("filed");
    expect(entryRow(READY_DOSE).querySelector("button"), "what is filed is not edited").toBeNull();
  });
});

describe("filing what is ready", () => {
  it("files the ready entries in one go, and says what was filed", async () => {
    const backend = await openWorklist();
    await fireEvent.click(byId("worklist-file-ready"));
    await waitFor(() => byId("worklist-filing"));
    expect(backend.calls).toContain("file_ready_entries");
    expect(byId("worklist-filing").textContent).toContain("Filed 2 entries to the EPR");
    expect(byId("worklist-filing").dataset.stopped).toBe("false");
    expect([count("ready"), count("needs_person"), count("filed")]).toEqual([0, 2, 2]);
    expect(byId<HTMLButtonElement>("worklist-file-ready").disabled, "nothing ready: nothing to file").toBe(true);
    expect(byId("worklist-file-ready").textContent?.trim()).toBe("File 0 ready entries to the EPR");
    await fireEvent.click(byId("worklist-only-open"));
    expect(entryRow(READY_DOSE).dataset.outcome).toBe("filed");
    expect(entryRow(READY_NOTE).dataset.outcome).toBe("filed");
    expect(entryRow(STOPPED_DOSE).dataset.outcome, "a conflict is never filed in bulk").toBe("needs_person");
  });

  it("says loudly when filing stopped, and that filing again carries on", async () => {
    const backend = TestBackend.withSessions({ signedIn: true });
    const worklist = new TestWorklist();
    worklist.stopAfter = 1;
    backend.startRecovery(worklist);
    await openWorklist(backend);
    await fireEvent.click(byId("worklist-file-ready"));
    await waitFor(() => byId("worklist-filing"));
    const filing = byId("worklist-filing");
    expect(filing.dataset.stopped).toBe("true");
    expect(filing.textContent).toContain("Filed 1 entry");
    expect(filing.textContent).toContain("the EPR stopped answering after 1 of 2 entries");
    expect(filing.textContent).toContain("Filing again carries on");
    expect(byId("worklist-file-ready").textContent?.trim()).toBe("File 1 ready entry to the EPR");
  });

  it("says when the EPR cannot be reached, and tries again", async () => {
    const backend = await openWorklist();
    backend.worklistError = eprUnavailable();
    await fireEvent.click(byId("worklist-file-ready"));
    const error = await waitFor(() => byId("worklist-error"));
    expect(error.dataset.code).toBe("epr_unavailable");
    expect(error.textContent).toContain("The EPR could not be reached: try again");
    expect(count("ready"), "nothing filed").toBe(2);

    expect(byId("worklist-error-kept").textContent, "filing may have begun").toContain("nothing is filed twice");

    backend.worklistError = null;
    await fireEvent.click(byId("worklist-retry"));
    await waitFor(() => expect(document.getElementById("worklist-error")).toBeNull());
  });

  it("says a decision may be kept when the EPR could not be read after it", async () => {
    const backend = await openWorklist();
    backend.worklistError = eprUnavailable();
    await fireEvent.click(entryRow(STOPPED_DOSE).querySelector("button.decide-accept")!);
    const error = await waitFor(() => byId("worklist-error"));
    expect(error.dataset.code).toBe("epr_unavailable");
    expect(byId("worklist-error-kept").textContent).toContain("Your decision may already be kept");
    backend.worklistError = null;
    await fireEvent.click(byId("worklist-retry"));
    await waitFor(() => expect(count("needs_person")).toBe(1));
  });

  it("says the station's refusal when the person may not file", async () => {
    const backend = TestBackend.withSessions();
    backend.desk!.signIn("Alex Morgan", "1357");
    backend.update({ session: backend.desk!.view() });
    await openWorklist(backend);
    await fireEvent.click(byId("worklist-file-ready"));
    const error = await waitFor(() => byId("worklist-error"));
    expect(error.dataset.code).toBe("not_permitted");
    expect(error.textContent).toContain("ask a nurse");
  });

  it("asks for sign-in again when the session locked, then carries on", async () => {
    const backend = await openWorklist();
    backend.lockSession();
    await fireEvent.click(byId("worklist-file-ready"));
    await waitFor(() => byId("sign-in"));
    expect(byId("worklist").closest("[hidden]"), "the worklist waits under the sign-in").not.toBeNull();
    await signIn();
    await waitFor(() => byId("worklist-filing"));
    expect(count("filed")).toBe(2);
  });
});

describe("returning to normal", () => {
  it("is refused while entries are left, with the station's words; offered once everything is filed or decided", async () => {
    const backend = await openWorklist();
    expect(byId("worklist-left").textContent).toContain("4 left");
    expect(document.getElementById("worklist-done")).toBeNull();

    // Tried early from the banner: the station refuses, and the form says why.
    await fireEvent.click(byId("mode-action-return_to_normal"));
    await type("mode-by", "Sam Jones");
    await fireEvent.click(byId("mode-submit"));
    await waitFor(() => expect(byId("mode-error").textContent).toContain("4 downtime entries are not yet filed"));
    expect(backend.status.mode.mode).toBe("recovery");
    await fireEvent.click(byId("mode-cancel"));

    await fireEvent.click(entryRow(STOPPED_DOSE).querySelector("button.decide-accept")!);
    await waitFor(() => expect(count("needs_person")).toBe(1));
    await fireEvent.click(entryRow(ADMISSION).querySelector("button.decide-new-patient")!);
    await waitFor(() => expect(count("needs_person")).toBe(0));
    expect(byId("worklist-empty").textContent).toContain("No entry needs a person now");
    await fireEvent.click(byId("worklist-file-ready"));
    await waitFor(() => byId("worklist-done"));
    expect(byId("worklist-done").textContent).toContain("Everything is filed or decided: this PC can return to normal");
    expect(byId("mode-action-return_to_normal"), "the banner offers it").toBeTruthy();

    await fireEvent.click(byId("worklist-return-to-normal"));
    await type("mode-by", "Sam Jones");
    await fireEvent.click(byId("mode-submit"));
    await waitFor(() => expect(backend.status.mode.mode).toBe("normal"));
    await waitFor(() => byId("ward-board"));
    expect(document.getElementById("worklist"), "the worklist is recovery's").toBeNull();
    expect(document.getElementById("open-worklist")).toBeNull();
  });
});
