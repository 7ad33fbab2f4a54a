// The window follows the station: the status is checked every few seconds (here every 20 ms), and a
// new revision reloads the screen in place, keeping the nurse's ward, row and patient.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { BoardRow } from "./generated/api";
import { BackendError } from "./shared/backend";
import { TestBackend } from "./shared/test-backend";

const POLL_MS = 20;

async function showBoard(backend = new TestBackend()) {
  render(App, { backend, statusEveryMs: POLL_MS });
  await screen.findByText("SMITH, Mary Jane");
  return backend;
}

async function openPatient(backend: TestBackend, bedId: string, name: string) {
  await fireEvent.click(row(bedId));
  await screen.findByRole("heading", { level: 1, name });
  return backend;
}

function row(bedId: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-bed-id="${bedId}"]`);
  if (!found) throw new Error(`no row for ${bedId}`);
  return found;
}

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found;
}

const boardLoads = (backend: TestBackend) => backend.calls.filter((c) => c === "ward_board ward-7").length;

describe("the window follows the station", () => {
  it("shows a change of status at the next check, without a restart", async () => {
    const backend = await showBoard();
    expect(byId("epr-state").dataset.state).toBe("not_monitored");
    backend.proposeDowntime();
    const proposal = await waitFor(() => byId("mode-proposal"));
    expect(proposal.textContent).toContain("The EPR has not answered since 14:02");
    expect(byId("epr-state").dataset.state).toBe("not_answering");
  });

  it("checks the status at the interval it is given", async () => {
    const backend = await showBoard();
    await waitFor(() => expect(backend.calls.filter((c) => c === "data_status").length).toBeGreaterThanOrEqual(3));
  });

  it("reloads the board on a new revision, keeps the focused row even when the beds move, and says it updated", async () => {
    const backend = await showBoard();
    row("bed-a2").focus();
    expect(boardLoads(backend)).toBe(1);

    backend.newGeneration(43, (data) => {
      const board = data.boards["ward-7"]!;
      const a2 = board.rows.find((r) => r.bed_id === "bed-a2")!;
      a2.patient!.name = "JONES, Peter Alan";
      // The ward's beds come in another order: the focused row's element is moved, which loses focus.
      board.rows = [...board.rows.filter((r: BoardRow) => r !== a2), a2];
    });

    await screen.findByText("JONES, Peter Alan");
    expect(boardLoads(backend), "one reload for one new revision").toBe(2);
    expect(document.activeElement?.getAttribute("data-bed-id"), "the nurse stays on the same row").toBe("bed-a2");
    expect(document.getElementById("ward-board"), "still on the board").not.toBeNull();
    expect(byId("data-updated").textContent).toContain("Updated at 14:05 to generation 43");
    expect(byId("data-age-banner").textContent).toContain("Snapshot generation 43");
  });

  it("does not reload while the revision stays the same", async () => {
    const backend = await showBoard();
    const checks = () => backend.calls.filter((c) => c === "data_status").length;
    await waitFor(() => expect(checks()).toBeGreaterThanOrEqual(3));
    expect(boardLoads(backend), "an unchanged revision needs no reload").toBe(1);
  });

  it("reloads the board without taking focus from a person typing in the mode form", async () => {
    const backend = await showBoard();
    await fireEvent.click(byId("mode-action-declare_downtime"));
    const name = byId("mode-by") as HTMLInputElement;
    await fireEvent.input(name, { target: { value: "Sam" } });

    backend.newGeneration(43, (data) => {
      data.boards["ward-7"]!.rows.find((r) => r.bed_id === "bed-a1")!.patient!.name = "SMITH, Mary Ann";
    });
    await screen.findByText("SMITH, Mary Ann");

    expect(document.activeElement, "a reload must not move the cursor").toBe(name);
    expect((byId("mode-by") as HTMLInputElement).value, "nor lose what was typed").toBe("Sam");
  });

  it("reloads the patient on a new revision, staying on the same patient", async () => {
    const backend = await showBoard();
    await openPatient(backend, "bed-a1", "SMITH, Mary Jane");
    byId("back-to-board").focus();
    backend.newGeneration(43, (data) => {
      data.patients["pat-1"]!.allergies.push({
        substance: "Codeine",
        reactions: ["Nausea"],
        criticality: "low",
        verification_text: "Confirmed",
      });
    });
    await screen.findByText("Codeine");
    expect(backend.calls.filter((c) => c === "patient_view pat-1").length).toBe(2);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("SMITH, Mary Jane");
    expect(document.activeElement?.id, "a reload leaves focus (and so the scroll) where the nurse had it").toBe("back-to-board");
  });

  it("says on the patient's screen, and never jumps away, when the newest data no longer holds the patient", async () => {
    const backend = await showBoard();
    await openPatient(backend, "bed-a2", "JONES, Peter");
    backend.newGeneration(43, (data) => {
      delete data.patients["pat-2"];
    });

    const gone = await waitFor(() => byId("patient-gone"));
    expect(gone.textContent).toContain(
      "This patient is not in the newest data (generation 43): they may have been discharged or moved.",
    );
    expect(gone.textContent, "which patient, so the nurse knows who to look for").toContain("JONES, Peter");
    expect(gone.textContent).toContain("NHS 401 023 2137 · Ward 7 (Elderly care) · Bay A · Bed A2 (as last shown)");
    expect(gone.getAttribute("role")).toBe("alert");
    expect(document.getElementById("ward-board"), "no silent jump back to the board").toBeNull();
    expect(document.querySelector('[data-testid="medicine"]'), "the old record is not shown as if current").toBeNull();
    expect(document.activeElement?.id, "the way back has focus").toBe("patient-gone-back");

    await fireEvent.click(screen.getByRole("button", { name: "Back to the board" }));
    await waitFor(() => expect(document.getElementById("ward-board")).not.toBeNull());
  });

  it("shows the patient again if a later generation holds them again", async () => {
    const backend = await showBoard();
    await openPatient(backend, "bed-a2", "JONES, Peter");
    const saved = structuredClone(backend.data.patients["pat-2"]!);
    backend.newGeneration(43, (data) => delete data.patients["pat-2"]);
    await waitFor(() => byId("patient-gone"));
    backend.newGeneration(44, (data) => (data.patients["pat-2"] = saved));
    await waitFor(() => expect(document.getElementById("patient-gone")).toBeNull());
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("JONES, Peter");
  });

  it("says when it cannot check the status, and stops saying so once it can", async () => {
    const backend = await showBoard();
    backend.statusError = new BackendError({ code: "internal", message: "the station did not answer" });
    const problem = await waitFor(() => byId("status-problem"));
    expect(problem.textContent).toContain("could not check for newer data");
    expect(problem.textContent).toContain("the station did not answer");
    backend.statusError = null;
    await waitFor(() => expect(document.getElementById("status-problem")).toBeNull());
  });
});
