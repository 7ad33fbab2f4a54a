// The real window on the built-in demo ward: the board shows every bed, a patient with allergies
// opens with allergies first, and Escape returns to the same row.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { failureShot, openApp, screenshot, waitForText } from "./session.mjs";

let browser;

before(async () => {
  browser = await openApp();
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
});

/** A test that leaves a screenshot in tests/e2e/screenshots/ when it fails. */
function windowTest(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      if (browser) {
        const file = await screenshot(browser, failureShot(name)).catch(() => null);
        if (file) console.error(`screenshot of the window: ${file}`);
      }
      throw error;
    }
  });
}

let allergicRow = null;

windowTest("the board shows every bed of the demo ward, with real-looking patients", async () => {
  await waitForText(browser, "#data-age-banner", /DEMO DATA — synthetic patients/, "banner");
  const count = await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "ward summary");
  const beds = Number(await count.getAttribute("data-beds"));
  assert.ok(beds >= 20, `the demo ward should have at least 20 beds, the board says ${beds}`);

  const rows = await browser.$$('#ward-board [data-testid="bed-row"]');
  assert.equal(rows.length, beds, "one row per bed: no bed may be missing from the board");

  const names = await browser.$$('#ward-board [data-testid="patient-name"]').map((el) => el.getText());
  assert.ok(names.length >= beds / 2, `most beds should be occupied, found ${names.length} patients`);
  for (const name of names) assert.match(name, /^[A-Z][A-Z' -]+, \S/, "names read SURNAME, Given");

  const nhs = await browser.$$('#ward-board [data-testid="nhs-number"]').map((el) => el.getText());
  assert.ok(
    nhs.some((n) => /^NHS \d{3} \d{3} \d{4}$/.test(n)),
    `NHS numbers are shown 3-3-4: ${nhs.slice(0, 3).join("; ")}`,
  );
});

windowTest("a patient with allergies opens with their allergies first", async () => {
  const cell = await browser.$('#ward-board [data-testid="bed-row"] [data-allergy-status="known"]');
  assert.ok(await cell.isExisting(), "the demo ward should have at least one patient with allergies");
  const boardAllergies = await cell.getText();
  const row = await cell.parentElement();
  allergicRow = await row.getAttribute("data-bed-id");
  const name = await row.$('[data-testid="patient-name"]').getText();

  await row.$('[data-testid="patient-name"]').click();
  await waitForText(browser, "#patient-view #patient-name", new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), "patient view");

  const allergies = await browser.$$('#patient-view #allergies [data-testid="allergy"]');
  assert.ok(allergies.length >= 1, "the allergies section lists at least one allergy");
  const first = await allergies[0].$(".substance").getText();
  assert.ok(boardAllergies.includes(first), `the board (${boardAllergies}) and the patient (${first}) agree`);

  const sections = await browser.execute(() =>
    Array.from(document.querySelectorAll("#patient-view section")).map((s) => s.id),
  );
  assert.equal(sections[0], "allergies", `allergies come before everything else: ${sections.join(", ")}`);
  assert.ok(!(await browser.$("#ward-board").isExisting()), "the board is replaced by the patient view");
});

windowTest("Escape goes back to the board, to the same row", async () => {
  assert.ok(allergicRow, "the previous test opened a patient");
  await browser.keys("Escape");
  await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "board after Escape");
  await browser.waitUntil(
    async () => (await browser.execute(() => document.activeElement?.getAttribute("data-bed-id"))) === allergicRow,
    { timeout: 10_000, timeoutMsg: `focus should return to the row of bed ${allergicRow}` },
  );
});
