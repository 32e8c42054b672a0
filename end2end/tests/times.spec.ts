// Times as a Dutch admin reads them (issue 22): every time on the mailbox page and in the
// list in the installation's zone (Europe/Amsterdam here, the default), in one format per
// language, relative within the hour ("3 minuten geleden"), the exact moment with seconds
// and CET/CEST in the `title`, and never the stored form ("…T17:20:08.289024416+00:00").
//
// The rows are stored as another program would, with known UTC instants around the switches
// to and from summer time (29 March and 25 October 2026, 01:00 UTC).
import { type Locator, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { clearMailboxes, expect, expectAccessible, insertMailboxes, signIn, test, waitForHydration } from "./support";

function sql(statement: string): string {
  return execFileSync("sqlite3", [process.env.E2E_DB_FILE ?? "", statement], { encoding: "utf8" });
}

/** A UTC instant as SQLx stores it in SQLite. */
const stored = (at: Date) => at.toISOString().replace("T", " ").replace("Z", "+00:00");

/** One mailbox with a Wijzigingslog, a failed attempt and a fetch at known instants; its id. */
function seed(): number {
  insertMailboxes([{ name: "Tijden", email: "tijden@example.org" }]);
  const id = Number(sql("SELECT id FROM mailboxes WHERE email = 'tijden@example.org';").trim());
  const audit = (at: string, fields: string) =>
    `(${id}, 'beheerder@example.org', 'updated', '${fields}', '${at}')`;
  const minutesAgo = (minutes: number) => stored(new Date(Date.now() - minutes * 60_000 - 20_000));
  sql(`INSERT INTO audit_log (mailbox_id, user_email, action, fields, recorded_at) VALUES
    ${audit("2026-10-25 00:30:00+00:00", "name")},
    ${audit("2026-10-25 01:30:00+00:00", "email")},
    ${audit(minutesAgo(3), "is_active")},
    ${audit(stored(new Date()), "is_primary")};`);
  // A stored secret (never read here) makes the page show the connection and its history.
  sql(`INSERT INTO mailbox_microsoft_settings (mailbox_id, client_id, tenant_id, object_id,
    client_secret_encrypted, client_secret_hint, created_at, updated_at)
    VALUES (${id}, '80aef83a-368f-4a54-a387-8c794cf71106', '8c10395e-14fe-46db-a8b6-699ac4a65109',
    '1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5', X'00', 'dr4', '2026-12-01 09:00:00+00:00', '2026-12-01 09:00:00+00:00');`);
  // The stored form the issue found after "Poging #58": nanoseconds and +00:00.
  sql(`INSERT INTO connection_attempts (mailbox_id, kind, created_at, expires_at, completed_at, outcome, error)
    VALUES (${id}, 'connect', '2026-12-04 17:20:08.289024416+00:00', '2026-12-04 17:30:08+00:00',
    '2026-12-04 17:20:09+00:00', 'token_failed', 'invalid_client');`);
  sql(`INSERT INTO mail_sync_states (mailbox_id, last_fetched_at, last_success_at, consecutive_failures, status)
    VALUES (${id}, '2026-03-29 01:00:00+00:00', '2026-03-29 01:00:00+00:00', 0, 'ok');`);
  return id;
}

/** The `<time>` in `scope`: its text, exact `title` and machine-readable `datetime`. */
async function expectTime(scope: Locator, text: string | RegExp, title: string | RegExp, datetime?: string) {
  const time = scope.locator("time");
  await expect(time).toHaveText(text);
  await expect(time).toHaveAttribute("title", title);
  if (datetime) await expect(time).toHaveAttribute("datetime", datetime);
}

/** No raw stored form in what the admin reads: no "T…", no "+00:00", no fractions of seconds. */
async function expectNoRawTimes(page: Page) {
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d|\+00:00|:\d\d\.\d+|\bUTC\b/);
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
});

test("the mailbox page shows Amsterdam time, relative within the hour, exact in the title", async ({ page }) => {
  const id = seed();
  await page.goto(`/instellingen/mailboxen/${id}`);
  await waitForHydration(page);

  // Newest first: now, 3 minutes ago, then the two 02:30s of 25 October (CET, then CEST).
  const audit = page.getByTestId("audit-entry");
  await expect(audit).toHaveCount(4);
  await expectTime(audit.nth(0), "zojuist", / \d\d:\d\d:\d\d CES?T$/);
  await expectTime(audit.nth(1), "3 minuten geleden", / \d\d:\d\d:\d\d CES?T$/);
  await expectTime(audit.nth(2), "25 okt. 2026 02:30", "25 okt. 2026 02:30:00 CET", "2026-10-25T01:30:00Z");
  await expectTime(audit.nth(3), "25 okt. 2026 02:30", "25 okt. 2026 02:30:00 CEST", "2026-10-25T00:30:00Z");

  // The history (an island, worded on the server) and the latest failure's "Poging #…".
  const history = page.getByTestId("history-entry");
  await expectTime(history.first(), "4 dec. 2026 18:20", "4 dec. 2026 18:20:08 CET", "2026-12-04T17:20:08Z");
  await expect(page.getByTestId("diag-attempt")).toHaveText(/^#\d+ \(4 dec\. 2026 18:20:08 CET\)$/);

  await expectTime(page.getByTestId("mail-last-fetched"), "29 mrt. 2026 03:00", "29 mrt. 2026 03:00:00 CEST");
  await expectNoRawTimes(page);
  await expectAccessible(page);
});

test("in English the same times in English words", async ({ page, baseURL }) => {
  const id = seed();
  await page.context().addCookies([{ name: "taal", value: "en", url: baseURL ?? "" }]);
  await page.goto(`/instellingen/mailboxen/${id}`);
  await waitForHydration(page);
  const audit = page.getByTestId("audit-entry");
  await expectTime(audit.nth(0), "just now", / \d\d:\d\d:\d\d CES?T$/);
  await expectTime(audit.nth(1), "3 minutes ago", / \d\d:\d\d:\d\d CES?T$/);
  await expectTime(audit.nth(2), "25 Oct 2026 02:30", "25 Oct 2026 02:30:00 CET");
  await expectTime(page.getByTestId("history-entry").first(), "4 Dec 2026 18:20", "4 Dec 2026 18:20:08 CET");
  await expectNoRawTimes(page);
});

test("the list's last fetch uses the same format, also once the island has hydrated", async ({ page }) => {
  seed();
  await page.goto("/instellingen/mailboxen");
  await waitForHydration(page);
  const cell = page.getByTestId("mailbox-row").filter({ hasText: "Tijden" }).getByTestId("mailbox-last-fetched");
  await expectTime(cell, "29 mrt. 2026 03:00", "29 mrt. 2026 03:00:00 CEST", "2026-03-29T01:00:00Z");
  // The island filters in the browser: the rows it shows again keep the server's words.
  await page.getByTestId("filter-name").fill("Tijd");
  await expectTime(cell, "29 mrt. 2026 03:00", "29 mrt. 2026 03:00:00 CEST");
  await expectNoRawTimes(page);
});
