// IMAP and SMTP for real (issue 23), against the test Dovecot and Postfix of
// `scripts/mailservers.sh` (`make test` starts them and exports `scripts/mailservers.sh env`;
// by hand: `scripts/mailservers.sh start && eval "$(scripts/mailservers.sh env)"`). The
// server trusts their CA through MAIL_EXTRA_CA_FILE (playwright.config.ts). An IMAP/SMTP
// mailbox is added through the form, "Test verbinding" passes, "Stuur testmail" sends over
// SMTP, and "Nu ophalen" shows that message on the berichten page.
import { randomUUID } from "node:crypto";
import { clearMailboxes, expect, expectAccessible, signIn, test, waitForHydration } from "./support";

const host = process.env.TEST_MAIL_HOST;
const imaps = process.env.TEST_IMAPS_PORT;
const submission = process.env.TEST_SUBMISSION_PORT;

test.beforeEach(async ({ page }) => {
  // Required, never skipped: a run without the servers fails here, saying how to start them.
  expect(
    host && imaps && submission && process.env.TEST_MAIL_CA_FILE,
    'the IMAP/SMTP test servers: `scripts/mailservers.sh start` and `eval "$(scripts/mailservers.sh env)"`',
  ).toBeTruthy();
  await signIn(page);
  clearMailboxes();
});

test("an IMAP/SMTP mailbox is added, tested, sends a test mail over SMTP and fetches it over IMAP", async ({
  page,
}) => {
  // A folder of its own: mail to bob+folder@example.test lands in it (Dovecot creates it).
  const folder = `e2e${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const address = `bob+${folder}@example.test`;
  await page.goto("/instellingen/mailboxen/nieuw");
  await waitForHydration(page);
  await page.getByTestId("field-name").fill("Bob via IMAP");
  await page.getByTestId("field-email").fill(address);
  await page.getByTestId("field-incoming_type").selectOption({ label: "IMAP" });
  await page.getByTestId("field-outgoing_type").selectOption({ label: "SMTP" });
  await page.getByTestId("field-imap_host").fill(host!);
  await page.getByTestId("field-imap_port").fill(imaps!);
  await page.getByTestId("field-imap_encryption").selectOption("ssl");
  await page.getByTestId("field-imap_inbox_prefix").fill(folder);
  await page.getByTestId("field-smtp_host").fill(host!);
  await page.getByTestId("field-smtp_port").fill(submission!);
  await page.getByTestId("field-smtp_encryption").selectOption("tls");
  await page.getByTestId("field-username").fill("bob@example.test");
  await page.getByTestId("field-password").fill("geheim");
  await page.getByTestId("save").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\?opgeslagen=1$/);
  const id = new URL(page.url()).pathname.split("/").pop();

  // "Stuur testmail": over SMTP to the mailbox itself, into the folder.
  await waitForHydration(page);
  await page.getByTestId("send-test-mail").click();
  await expect(page.getByTestId("test-mail-success")).toContainText(address, { timeout: 20_000 });

  // "Nu ophalen" until Postfix has delivered it (its own time): the message on the berichten page.
  await expect(async () => {
    await page.goto(`/instellingen/mailboxen/${id}`);
    await waitForHydration(page);
    await page.getByTestId("section-mail").getByTestId("fetch-now").click();
    await expect(page.getByTestId("fetch-success")).toBeVisible({ timeout: 10_000 });
    await page.goto(`/instellingen/mailboxen/${id}/berichten`);
    await expect(page.getByTestId("message-row").filter({ hasText: "Testmail van" })).toHaveCount(1, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 25_000 });
  // "Test verbinding": DNS, TCP, TLS, login and the folder (created by the delivery) pass.
  await page.goto(`/instellingen/mailboxen/${id}`);
  await waitForHydration(page);
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-passed", "true", { timeout: 20_000 });
  await expect(page.getByTestId("preflight-running")).toHaveCount(0);
  await expectAccessible(page);

  await page.goto(`/instellingen/mailboxen/${id}/berichten`);
  await page.getByTestId("message-row").filter({ hasText: "Testmail van" }).getByRole("link").first().click();
  await expect(page.locator("body")).toContainText(address);
  await expectAccessible(page);
});
