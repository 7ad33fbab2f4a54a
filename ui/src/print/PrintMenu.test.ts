import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { BackendError } from "../shared/backend";
import { TestBackend } from "../shared/test-backend";
import PrintMenu from "./PrintMenu.svelte";

describe("printing", () => {
  it("shows what a document holds and its page count, then prints it in one click", async () => {
    const backend = new TestBackend();
    render(PrintMenu, { backend, wardId: "ward-7" });
    await fireEvent.click(screen.getByTestId("print-census"));
    const preview = await screen.findByTestId("print-preview");
    expect(preview.textContent).toContain("2 page(s)");
    expect(preview.textContent, "the preview carries the data-age stamp").toContain("DOWNTIME COPY - data as of");
    await fireEvent.click(screen.getByTestId("print-confirm"));
    expect((await screen.findByTestId("print-message")).textContent).toContain("sent to the printer");
    expect(backend.calls).toEqual(["print_preview census ward-7", "print_document census ward-7"]);
  });

  it("prints the ward's whole downtime pack as one action: census, handover, then drug charts", async () => {
    const backend = new TestBackend();
    render(PrintMenu, { backend, wardId: "ward-7" });
    await fireEvent.click(screen.getByTestId("print-pack"));
    await waitFor(() => expect(screen.getByTestId("print-message").textContent).toContain("6 pages"));
    expect(backend.calls).toEqual([
      "print_document census ward-7",
      "print_document handover ward-7",
      "print_document drug_chart ward-7",
    ]);
  });

  it("prints the ward quick-reference card from the board, with nobody signed in", async () => {
    const backend = new TestBackend();
    render(PrintMenu, { backend, wardId: "ward-7" });
    const button = screen.getByTestId("print-quick_reference");
    expect(button.textContent?.trim(), "the card's name as the card itself quotes it").toBe("Quick reference");
    await fireEvent.click(button);
    await screen.findByTestId("print-preview");
    await fireEvent.click(screen.getByTestId("print-confirm"));
    expect((await screen.findByTestId("print-message")).textContent).toContain("sent to the printer");
    expect(backend.calls).toEqual(["print_preview quick_reference ward-7", "print_document quick_reference ward-7"]);
  });

  it("on a patient's screen prints that patient's charts", async () => {
    const backend = new TestBackend();
    render(PrintMenu, { backend, wardId: "ward-7", patientId: "pat-1" });
    expect(screen.queryByTestId("print-pack"), "the ward pack is printed from the board").toBeNull();
    await fireEvent.click(screen.getByTestId("print-drug_chart"));
    await screen.findByTestId("print-preview");
    expect(backend.calls).toEqual(["print_preview drug_chart pat-1"]);
  });

  it("saves a document as a PDF from its preview, says where, and that the copy is not encrypted", async () => {
    const backend = new TestBackend();
    render(PrintMenu, { backend, wardId: "ward-7" });
    await fireEvent.click(screen.getByTestId("print-census"));
    await screen.findByTestId("print-preview");
    await fireEvent.click(screen.getByTestId("print-save-pdf"));
    const message = (await screen.findByTestId("print-message")).textContent ?? "";
    expect(message).toContain("/home/ward7/Documents/Lamplight/lamplight-census-");
    expect(message).toContain("not encrypted");
    expect(screen.queryByTestId("print-preview"), "the preview closes").toBeNull();
    expect(backend.calls).toEqual(["print_preview census ward-7", "save_pdf census ward-7"]);
  });

  it("says plainly when there is no printer, and what to do", async () => {
    const backend = new TestBackend();
    backend.printerError = new BackendError({
      code: "printer_unavailable",
      message: "no printing system found (the `lp` command of CUPS is not installed): use Save as PDF",
    });
    render(PrintMenu, { backend, wardId: "ward-7" });
    await fireEvent.click(screen.getByTestId("print-pack"));
    expect((await screen.findByTestId("print-error")).textContent).toContain("no printing system found");
  });
});
