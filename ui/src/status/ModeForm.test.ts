import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../App.svelte";
import { BackendError } from "../shared/backend";
import { TestBackend, modeView } from "../shared/test-backend";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

async function showApp(backend: TestBackend) {
  render(App, { backend });
  await screen.findByText("SMITH, Mary Jane");
  return backend;
}

async function type(id: string, text: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value: text } });
}

async function pressEnterIn(id: string) {
  await fireEvent.keyDown(byId(id), { key: "Enter" });
}

describe("a person confirms the downtime the station proposes", () => {
  it("asks for their name with the reason filled in, and only their submitting changes the mode", async () => {
    const backend = new TestBackend();
    backend.proposeDowntime();
    await showApp(backend);

    await fireEvent.click(byId("mode-action-declare_downtime"));
    expect(backend.modeRequests, "choosing an action only opens the form").toEqual([]);
    const form = byId("mode-form");
    expect(form.textContent).toContain("Confirm downtime");
    expect(form.textContent).toContain("Recorded with your name and the reason, and shown on every screen of this PC.");
    expect(document.activeElement?.id, "the form's first field has focus, for the keyboard").toBe("mode-by");
    expect(byId<HTMLInputElement>("mode-reason").value, "a confirmed proposal's reason is given").toBe("EPR not answering");
    expect(byId("mode-banner").dataset.mode).toBe("normal");

    await type("mode-by", "  Sam Jones ");
    await pressEnterIn("mode-by");

    await waitFor(() => expect(byId("mode-banner").dataset.mode).toBe("downtime"));
    expect(backend.modeRequests, "the name and the reason reach the station").toEqual([
      { action: "declare_downtime", by: "Sam Jones", reason: "EPR not answering" },
    ]);
    expect(byId("mode-headline").textContent).toContain("DOWNTIME");
    expect(byId("mode-detail").textContent).toBe("Confirmed by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering");
    expect(document.getElementById("mode-form"), "the form closes once the station accepted").toBeNull();
    expect(document.getElementById("mode-proposal"), "the proposal is answered").toBeNull();
    expect(document.activeElement?.id, "focus goes to the new mode's headline").toBe("mode-headline");
  });

  it("declares downtime with the reason the person gives, with the submit button", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(byId("mode-action-declare_downtime"));
    expect(byId<HTMLInputElement>("mode-reason").value, "no reason is assumed without a proposal").toBe("");
    await type("mode-by", "Ana Silva");
    await type("mode-reason", "EPR login failing on the ward");
    await fireEvent.click(byId("mode-submit"));
    await waitFor(() => expect(byId("mode-banner").dataset.mode).toBe("downtime"));
    expect(backend.modeRequests).toEqual([
      { action: "declare_downtime", by: "Ana Silva", reason: "EPR login failing on the ward" },
    ]);
  });

  it("starts a drill without asking for a reason, and watermarks the window", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(byId("mode-action-start_drill"));
    expect(document.getElementById("mode-reason"), "a drill needs no reason").toBeNull();
    expect(byId("mode-form").textContent).toContain("Recorded with your name, and shown");
    await type("mode-by", "Sam Jones");
    await pressEnterIn("mode-by");
    await waitFor(() => expect(byId("mode-banner").dataset.mode).toBe("drill"));
    expect(backend.modeRequests).toEqual([{ action: "start_drill", by: "Sam Jones", reason: "" }]);
    expect(document.getElementById("drill-watermark")).not.toBeNull();
  });
});

describe("a mode change that is not made", () => {
  it("needs a name: the form says so and asks the station nothing", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(byId("mode-action-declare_downtime"));
    await type("mode-by", "   ");
    await type("mode-reason", "EPR not answering");
    await pressEnterIn("mode-reason");
    expect(byId("mode-error").textContent).toContain("Enter your name");
    expect(backend.calls.filter((c) => c.startsWith("change_mode"))).toEqual([]);
    expect(document.activeElement?.id, "focus goes to what is missing").toBe("mode-by");
    expect(byId("mode-by").getAttribute("aria-invalid")).toBe("true");
  });

  it("needs a reason to declare downtime", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(byId("mode-action-declare_downtime"));
    await type("mode-by", "Sam Jones");
    await pressEnterIn("mode-by");
    expect(byId("mode-error").textContent).toContain("Enter the reason");
    expect(backend.modeRequests).toEqual([]);
    expect(document.activeElement?.id).toBe("mode-reason");
  });

  it("shows the station's refusal in the form, keeps what was typed and changes nothing", async () => {
    const backend = new TestBackend();
    backend.modeError = new BackendError({
      code: "not_saved",
      message: "The mode could not be saved (disk full): it is not changed. Ask IT; use paper meanwhile.",
    });
    await showApp(backend);
    await fireEvent.click(byId("mode-action-declare_downtime"));
    await type("mode-by", "Sam Jones");
    await type("mode-reason", "EPR not answering");
    await pressEnterIn("mode-reason");

    const error = await screen.findByText(/could not be saved \(disk full\)/);
    expect(error.id).toBe("mode-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(backend.modeRequests.length, "the station was asked").toBe(1);
    expect(byId("mode-banner").dataset.mode, "a refused change leaves the mode as it was").toBe("normal");
    expect(byId("mode-headline").textContent).toContain("Normal");
    expect(byId<HTMLInputElement>("mode-by").value, "the person need not type again").toBe("Sam Jones");
    expect(byId<HTMLInputElement>("mode-reason").value).toBe("EPR not answering");
    expect((byId("mode-submit") as HTMLButtonElement).disabled, "they may try again").toBe(false);
  });

  it("shows why an action is no longer possible when the mode moved on while the form was open", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(byId("mode-action-declare_downtime"));
    backend.update({ mode: modeView("drill") });
    await type("mode-by", "Sam Jones");
    await type("mode-reason", "EPR not answering");
    await fireEvent.click(byId("mode-submit"));
    const error = await waitFor(() => byId("mode-error"));
    expect(error.textContent).toContain("Declare downtime is not possible in drill mode");
  });

  it("is cancelled with Escape: the form closes, focus returns to its button, and the screen stays", async () => {
    const backend = await showApp(new TestBackend());
    await fireEvent.click(document.querySelector('[data-bed-id="bed-a1"]')!);
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });

    await fireEvent.click(byId("mode-action-declare_downtime"));
    await type("mode-by", "Sam Jones");
    await fireEvent.keyDown(byId("mode-by"), { key: "Escape" });

    expect(document.getElementById("mode-form")).toBeNull();
    expect(document.activeElement?.id).toBe("mode-action-declare_downtime");
    expect(document.getElementById("patient-view"), "Escape in the form must not also leave the patient").not.toBeNull();
    expect(backend.modeRequests).toEqual([]);
    expect(byId("mode-banner").dataset.mode).toBe("normal");
  });
});
