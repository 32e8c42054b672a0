// Playwright drives Debian's Chromium against the built server and the fake Microsoft
// server. `make test` builds both and passes their paths; nothing here downloads a browser.
import { defineConfig } from "@playwright/test";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
const fakePort = Number(process.env.E2E_FAKE_PORT ?? 3190);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), ".cache/mailboxen/target");
const root = path.resolve(__dirname, "..");

// The demo fixture with this server's redirect URI registered (fixtures/e2e.json names port
// 3100; another E2E_APP_PORT gets a copy naming that port).
const fakeFixture = (() => {
  const fixture = path.join(root, "fake-microsoft/fixtures/e2e.json");
  if (appPort === 3100) return fixture;
  const copy = path.join(os.tmpdir(), `mailboxen-e2e-fixture-${appPort}.json`);
  fs.writeFileSync(copy, fs.readFileSync(fixture, "utf8").replaceAll("127.0.0.1:3100/", `127.0.0.1:${appPort}/`));
  return copy;
})();

// One database file per run, shared with the tests (they insert rows with sqlite3).
process.env.E2E_DB_FILE ??= path.join(os.tmpdir(), `mailboxen-e2e-${Date.now()}.db`);
process.env.E2E_BASE_URL = `http://127.0.0.1:${appPort}`;
process.env.E2E_FAKE_URL = `http://127.0.0.1:${fakePort}`;
// The first administrator, created by the server at start-up (tests/support.ts signs in).
process.env.E2E_ADMIN_EMAIL ??= "beheerder@example.org";
process.env.E2E_ADMIN_PASSWORD ??= "E2e-beheerder-wachtwoord-2026";
// The server's key for secrets at rest; tests that store a secret the way another program
// would encrypt it with the same key (tests/diagnostics.spec.ts).
process.env.E2E_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

export default defineConfig({
  testDir: "./tests",
  // The tests share one server and database: run them one after another.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `${targetDir}/debug/fake-microsoft --port ${fakePort} --fixture ${fakeFixture}`,
      url: `${process.env.E2E_FAKE_URL}/energiedemo.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `${targetDir}/debug/server`,
      cwd: root,
      url: `${process.env.E2E_BASE_URL}/inloggen`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: `sqlite://${process.env.E2E_DB_FILE}?mode=rwc`,
        LEPTOS_SITE_ADDR: `127.0.0.1:${appPort}`,
        LEPTOS_SITE_ROOT: `${root}/target/site`,
        PUBLIC_BASE_URL: process.env.E2E_BASE_URL,
        MICROSOFT_LOGIN_URL: process.env.E2E_FAKE_URL,
        MICROSOFT_GRAPH_URL: process.env.E2E_FAKE_URL,
        APP_ENV: "test",
        // The default, named: tests/times.spec.ts expects Amsterdam's CET and CEST.
        TIME_ZONE: "Europe/Amsterdam",
        ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY,
        BOOTSTRAP_ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL,
        BOOTSTRAP_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
        RUST_LOG: "warn",
        // Mail is fetched only when a test presses "Nu ophalen"; the demo messages are
        // from 2026, older than a year on a later day.
        MAIL_SYNC_INTERVAL_SECS: "0",
        MAIL_SYNC_START_DATE: "2026-01-01",
        // Small pages, so a fetch takes several (fetch-progress.spec.ts follows one).
        MAIL_PAGE_SIZE: "3",
        // The CA of the test Dovecot and Postfix (`scripts/mailservers.sh env`), for
        // tests/imap.spec.ts; unset without them (the server then trusts the public roots).
        ...(process.env.TEST_MAIL_CA_FILE ? { MAIL_EXTRA_CA_FILE: process.env.TEST_MAIL_CA_FILE } : {}),
      },
    },
  ],
});
