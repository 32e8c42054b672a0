// Basic authentication ending at Microsoft 365 (issue 23): an IMAP/SMTP mailbox on a
// password at outlook.office365.com, added through the form, is marked on the list and its
// page says Microsoft turns basic authentication off (when, and the source). "Overstappen
// naar Microsoft Api" makes it a Microsoft Api mailbox with the app registration of another
// mailbox filled in; connected without password, "Nu ophalen" fetches over Graph and the
// mail fetched over IMAP is kept, not stored twice.
import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";
import { azure, fakeAdmin } from "./fake";
import {
  clearMailboxes,
  expect,
  expectAccessible,
  insertImapMessage,
  mailboxId,
  signIn,
  test,
  waitForHydration,
} from "./support";

const DOMAIN = "energiedemo.onmicrosoft.com";

/** A user of the fake's demo tenant (sign-in blocked: reached without its password). */
async function fakeUser(name: string): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const upn = `${name}-${tag}@${DOMAIN}`;
  await fakeAdmin(`/tenants/${DOMAIN}/users`, "POST", {
    object_id: randomUUID(),
    user_principal_name: upn,
    display_name: `${name} ${tag}`,
    password: `niemand-kent-dit-${tag}`,
    sign_in_blocked: true,
  });
  return upn;
}

async function graphMessage(upn: string, subject: string, messageId: string): Promise<void> {
  await fakeAdmin(`/users/${encodeURIComponent(upn)}/messages`, "POST", {
    subject,
    internet_message_id: messageId,
    from: { name: "Piet Puk", address: "piet@example.org" },
    to: [{ name: "Leden", address: upn }],
    received_at: new Date().toISOString(),
    body: { content_type: "text", content: `Tekst van ${subject}` },
  });
}

/** The organisation's app registration, on a Microsoft Api mailbox without password. */
async function mailboxWithAppRegistration(page: Page, upn: string): Promise<void> {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill("Secretariaat");
  await page.getByTestId("field-email").fill(upn);
  await page.getByTestId("field-client_id").fill(azure.client_id);
  await page.getByTestId("field-tenant_id").fill(azure.tenant_id);
  await page.getByTestId("field-client_secret").fill(azure.client_secret);
  await page.getByLabel("Zonder wachtwoord (toepassingsmachtigingen)").check();
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\?opgeslagen=1$/);
}

/** An IMAP/SMTP mailbox at Microsoft 365 with a password, through the form. */
async function microsoft365ImapMailbox(page: Page, upn: string): Promise<void> {
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill("Leden via IMAP");
  await page.getByTestId("field-email").fill(upn);
  await page.getByTestId("field-incoming_type").selectOption({ label: "IMAP" });
  await page.getByTestId("field-outgoing_type").selectOption({ label: "SMTP" });
  await page.getByTestId("field-imap_host").fill("outlook.office365.com");
  await page.getByTestId("field-imap_port").fill("993");
  await page.getByTestId("field-imap_encryption").selectOption("ssl");
  await page.getByTestId("field-smtp_host").fill("smtp.office365.com");
  await page.getByTestId("field-smtp_port").fill("587");
  await page.getByTestId("field-smtp_encryption").selectOption("tls");
  await page.getByTestId("field-username").fill(upn);
  await page.getByTestId("field-password").fill("een-wachtwoord");
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\?opgeslagen=1$/);
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
  clearMailboxes();
});

test("a Microsoft 365 IMAP mailbox shows the warning and switches to Microsoft Api with its mail kept", async ({
  page,
}) => {
  const secretariaat = await fakeUser("secretariaat");
  const leden = await fakeUser("leden");
  const tag = randomUUID().slice(0, 8);
  const earlier = `<eerder-${tag}@example.org>`;
  await mailboxWithAppRegistration(page, secretariaat);
  await microsoft365ImapMailbox(page, leden);
  const id = mailboxId(leden);
  // Fetched over IMAP before the switch; Graph lists the same message (same Message-ID)
  // and one more.
  insertImapMessage(id, { uid: 1, messageId: earlier, subject: `Over IMAP ${tag}` });
  await graphMessage(leden, `Zelfde bericht via Graph ${tag}`, earlier);
  await graphMessage(leden, `Nieuw via Graph ${tag}`, `<nieuw-${tag}@example.org>`);

  // The page: the notice with the date and the source, and the button.
  const notice = page.getByTestId("basic-auth-notice");
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Eind december 2026");
  await expect(notice).toContainText("IMAP met basic authentication heeft Microsoft al uitgezet");
  await expect(notice.getByTestId("basic-auth-source")).toHaveAttribute(
    "href",
    /techcommunity\.microsoft\.com\/blog\/exchange\//,
  );
  await expectAccessible(page);

  // The list: a mark in its Status cell, none on the Microsoft Api mailbox.
  await page.goto("/instellingen/mailboxen");
  const row = page.getByTestId("mailbox-row").filter({ hasText: leden });
  await expect(row.getByTestId("mailbox-basic-auth")).toHaveText("Wachtwoord stopt");
  await expect(
    page.getByTestId("mailbox-row").filter({ hasText: secretariaat }).getByTestId("mailbox-basic-auth"),
  ).toHaveCount(0);
  await expectAccessible(page);

  // The switch: Microsoft Api both ways, the other mailbox's app registration filled in.
  await row.getByRole("link", { name: "Leden via IMAP" }).click();
  await page.getByTestId("switch-to-microsoft-api").click();
  await expect(page).toHaveURL(new RegExp(`/instellingen/mailboxen/${id}\\?overgestapt=2$`));
  await expect(page.getByTestId("switched-to-microsoft-api")).toBeVisible();
  await expect(page.getByTestId("basic-auth-notice")).toHaveCount(0);
  await waitForHydration(page);
  await expect(page.getByTestId("field-incoming_type")).toHaveValue("ms-oauth");
  await expect(page.getByTestId("field-outgoing_type")).toHaveValue("ms-oauth");
  await expect(page.getByTestId("field-client_id")).toHaveValue(azure.client_id);
  await expect(page.getByTestId("field-tenant_id")).toHaveValue(azure.tenant_id);
  await expect(page.getByTestId("field-client_secret")).toHaveValue("");
  await expect(page.getByTestId("stored-client_secret")).toBeVisible();
  await expect(page.getByTestId("section-imap")).toHaveCount(0);
  expect(await page.content()).not.toContain(azure.client_secret);
  await expectAccessible(page);

  // Completed without password, and fetched over Graph: the IMAP message once, the new one.
  await page.getByLabel("Zonder wachtwoord (toepassingsmachtigingen)").check();
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(new RegExp(`/instellingen/mailboxen/${id}\\?opgeslagen=1$`));
  await waitForHydration(page);
  await page.getByTestId("section-mail").getByTestId("fetch-now").click();
  await expect(page.getByTestId("fetch-success")).toBeVisible({ timeout: 20_000 });
  await page.goto(`/instellingen/mailboxen/${id}/berichten`);
  const messages = page.getByTestId("message-row");
  await expect(messages.filter({ hasText: `Nieuw via Graph ${tag}` })).toHaveCount(1);
  await expect(messages.filter({ hasText: `Over IMAP ${tag}` })).toHaveCount(1);
  await expect(messages.filter({ hasText: `Zelfde bericht via Graph ${tag}` })).toHaveCount(0);
  await expect(messages).toHaveCount(2);

  // The audit log names the switch.
  await page.goto(`/instellingen/mailboxen/${id}`);
  await expect(page.getByTestId("audit-log")).toContainText("Inkomende mail type");
});
