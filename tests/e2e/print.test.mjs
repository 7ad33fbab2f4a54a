// Printing from the real window on the built-in demo ward: the board's Print menu previews a
// document through the station (page count and data-age stamp), and printing it reaches the
// system's printing (CUPS `lp`) or says plainly that there is none. Proves the two print commands
// are wired and allowed by the window's capability. Patients' records on paper (drug charts) need
// a signed-in person: the emergency sign-in on the demo ward. "Save as PDF" writes a real PDF into
// the PC's PDF folder, read back with pdftotext.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { WAIT_MS, failureShot, openApp, screenshot, signIn, waitForText } from "./session.mjs";

let browser;
const pdfs = mkdtempSync(join(tmpdir(), "lamplight-e2e-pdfs-"));

before(async () => {
  browser = await openApp(["--pdf-folder", pdfs]);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  rmSync(pdfs, { recursive: true, force: true });
});

test("the board previews the ward census and sends it to the printer, or says there is none", async () => {
  try {
    await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "ward summary");
    await (await browser.$('[data-testid="print-census"]')).click();
    const preview = await waitForText(browser, '[data-testid="print-preview"]', /\d+ page\(s\)/, "print preview");
    const text = await preview.getText();
    assert.match(text, /DOWNTIME COPY - data as of \d\d:\d\d \d\d\/\d\d\/\d{4}/, "the preview shows the stamp");
    assert.match(text, /Bed census: 1 ward\(s\), \d+ beds/, "the preview says what the census holds");

    await (await browser.$('[data-testid="print-confirm"]')).click();
    await browser.waitUntil(
      async () =>
        (await browser.$('[data-testid="print-message"]').isExisting()) ||
        (await browser.$('[data-testid="print-error"]').isExisting()),
      { timeout: WAIT_MS, timeoutMsg: "printing neither succeeded nor said why not" },
    );
    const outcome = (await browser.$('[data-testid="print-message"]').isExisting())
      ? await browser.$('[data-testid="print-message"]').getText()
      : await browser.$('[data-testid="print-error"]').getText();
    assert.match(
      outcome,
      /sent to the printer|no printing system found|printer refused/,
      `a print ends in a clear sentence, not an access-control error: ${outcome}`,
    );
  } catch (error) {
    const file = await screenshot(browser, failureShot("print census")).catch(() => null);
    if (file) console.error(`screenshot of the window: ${file}`);
    throw error;
  }
});

test("the board previews the ward quick-reference card as one page, with nobody signed in", async () => {
  try {
    await (await browser.$('[data-testid="print-quick_reference"]')).click();
    const preview = await waitForText(browser, '[data-testid="print-preview"]', /\d+ page\(s\)/, "card preview");
    const text = await preview.getText();
    assert.match(text, /Quick reference: 1 page\(s\)/, `the card is one page: ${text}`);
    assert.match(text, /DOWNTIME COPY - data as of/, "the preview shows the stamp");
    await (await browser.$("button=Cancel")).click();
  } catch (error) {
    const file = await screenshot(browser, failureShot("print quick reference")).catch(() => null);
    if (file) console.error(`screenshot of the window: ${file}`);
    throw error;
  }
});

test("drug charts, a patient record on paper, preview once someone is signed in", async () => {
  try {
    await signIn(browser);
    await (await browser.$('[data-testid="print-drug_chart"]')).click();
    const preview = await waitForText(browser, '[data-testid="print-preview"]', /Drug chart.*\d+ page\(s\)|\d+ page\(s\)/s, "drug chart preview");
    assert.match(await preview.getText(), /DOWNTIME COPY - data as of/, "the preview shows the stamp");
    assert.ok(!(await browser.$('[data-testid="print-error"]').isExisting()), "no refusal once signed in");
  } catch (error) {
    const file = await screenshot(browser, failureShot("print drug charts")).catch(() => null);
    if (file) console.error(`screenshot of the window: ${file}`);
    throw error;
  }
});

test("Save as PDF from the census preview writes a real, owner-only PDF in the PC's PDF folder, stamped with its data age", async () => {
  try {
    await (await browser.$('[data-testid="print-census"]')).click();
    await waitForText(browser, '[data-testid="print-preview"]', /\d+ page\(s\)/, "print preview");
    await (await browser.$('[data-testid="print-save-pdf"]')).click();
    const message = await waitForText(browser, '[data-testid="print-message"]', /saved as/, "the save's message");
    const said = await message.getText();
    assert.match(said, /not encrypted/, `the person is told the copy is not encrypted: ${said}`);
    const files = readdirSync(pdfs).filter((f) => f.endsWith(".pdf"));
    assert.equal(files.length, 1, `one PDF in the folder: ${files}`);
    assert.ok(said.includes(files[0]), `the message names the file: ${said}`);
    assert.match(files[0], /^lamplight-census-\d{4}-\d\d-\d\d-\d{4}\.pdf$/, "a name with no patient in it");
    assert.equal(statSync(join(pdfs, files[0])).mode & 0o777, 0o600, "owner-only");
    const text = execFileSync("pdftotext", ["-layout", join(pdfs, files[0]), "-"], { encoding: "utf8" });
    assert.match(text, /DOWNTIME COPY - data as of/, "the PDF carries the data-age stamp");
  } catch (error) {
    const file = await screenshot(browser, failureShot("save as pdf")).catch(() => null);
    if (file) console.error(`screenshot of the window: ${file}`);
    throw error;
  }
});
