// The downtime forms on a patient's screen, against the test station (Sam Jones signed in): the
// drug chart's grid and dose dialog, a warning to confirm, the second checker, the wristband check
// that blocks saving, and the live NEWS2 of the observation form.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import PatientView from "../patient/PatientView.svelte";
import { TestBackend } from "../shared/test-backend";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

async function open(form: string, backend = TestBackend.withSessions({ signedIn: true }), patientId = "pat-1") {
  render(PatientView, { backend, patientId, me: "Sam Jones", onback: () => {}, onstatus: () => {} });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(byId(form));
  return backend;
}

async function openChart(backend?: TestBackend) {
  const b = await open("open-drug-chart", backend);
  await waitFor(() => expect(document.querySelectorAll(".chart-row").length).toBe(3));
  return b;
}

function cell(orderId: string, dueText: string): HTMLButtonElement {
  const found = document.querySelector<HTMLButtonElement>(
    `.chart-row[data-order-id="${orderId}"] button.dose-cell[data-due-at="2026-12-01T${dueText}:00Z"]`,
  );
  if (!found) throw new Error(`no cell ${orderId} ${dueText}`);
  return found;
}

async function type(id: string, value: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value } });
}

describe("the drug chart form", () => {
  it("lays out the paper chart: rows by order, boxes by due dose, time-critical and OVERDUE said in words", async () => {
    await openChart();
    const row = document.querySelector<HTMLElement>('.chart-row[data-order-id="ord-cocareldopa"]')!;
    expect(row.dataset.kind).toBe("regular");
    expect(row.dataset.timeCritical).toBe("true");
    expect(row.textContent).toContain("OVERDUE");
    expect(cell("ord-cocareldopa", "06:00").dataset.state).toBe("given");
    expect(cell("ord-cocareldopa", "06:00").textContent).toContain("JO");
    expect(cell("ord-cocareldopa", "10:00").textContent).toContain("OVERDUE");
    expect(cell("ord-cocareldopa", "14:00").dataset.state).toBe("due_now");
    expect(document.querySelector('.chart-row[data-order-id="ord-morphine"]')!.getAttribute("data-kind")).toBe("once_only");
    expect(byId("form-allergies").textContent, "the allergies stay in view on the form").toContain("Penicillin");
  });

  it("records a dose given from its box, and the grid shows it given with the person's initials", async () => {
    const backend = await openChart();
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    expect(byId<HTMLInputElement>("dose-time").value).toMatch(/^\d{2}:\d{2}$/);
    expect(byId<HTMLInputElement>("dose-amount").value).toBe("1 tablet");
    expect(byId<HTMLInputElement>("dose-given-by").value).toBe("Sam Jones");
    expect(document.getElementById("dose-checked-by"), "no second checker for this medicine").toBeNull();
    await type("dose-time", "14:02");
    await fireEvent.click(byId("dose-given"));
    const saved = await waitFor(() => byId("entry-saved"));
    expect(saved.textContent).toContain("Co-careldopa 25 mg/100 mg tablets 1 tablet given at 14:02 by Sam Jones");
    expect(saved.textContent).toContain("memory only");
    expect(saved.dataset.entryId).toBe("entry-1");
    expect(Number(saved.dataset.savedMs)).toBeGreaterThanOrEqual(0);
    expect(cell("ord-cocareldopa", "14:00").dataset.state).toBe("given");
    expect(cell("ord-cocareldopa", "14:00").textContent).toContain("SJ");
    expect(document.getElementById("dose-dialog"), "the dialog closed").toBeNull();
    expect(backend.records[0]!.entry).toMatchObject({ form: "dose_given", order_id: "ord-cocareldopa", time: "14:02" });
  });

  it("needs an omission code for a dose not given, and a note for the codes that need one", async () => {
    const backend = await openChart();
    await fireEvent.click(cell("ord-cocareldopa", "10:00"));
    await fireEvent.click(byId("dose-not-given"));
    await fireEvent.click(byId("omission-save"));
    expect(byId("omission-problem").textContent).toContain("Choose the omission code");
    const options = Array.from(byId<HTMLSelectElement>("omission-code").options).map((o) => o.textContent);
    expect(options).toContain("5 — Withheld on clinical grounds (note why)");
    await fireEvent.change(byId("omission-code"), { target: { value: "5" } });
    await fireEvent.click(byId("omission-save"));
    expect(byId("omission-problem").textContent).toContain("needs a note");
    expect(backend.records).toHaveLength(0);
    await type("omission-note", "BP 82/50, doctor informed");
    await fireEvent.click(byId("omission-save"));
    await waitFor(() => byId("entry-saved"));
    expect(cell("ord-cocareldopa", "10:00").dataset.state).toBe("not_given");
    expect(cell("ord-cocareldopa", "10:00").textContent).toContain("5");
    expect(backend.records[0]!.entry).toMatchObject({ form: "dose_not_given", code: 5, due_at: "2026-12-01T10:00:00Z" });
  });

  it("shows a when-required warning before the dose, and records it only once the person goes past it", async () => {
    const backend = await openChart();
    await fireEvent.click(document.querySelector('.prn-give[data-order-id="ord-paracetamol"]')!);
    expect(byId("dose-dialog").textContent).toContain("the minimum interval is 4 h");
    expect(document.getElementById("dose-not-given"), "no due time to omit").toBeNull();
    await type("dose-time", "14:00");
    await fireEvent.click(byId("dose-given"));
    const warning = await waitFor(() => byId("confirm-warning"));
    expect(warning.textContent).toContain("the next is due from 16:15");
    expect(document.getElementById("entry-saved")).toBeNull();
    await fireEvent.click(byId("confirm-warning-go"));
    await waitFor(() => byId("entry-saved"));
    expect(backend.records.map((r) => r.confirmed_warnings)).toEqual([[], ["prn-interval"]]);
  });

  it("cancelling a warning records nothing", async () => {
    const backend = await openChart();
    await fireEvent.click(document.querySelector(".prn-give")!);
    await type("dose-time", "14:00");
    await fireEvent.click(byId("dose-given"));
    await fireEvent.click(await waitFor(() => byId("confirm-warning-cancel")));
    expect(document.getElementById("confirm-warning")).toBeNull();
    expect(document.getElementById("entry-saved")).toBeNull();
    expect(backend.records).toHaveLength(1);
  });

  it("asks for the second checker, with why, and the station refuses the dose without one", async () => {
    const backend = await openChart();
    await fireEvent.click(cell("ord-morphine", "14:00"));
    const checker = byId<HTMLInputElement>("dose-checked-by");
    expect(checker.closest("label")!.textContent).toContain("controlled drug (Schedule 2)");
    await type("dose-time", "14:03");
    await fireEvent.click(byId("dose-given"));
    const error = await waitFor(() => byId("entry-error"));
    expect(error.dataset.code).toBe("invalid_entry");
    expect(error.textContent).toContain("needs a second checker");
    await type("dose-checked-by", "Jo Bloggs");
    await fireEvent.click(byId("dose-given"));
    await waitFor(() => byId("entry-saved"));
    expect(backend.records[1]!.entry).toMatchObject({ form: "dose_given", checked_by: "Jo Bloggs" });
    expect(cell("ord-morphine", "14:00").dataset.state).toBe("given");
  });

  it("closes the dose dialog, then the form, with Escape", async () => {
    await openChart();
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    await fireEvent.keyDown(byId("dose-time"), { key: "Escape" });
    expect(document.getElementById("dose-dialog")).toBeNull();
    expect(document.getElementById("drug-chart-form")).not.toBeNull();
    await fireEvent.keyDown(cell("ord-cocareldopa", "14:00"), { key: "Escape" });
    expect(document.getElementById("drug-chart-form")).toBeNull();
    expect(document.getElementById("medicines"), "back on the patient").not.toBeNull();
  });
});

