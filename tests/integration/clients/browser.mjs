// Chromium as a person's browser: Debian's build (never one downloaded for the driver), headless,
// in a new empty profile, with everything that would reach beyond this machine switched off.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const STEP_TIMEOUT = 15_000;  // ms for one page to load or one element to appear

// A browser whose profile (and so whose cookies) no other browser shares. The profile is a
// directory of its own, given as the persistent context's user data directory (the driver
// refuses --user-data-dir among the arguments); close() removes it.
export async function openBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'gatehouse-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      timeout: 30_000,
    });
    context.setDefaultTimeout(STEP_TIMEOUT);
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      page,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

// What the page shows a person, for the result and for messages: its heading and address.
export async function showing(page) {
  const heading = await page.locator('h1').first().textContent({ timeout: 1000 }).catch(() => null);
  return { heading: heading?.trim() ?? null, url: page.url() };
}
