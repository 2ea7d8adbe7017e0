// Renders public/icons/icon.svg to the PNG sizes the manifest names, in headless Chromium.
// Run by hand after changing the SVG: `node tools/icons.mjs` (the PNGs are committed).
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { launchOptions } from "./chromium.mjs";

const svg = readFileSync(new URL("../public/icons/icon.svg", import.meta.url), "utf8");
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage();
for (const [name, size, pad] of [["icon-192.png", 192, 0], ["icon-512.png", 512, 0], ["icon-maskable-512.png", 512, 0.1]]) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable: full-bleed background, artwork inside the 80 % safe zone.
  const inner = Math.round(size * (1 - 2 * pad));
  await page.setContent(`<body style="margin:0;background:#0b6b3a;display:grid;place-items:center;width:${size}px;height:${size}px">
    <div style="width:${inner}px;height:${inner}px">${svg.replace("<svg ", `<svg width="${inner}" height="${inner}" `)}</div></body>`);
  await page.screenshot({ path: new URL(`../public/icons/${name}`, import.meta.url).pathname, omitBackground: pad === 0 });
}
await browser.close();
