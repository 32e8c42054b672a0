// Shared helpers: direct database access (as another program would write rows), hydration
// waiting and accessibility checks.
import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";

export type MailboxSeed = {
  name: string;
  email: string;
  incoming?: "imap" | "ms-oauth" | "none";
  outgoing?: "smtp" | "ms-oauth";
  active?: boolean;
  primary?: boolean;
};

function sql(statement: string): string {
  const file = process.env.E2E_DB_FILE;
  if (!file) throw new Error("E2E_DB_FILE is not set (see playwright.config.ts)");
  return execFileSync("sqlite3", [file, statement], { encoding: "utf8" });
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Deletes every mailbox (and, by cascade, what hangs off it) and every app registration, so each
 * test starts clean. */
export function clearMailboxes(): void {
  // The sqlite3 shell leaves foreign keys off unless asked; the cascades need them.
  sql("PRAGMA foreign_keys = ON; DELETE FROM mailboxes; DELETE FROM app_credentials; DELETE FROM app_registrations;");
}

/** Inserts rows straight into the database the server reads. */
export function insertMailboxes(rows: MailboxSeed[]): void {
  const now = quote(new Date().toISOString());
  const values = rows
    .map((row) => {
      const incoming = row.incoming ?? "ms-oauth";
      return `(${quote(row.name)}, ${quote(row.email)}, ${incoming === "none" ? 1 : 0}, ${quote(incoming)},
        ${quote(row.outgoing ?? "ms-oauth")}, 0, ${row.active === false ? 0 : 1}, ${row.primary ? 1 : 0}, 0, 0, ${now}, ${now})`;
    })
    .join(",");
  sql(`INSERT INTO mailboxes (name, email, only_outgoing, incoming_server_type, outgoing_server_type,
    email_mark_as_seen, is_active, is_primary, valid, login_tries, created_at, updated_at) VALUES ${values};`);
}

/** The id of the mailbox with address `email` (the newest, if several). */
export function mailboxId(email: string): number {
  return Number(sql(`SELECT max(id) FROM mailboxes WHERE email = ${quote(email)};`).trim());
}

/** Records a failing sync for mailbox `id`, as the sync would after repeated errors. */
export function insertSyncFailure(id: number, code: string, message: string): void {
  const now = quote(new Date().toISOString());
  sql(`INSERT INTO mail_sync_states (mailbox_id, last_fetched_at, consecutive_failures, last_error_code,
    last_error_message, status) VALUES (${id}, ${now}, 3, ${quote(code)}, ${quote(message)}, 'failing');`);
}

/** Stores a fetched plain-text message for mailbox `id`, as the sync would. */
export function insertMessage(id: number, message: { subject: string; from: string; body: string }): void {
  const now = quote(new Date().toISOString());
  const graphId = quote(`AAMk-${id}-${Math.random().toString(36).slice(2)}`);
  sql(`INSERT INTO mail_messages (mailbox_id, graph_id, internet_message_id, from_address, from_name,
    to_addresses, cc_addresses, subject, received_at, body_is_html, body, has_attachments, created_at)
    VALUES (${id}, ${graphId}, ${graphId}, ${quote(message.from)}, NULL, '[]', '[]', ${quote(message.subject)},
    ${now}, 0, ${quote(message.body)}, 0, ${now});`);
}

/** The administrator the server creates at start-up (playwright.config.ts). */
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "beheerder@example.org",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

/**
 * Signs in through the sign-in page (a plain form post, so also without JavaScript) and
 * waits for the page it leads to.
 */
export async function signIn(page: Page, password: string = ADMIN.password): Promise<void> {
  if (!new URL(page.url(), "http://x").pathname.startsWith("/inloggen")) await page.goto("/inloggen");
  await page.getByLabel("E-mailadres").fill(ADMIN.email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  if (password === ADMIN.password) await expect(page).not.toHaveURL(/\/inloggen/);
}

/** Waits until the WASM bundle has hydrated the page. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("body[data-hydrated='true']")).toHaveCount(1);
}

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    severe.map((v) => `${v.impact}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/**
 * Every test fails on a browser console error or an uncaught exception (a hydration
 * mismatch shows up there), unless the test allows that message.
 */
export const test = base.extend<{ allowedConsoleErrors: RegExp[]; consoleErrors: string[] }>({
  allowedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        // The URL it came from, so a test can allow errors of another origin only.
        if (message.type() === "error") errors.push(`${message.text()} [${message.location().url}]`);
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      const unexpected = errors.filter((e) => !allowedConsoleErrors.some((allowed) => allowed.test(e)));
      expect(unexpected, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * Stores a message for mailbox `id` as the IMAP fetch would: under its IMAP key
 * (`imap:{folder}:{uidvalidity}:{uid}`) with the sender's Message-ID.
 */
export function insertImapMessage(id: number, message: { uid: number; messageId: string; subject: string }): void {
  const now = quote(new Date().toISOString());
  sql(`INSERT INTO mail_messages (mailbox_id, graph_id, internet_message_id, from_address, from_name,
    to_addresses, cc_addresses, subject, received_at, body_is_html, body, has_attachments, created_at,
    graph_id_immutable)
    VALUES (${id}, ${quote(`imap:INBOX:1:${message.uid}`)}, ${quote(message.messageId)}, 'piet@example.org', NULL,
    '[]', '[]', ${quote(message.subject)}, ${now}, 0, 'Opgehaald over IMAP.', 0, ${now}, 1);`);
}
