// A downtime admission: the station checks the NHS number (Modulus 11) and says what is wrong; once
// saved, the window is told the new patient's downtime id to open them.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { TestBackend } from "../shared/test-backend";
import AdmissionForm from "./AdmissionForm.svelte";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

async function type(id: string, value: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value } });
}

describe("the admission form", () => {
  it("says a bad NHS number is not valid, admits with a good one (or none), and hands on the new id", async () => {
    const backend = TestBackend.withSessions({ signedIn: true });
    const onadmitted = vi.fn();
    render(AdmissionForm, { backend, wardId: "ward-7", onadmitted, oncancel: vi.fn(), onsignin: vi.fn() });
    await waitFor(() => expect(byId<HTMLSelectElement>("admit-bed").options.length).toBe(2));
    await type("admit-family", "Brown");
    await type("admit-given", "Ada");
    await type("admit-dob", "01/02/1950");
    await fireEvent.change(byId("admit-sex"), { target: { value: "female" } });
    await type("admit-nhs", "943 476 5910");
    await fireEvent.click(byId("admit-save"));
    const error = await waitFor(() => byId("entry-error"));
    expect(error.dataset.code).toBe("invalid_entry");
    expect(error.textContent).toContain("the NHS number entered is not valid");
    expect(onadmitted).not.toHaveBeenCalled();

    await type("admit-nhs", "");
    await fireEvent.change(byId("admit-bed"), { target: { value: "bed-a3" } });
    await fireEvent.click(byId("admit-save"));
    await waitFor(() => expect(onadmitted).toHaveBeenCalledTimes(1));
    const saved = onadmitted.mock.calls[0]![0];
    expect(saved.outcome.patient_id).toBe("DT-PC1-0001");
    expect(saved.ms).toBeGreaterThanOrEqual(0);
    expect(backend.records[1]!.entry).toMatchObject({ form: "admission", ward_id: "ward-7", bed_id: "bed-a3", nhs_number: null });
  });
});
