import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { TestBackend } from "../shared/test-backend";
import PatientView from "./PatientView.svelte";

async function show(patientId: string, onback = vi.fn()) {
  render(PatientView, { backend: new TestBackend(), patientId, onback, onstatus: vi.fn() });
  await screen.findByRole("heading", { level: 1 });
  return { main: document.getElementById("patient-view")!, onback };
}

describe("the patient view", () => {
  it("puts allergies first, before alerts, medicines, downtime entries, tests and observations", async () => {
    const { main } = await show("pat-1");
    const sections = Array.from(main.querySelectorAll("section")).map((s) => s.id);
    expect(sections, "what could hurt the patient comes first").toEqual([
      "allergies",
      "alerts",
      "medicines",
      "downtime-entries-section",
      "pending-tests",
      "observations",
    ]);
    const allergies = Array.from(document.querySelectorAll('#allergies [data-testid="allergy"]'));
    expect(allergies.map((a) => a.querySelector(".substance")?.textContent)).toEqual(["Penicillin", "Latex"]);
    expect(allergies[0]!.textContent).toContain("Anaphylaxis");
  });

  it("shows identity: name, NHS number, date of birth, age, sex, hospital number, location", async () => {
    const { main } = await show("pat-1");
    const identity = main.querySelector('[data-testid="identity"]')!.textContent!;
    for (const text of ["SMITH, Mary Jane", "943 476 5919", "15/03/1942", "84 y", "Female", "RXH1234567", "Bed A1"]) {
      expect(identity).toContain(text);
    }
  });

  it("says 'No known allergies' only when that was recorded", async () => {
    await show("pat-2");
    const section = document.getElementById("allergies")!;
    expect(section.textContent).toContain("No known allergies");
    expect(section.querySelectorAll('[data-testid="allergy"]').length).toBe(0);
  });

  it("says allergies were not recorded, and never that there are none, when nothing is recorded", async () => {
    await show("pat-3");
    const section = document.getElementById("allergies")!;
    expect(section.textContent).toContain("Allergies not recorded");
    expect(section.textContent).not.toContain("No known allergies");
    expect(section.classList.contains("allergy-not-recorded")).toBe(true);
  });

  it("marks time-critical and overdue medicines, with the last administration", async () => {
    await show("pat-1");
    const medicine = document.querySelector('[data-testid="medicine"]')!;
    expect(medicine.textContent).toContain("time-critical");
    expect(medicine.textContent).toContain("OVERDUE");
    expect(medicine.textContent).toContain("Given 23:04 Tue 03/11/2026 by RN J Okafor");
  });

  it("shows the latest observations with their NEWS2", async () => {
    await show("pat-1");
    const obs = document.querySelector('[data-testid="observation"]')!;
    expect(obs.querySelector(".news2-risk-high")?.textContent).toContain("7");
    expect(obs.textContent).toContain("98/60");
  });

  it("goes back with Escape or the Back button", async () => {
    const { onback } = await show("pat-2");
    await fireEvent.keyDown(window, { key: "Escape" });
    await fireEvent.click(screen.getByRole("button", { name: /Back to the board/ }));
    expect(onback).toHaveBeenCalledTimes(2);
  });

  it("shows the station's error for a patient who is no longer in the data", async () => {
    render(PatientView, { backend: new TestBackend(), patientId: "gone", onback: vi.fn(), onstatus: vi.fn() });
    const panel = await screen.findByRole("alert");
    expect(panel.textContent).toContain('no patient with id "gone"');
    expect(panel.textContent).toContain("refresh the board");
  });
});
