// Renders a report.html in real headless Chromium (Debian's `chromium`) at a laptop's width and writes
// a PNG, to look at the page as a person first sees it. Not a test: it needs a browser on the machine.
// Run: node --import tsx scenarios/report/screenshot.ts reports/scenarios/report.html [out.png] [1366x900]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [reportPath = 'reports/scenarios/report.html', outPath = 'reports/scenarios/report.png', size = '1366x900'] = process.argv.slice(2);
const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync('which', [name]).status === 0);
if (!browser) {
  process.stderr.write('no chromium on this machine: install Debian\'s package (apt-get install -y chromium)\n');
  process.exit(2);
}
if (!existsSync(reportPath)) {
  process.stderr.write(`no report at ${reportPath}: run \`npx paysim scenario run --report-dir reports/scenarios\` first\n`);
  process.exit(2);
}
const [width, height] = size.split('x');
const shot = spawnSync(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},${height}`, `--screenshot=${resolve(outPath)}`, pathToFileURL(resolve(reportPath)).href], { encoding: 'utf8', timeout: 60_000 });
const png = existsSync(outPath) ? readFileSync(outPath) : undefined;
// A PNG starts with its signature, then the IHDR chunk with width and height.
if (shot.status !== 0 || !png || png.readUInt32BE(0) !== 0x89504e47) {
  process.stderr.write(`the screenshot failed: ${shot.stderr.slice(-500)}\n`);
  process.exit(1);
}
process.stdout.write(`${outPath}: ${png.readUInt32BE(16)}×${png.readUInt32BE(20)} PNG of ${reportPath}\n`);
