// Mail end to end (issue 8): connect the demo mailbox, deliver a message with an attachment
// in the fake Microsoft, press "Nu ophalen", find it in the list, open it and download its
// attachment; "Stuur testmail" shows success and the fake received the message. Once more
// without JavaScript: the forms post and come back with the outcome.
//
// "Nu ophalen" asks the server's scheduler; the page follows the fetch until it is done
// (fetch-progress.spec.ts covers the running state).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { connectInfo, fakeAdmin, fakeFavicon, info, saveInfo } from "./fake";
import { clearMailboxes, expect, expectAccessible, signIn as signInToApp, test, waitForHydration } from "./support";

type SentMessage = { subject: string; to: string[]; from_address: string; save_to_sent_items: boolean };

/** Delivers a text message with one attachment to `upn`'s inbox in the fake. */
async function deliver(upn: string, subject: string, attachment: { name: string; content: string }) {
  await fakeAdmin(`/users/${encodeURIComponent(upn)}/messages`, "POST", {
    subject,
    from: { name: "Piet Puk", address: "piet@example.org" },
    to: [{ name: "Info", address: upn }],
    received_at: new Date().toISOString(),
    body: { content_type: "text", content: `Beste Info,\n\nHierbij ${attachment.name}.\n\nGroet, Piet` },
    attachments: [
      { name: attachment.name, content_type: "text/plain", content_base64: Buffer.from(attachment.content).toString("base64") },
    ],
  });
}

async function sentBy(upn: string): Promise<SentMessage[]> {
  const answer = await fakeAdmin(`/users/${encodeURIComponent(upn)}/sent-messages`);
  return answer.messages as SentMessage[];
}

test.use({ allowedConsoleErrors: [[fakeFavicon], { option: true }] });

test.beforeEach(async ({ page }) => {
  await signInToApp(page);
  clearMailboxes();
});

test("fetched mail is listed and opens with its attachment", async ({ page }) => {
  const subject = `Jaarverslag ${randomUUID().slice(0, 8)}`;
  const attachment = { name: "jaarverslag.txt", content: "Opbrengst 2026: 1234 kWh\n" };
  await connectInfo(page, "Info mail");
  await deliver(info.upn, subject, attachment);
  await waitForHydration(page);

  const section = page.getByTestId("section-mail");
  await expect(section).toBeVisible();
  await section.getByTestId("fetch-now").click();
  const success = page.getByTestId("fetch-success");
  await expect(success).toBeVisible({ timeout: 20_000 });
  expect(Number(await success.getAttribute("data-new"))).toBeGreaterThanOrEqual(1);
  await expect(section.getByTestId("mail-last-fetched")).not.toHaveText("Nog nooit");
  await expectAccessible(page);

  await section.getByTestId("messages-link").click();
  await expect(page).toHaveURL(/\/instellingen\/mailboxen\/\d+\/berichten$/);
  const row = page.getByTestId("message-row").filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Piet Puk");
  await expect(row.getByTestId("has-attachments")).toBeVisible();
  // Newest first: the message just delivered is the first row.
  await expect(page.getByTestId("message-row").first()).toContainText(subject);
  await expectAccessible(page);

  await row.getByTestId("message-link").click();
  await expect(page).toHaveURL(/\/berichten\/\d+$/);
  await expect(page.getByTestId("message-subject")).toHaveText(subject);
  await expect(page.getByTestId("message-from")).toContainText("piet@example.org");
  await expect(page.getByTestId("message-body")).toContainText("Hierbij jaarverslag.txt");
  const file = page.getByTestId("attachment").filter({ hasText: attachment.name });
  await expect(file).toHaveCount(1);
  const downloading = page.waitForEvent("download");
  await file.getByTestId("attachment-download").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(attachment.name);
  expect(readFileSync(await download.path(), "utf8")).toBe(attachment.content);
  await expectAccessible(page);

  await page.goto("/instellingen/mailboxen");
  const listRow = page.getByTestId("mailbox-row").filter({ hasText: "Info mail" });
  await expect(listRow.getByTestId("mailbox-message-count")).not.toHaveText("0");
  await expect(listRow.getByTestId("mailbox-last-fetched")).not.toHaveText("Nog nooit");
});

test("Stuur testmail shows success and the fake received it", async ({ page }) => {
  await connectInfo(page, "Info testmail");
  const before = (await sentBy(info.upn)).length;
  await waitForHydration(page);
  const section = page.getByTestId("section-mail");
  await expect(section.getByLabel("Testmail sturen aan")).toHaveValue(info.upn);
  await section.getByTestId("send-test-mail").click();
  await expect(page.getByTestId("test-mail-success")).toContainText(info.upn, { timeout: 20_000 });

  const sent = await sentBy(info.upn);
  expect(sent.length).toBe(before + 1);
  const message = sent[sent.length - 1];
  expect(message.subject).toContain("Testmail");
  expect(message.to).toEqual([info.upn]);
  expect(message.save_to_sent_items).toBe(true);

  // Another recipient, typed by the admin.
  await section.getByLabel("Testmail sturen aan").fill("ledenadministratie@energiedemo.onmicrosoft.com");
  await section.getByTestId("send-test-mail").click();
  await expect(page.getByTestId("test-mail-success")).toContainText("ledenadministratie@");
  const last = (await sentBy(info.upn)).at(-1);
  expect(last?.to).toEqual(["ledenadministratie@energiedemo.onmicrosoft.com"]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Stuur testmail posts and comes back with the outcome", async ({ page }) => {
    // Saving without JavaScript is answered with a redirect to Microsoft; sending needs
    // only the app registration, not the delegated sign-in.
    await saveInfo(page, "Info zonder JS", false);
    await page.goto("/instellingen/mailboxen");
    await page.getByRole("link", { name: "Info zonder JS" }).click();
    await page.waitForURL(/\/instellingen\/mailboxen\/\d+$/);

    const before = (await sentBy(info.upn)).length;
    await page.getByTestId("send-test-mail").click();
    await expect(page).toHaveURL(/testmail=ok/);
    await expect(page.getByTestId("test-mail-success")).toContainText(info.upn);
    expect((await sentBy(info.upn)).length).toBe(before + 1);
  });
});