describe("the wristband check", () => {
  async function scan(digits: string) {
    await type("scan-wristband", digits);
    await fireEvent.keyDown(byId("scan-wristband"), { key: "Enter" });
    return waitFor(() => {
      const result = byId("scan-result");
      expect(result.dataset.state).toBeTruthy();
      return result;
    });
  }

  it("catches a scanner's burst typed while no text field has the focus", async () => {
    await openChart();
    const press = (key: string) => fireEvent.keyDown(document.body, { key });
    for (const key of "4010232137") await press(key); // a scanner: all at once, then Enter
    await press("Enter");
    await waitFor(() => expect(byId("scan-result").dataset.state).toBe("mismatch"));
  });

  it("blocks saving after another patient's wristband, until this patient's is scanned; the scan goes with the entry", async () => {
    const backend = await openChart();
    const result = await scan("4010232137"); // JONES, Peter's NHS number
    expect(result.dataset.state).toBe("mismatch");
    expect(result.textContent).toContain("STOP");
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    await type("dose-time", "14:02");
    await fireEvent.click(byId("dose-given"));
    const error = await waitFor(() => byId("entry-error"));
    expect(error.dataset.code).toBe("wrong_patient");
    expect(backend.records, "nothing was sent").toHaveLength(0);

    await fireEvent.keyDown(byId("dose-time"), { key: "Escape" });
    await waitFor(async () => expect((await scan("943 476 5919")).dataset.state).toBe("confirmed"));
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    await type("dose-time", "14:02");
    await fireEvent.click(byId("dose-given"));
    await waitFor(() => byId("entry-saved"));
    expect(backend.records[0]!.scanned).toBe("943 476 5919");
  });
});

