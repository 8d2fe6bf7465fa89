#!/usr/bin/env node
// Renders the demo's chart to PNG with headless Chromium, and checks its layout: no two texts
// overlap and none leaves the canvas (exit 1 if one does, naming them).
//
//   npm run demo && node scripts/render-chart.mjs [SVG] [PNG] [--scale N]
//
// Defaults: demo-output/day-319.svg → docs/demo-day-319.png at scale 2 (crisp in print).
// Needs Chromium at /usr/bin/chromium or CHROMIUM_PATH (Debian: apt-get install -y chromium);
// playwright-core drives it and never downloads a browser.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt < 0 ? 2 : Number(args.splice(scaleAt, 2)[1]);
const [svgPath = 'demo-output/day-319.svg', pngPath = 'docs/demo-day-319.png'] = args;
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(svgPath)) fail(`${svgPath} not found: run \`npm run demo\` first`);
if (!existsSync(executablePath))
  fail(
    `Chromium not found at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH`,
  );
if (!(scale > 0)) fail('--scale takes a positive number');

const root = /<svg\b[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"/.exec(readFileSync(svgPath, 'utf8'));
if (root === null) fail(`${svgPath}: the root <svg> has no width and height`);
const [width, height] = [Number(root[1]), Number(root[2])];

// Chromium as root on a closed network: no sandbox, no GPU, no background calls home
// (playwright gives it a fresh profile of its own).
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let problems;
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
  await page.goto(pathToFileURL(resolve(svgPath)).href);
  problems = await page.evaluate(
    ([w, h]) => {
      const boxes = [...document.querySelectorAll('text')].map((t) => ({
        text: t.textContent,
        box: t.getBoundingClientRect(),
      }));
      const found = [];
      for (const { text, box } of boxes)
        if (box.left < 0 || box.top < 0 || box.right > w || box.bottom > h)
          found.push(`"${text}" leaves the ${w}×${h} canvas`);
      // A pixel of slack: glyph boxes of neighbouring lines touch without overlapping ink.
      const overlap = (a, b) =>
        a.left < b.right - 1 &&
        b.left < a.right - 1 &&
        a.top < b.bottom - 1 &&
        b.top < a.bottom - 1;
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          if (overlap(boxes[i].box, boxes[j].box))
            found.push(`"${boxes[i].text}" overlaps "${boxes[j].text}"`);
      return found;
    },
    [width, height],
  );
  await page.screenshot({ path: pngPath, fullPage: false });
} finally {
  await browser.close();
}
process.stdout.write(`wrote ${pngPath} (${width * scale}×${height * scale} px)\n`);
if (problems.length > 0) fail(`layout:\n  ${problems.join('\n  ')}`);

function fail(message) {
  process.stderr.write(`render-chart: ${message}\n`);
  process.exit(1);
}
