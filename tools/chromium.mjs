// How every Node tool here starts Debian's Chromium: headless, no sandbox (CI runs as root),
// nothing that reaches for the network on its own, a fresh profile unless one is given.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export function launchOptions(extra = {}) {
  return { executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...(extra.args || [])], ...extra, args: [...FLAGS, ...(extra.args || [])] };
}

export function freshProfileDir(prefix = "doorstep-chromium-") {
  return mkdtempSync(join(tmpdir(), prefix));
}
