// Chromium as people's browsers: Debian's build (never one downloaded for the driver), headless,
// with everything that would reach beyond this machine switched off. One Chromium process serves
// a flow; each person in it has a browser context of their own, with its own cookies as a
// separate profile would have, so that a second person costs no second launch (about 1.5 s).
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const STEP_TIMEOUT = 15_000;  // ms for one page to load or one element to appear

// Chromium, started; newPerson() is the page of someone who has not used it yet, and close()
// ends it (the driver removes the temporary profile it made).
export async function openBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  return {
    async newPerson() {
      const context = await browser.newContext();
      context.setDefaultTimeout(STEP_TIMEOUT);
      return context.newPage();
    },
    close: () => browser.close(),
  };
}

// What the page shows a person, for the result and for messages: its heading and address.
export async function showing(page) {
  const heading = await page.locator('h1').first().textContent({ timeout: 1000 }).catch(() => null);
  return { heading: heading?.trim() ?? null, url: page.url() };
}
