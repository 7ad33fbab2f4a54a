// The real window on the built-in demo ward: the board shows every bed, a patient with allergies
// opens with allergies first (once someone is signed in: the demo ward has no roster, so the
// emergency sign-in), and Escape returns to the same row; the compact view fits a ward in two screens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { failureShot, fullView, openApp, screenshot, signIn, waitForText } from "./session.mjs";

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
  await fullView(browser);
  const count = await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "ward summary");
  const beds = Number(await count.getAttribute("data-beds"));
  assert.ok(beds >= 20, `the demo ward should have at least 20 beds, the board says ${beds}`);

  const rows = await browser.$$('#ward-board [data-testid="bed-row"]');
  assert.equal(rows.length, beds, "one row per bed: no bed may be missing from the board");
  assert.ok(await browser.$("#admit-patient").isExisting(), "the board offers to admit a patient (#admit-patient)");

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

  // A patient's record needs a signed-in person; the demo ward has no roster. The sign-in may
  // redraw the board: find the row again.
  await signIn(browser);
  await browser.$(`#ward-board tr[data-bed-id="${allergicRow}"]`).$('[data-testid="patient-name"]').click();
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

windowTest("the compact view puts a 28-bed ward on at most two screens of 1366x768, and is remembered", async () => {
  try {
    await compactView();
  } finally {
    // The choice outlives the window (its profile's localStorage): leave the full view for the next tests.
    await fullView(browser).catch(() => {});
  }
});

async function compactView() {
  const board = await browser.$("#ward-board");
  await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "board");
  await browser.setWindowSize(1366, 768).catch(() => {}); // the screen may be smaller: measured below anyway
  await fullView(browser);
  await browser.$("#board-compact-toggle").click();
  await browser.$('#ward-board[data-compact="true"]').waitForExist({ timeout: 10_000 });

  // Measured in the page: where the rows start, and how tall they are (scaled to 28 beds).
  const m = await browser.execute(() => {
    const rows = Array.from(document.querySelectorAll("#ward-board tbody tr"));
    const heights = rows.map((r) => r.getBoundingClientRect().height);
    return {
      top: rows[0].getBoundingClientRect().top + window.scrollY,
      total: heights.reduce((a, b) => a + b, 0),
      tallest: Math.max(...heights),
      rows: rows.length,
      width: window.innerWidth,
      height: window.innerHeight,
    };
  });
  const for28 = m.top + (m.total / m.rows) * 28;
  console.log(
    `measured: compact board at ${m.width}x${m.height}: ${m.rows} rows start at ${Math.round(m.top)} px, ` +
      `${(m.total / m.rows).toFixed(1)} px a row on average (tallest ${m.tallest.toFixed(1)}): ` +
      `28 beds end at ${Math.round(for28)} px (two screens of 768 px: 1536)`,
  );
  assert.ok(for28 <= 2 * 768, `28 compact rows must end within two screens of 768 px, not at ${Math.round(for28)} px`);

  // Remembered: a reload of the page (as after a restart) keeps the compact view, then back to full.
  await browser.execute(() => window.location.reload());
  await browser.$('#ward-board[data-compact="true"] [data-testid="bed-row"]').waitForExist({ timeout: 30_000 });
  await browser.$("#board-compact-toggle").click();
  await browser.$('#ward-board[data-compact="false"]').waitForExist({ timeout: 10_000 });
}