describe("the observations form", () => {
  it("scores the set live as it is typed, with the band in words and what would be refused", async () => {
    const backend = await open("open-observations");
    await type("obs-rr", "25");
    await waitFor(() => expect(byId("news2-total").textContent).toBe("3"));
    expect(byId("news2-band").dataset.risk).toBe("low_medium");
    expect(byId("news2-band").textContent).toContain("Low–medium");
    expect(byId("news2-response").textContent).toContain("urgent ward-based review");
    expect(document.querySelector('[data-parameter="respiration_rate"]')!.textContent).toContain("3");
    await type("obs-pulse", "135");
    await waitFor(() => expect(byId("news2-total").textContent).toBe("6"));
    expect(byId("news2-band").dataset.risk).toBe("medium");
    await type("obs-temp", "98.6");
    await waitFor(() => expect(byId("obs-problems").textContent).toContain("Fahrenheit"));
    await fireEvent.click(byId("obs-save"));
    await waitFor(() => expect(byId("entry-error").dataset.code).toBe("invalid_entry"));
    await type("obs-temp", "37.1");
    await waitFor(() => expect(byId("obs-problems").textContent).toBe(""));
    await fireEvent.click(byId("obs-save"));
    const saved = await waitFor(() => byId("entry-saved"));
    expect(saved.textContent).toContain("NEWS2 6 so far");
    expect(backend.drafts.length).toBeGreaterThanOrEqual(4);
  });
});

describe("the other forms", () => {
  it("needs the phoned result read back before it is saved", async () => {
    await open("open-phoned-result");
    await type("result-test", "Potassium");
    await type("result-value", "6.1 mmol/L");
    await type("result-caller", "Lab, ext 4410");
    await fireEvent.click(byId("result-save"));
    await waitFor(() => expect(byId("entry-error").textContent).toContain("read back"));
    await fireEvent.click(byId("result-read-back"));
    await fireEvent.click(byId("result-save"));
    await waitFor(() => expect(byId("entry-saved").textContent).toContain("Potassium result phoned through"));
  });

  it("saves a note and lists it with the patient's downtime entries", async () => {
    await open("open-note");
    await type("note-text", "Patient comfortable, family visited");
    await fireEvent.click(byId("note-save"));
    await waitFor(() => byId("entry-saved"));
    await fireEvent.keyDown(byId("note-text"), { key: "Escape" });
    // The patient view follows the station's new revision when its parent passes it; here, reopen.
  });

  it("offers only free beds for a transfer", async () => {
    const backend = await open("open-transfer", TestBackend.withSessions({ signedIn: true }), "pat-2");
    await waitFor(() => expect(byId<HTMLSelectElement>("transfer-bed").options.length).toBe(2));
    expect(Array.from(byId<HTMLSelectElement>("transfer-bed").options).map((o) => o.value)).toEqual(["", "bed-a3"]);
    await fireEvent.change(byId("transfer-bed"), { target: { value: "bed-a3" } });
    await fireEvent.click(byId("transfer-save"));
    await waitFor(() => byId("entry-saved"));
    expect(backend.records[0]!.entry).toMatchObject({ form: "transfer", ward_id: "ward-7", bed_id: "bed-a3" });
  });
});

describe("the station's own wristband check", () => {
  it("turns a refusal as another patient's into the STOP panel", async () => {
    const backend = await openChart();
    // The scan was confirmed, then the station finds it is another patient's (say, a bed swap).
    await type("scan-wristband", "943 476 5919");
    await fireEvent.keyDown(byId("scan-wristband"), { key: "Enter" });
    await waitFor(() => expect(byId("scan-result").dataset.state).toBe("confirmed"));
    backend.data.patients["pat-1"]!.identity.nhs_number = "999 999 9999";
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    await type("dose-time", "14:02");
    await fireEvent.click(byId("dose-given"));
    await waitFor(() => expect(byId("scan-result").dataset.state).toBe("mismatch"));
    expect(byId("entry-error").dataset.code).toBe("wrong_patient");
  });
});

describe("a bed manager on the drug chart", () => {
  it("sees the chart but is not offered the dose dialog", async () => {
    const backend = TestBackend.withSessions();
    backend.desk!.signIn("Alex Morgan", "1357");
    render(PatientView, {
      backend,
      patientId: "pat-1",
      may: ["view-board", "open-record", "record-bed-move", "change-mode"],
      onback: () => {},
      onstatus: () => {},
    });
    await screen.findByRole("heading", { level: 1 });
    await fireEvent.click(byId("open-drug-chart"));
    await waitFor(() => expect(document.querySelectorAll(".chart-row").length).toBe(3));
    await fireEvent.click(cell("ord-cocareldopa", "14:00"));
    expect(document.getElementById("dose-dialog")).toBeNull();
    expect(byId("drug-chart-form").textContent).toContain("not record doses");
  });
});
