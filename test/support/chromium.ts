// Real headless Chromium for the browser tests: Debian's `chromium` package, driven by playwright-core
// (which downloads no browser of its own). A missing browser fails the test with how to install it:
// a browser test that skips itself would hide that nothing was tested.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's package puts it; PAYSIM_CHROMIUM names another executable. */
export const chromiumPath = process.env.PAYSIM_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `the browser tests need Chromium at ${chromiumPath}, and it is not there. Install Debian's package: ` +
        '`sudo apt-get update && sudo apt-get install -y chromium` (CI\'s .ci/run does this), or set PAYSIM_CHROMIUM to a Chromium executable.',
    );
  }
  // --no-sandbox: CI runs the tests as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Where screenshots go for a person to look at (ignored by git). */
export const screenshotDir = new URL('../../test-output/browser/', import.meta.url);
