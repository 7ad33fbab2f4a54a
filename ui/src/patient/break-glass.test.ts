import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { TestBackend } from "../shared/test-backend";
import PatientView from "./PatientView.svelte";

describe("break-glass: a record outside the person's wards", () => {
  it("asks why before showing anything of the patient, and opens with the reason given", async () => {
    const backend = new TestBackend();
    backend.outsideWards.add("pat-1");
    const onback = vi.fn();
    render(PatientView, { backend, patientId: "pat-1", onback, onstatus: vi.fn() });

    const form = await screen.findByRole("form", { name: "This record is outside your wards" });
    expect(form.id).toBe("break-glass-form");
    expect(document.getElementById("break-glass-message")!.textContent).toContain("break-glass access");
    expect(document.body.textContent, "nothing of the record before the reason").not.toContain("Penicillin");
    const submit = document.getElementById("break-glass-submit") as HTMLButtonElement;
    expect(submit.disabled, "no empty reason").toBe(true);

    // Too short: the station's words, and what was typed stays to be added to.
    const field = document.getElementById("break-glass-reason") as HTMLTextAreaElement;
    await fireEvent.input(field, { target: { value: "moved" } });
    await fireEvent.click(submit);
    await vi.waitFor(() =>
      expect(document.getElementById("break-glass-message")!.textContent).toContain("too short"),
    );
    expect((document.getElementById("break-glass-reason") as HTMLTextAreaElement).value).toBe("moved");

    await fireEvent.input(field, { target: { value: "moved from my ward at 13:30, checking allergies" } });
    await fireEvent.click(submit);
    await screen.findByRole("heading", { level: 1 });
    expect(document.getElementById("allergies")!.textContent).toContain("Penicillin");
    expect(backend.calls).toContain("patient_view pat-1 reason moved from my ward at 13:30, checking allergies");
  });

  it("goes back to the board without opening the record", async () => {
    const backend = new TestBackend();
    backend.outsideWards.add("pat-1");
    const onback = vi.fn();
    render(PatientView, { backend, patientId: "pat-1", onback, onstatus: vi.fn() });
    await screen.findByRole("form", { name: "This record is outside your wards" });
    await fireEvent.click(document.getElementById("break-glass-back")!);
    expect(onback).toHaveBeenCalled();
    expect(backend.calls.filter((c) => c.includes("reason"))).toEqual([]);
  });
});
