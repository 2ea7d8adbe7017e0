// Page objects: acceptance (/job/:id/sign) and customer mode (/job/:id/customer), with the
// signature pad they share.

/** Draws a stroke across the pad of `scope` (a zig-zag of `points` pointer moves). */
export async function drawOn(page, scope = "", points = 12) {
  const pad = page.locator(`${scope} [data-pad]`.trim());
  // In the middle of the screen: clear of the sticky action bar at the bottom.
  await pad.evaluate((e) => e.scrollIntoView({ block: "center" }));
  const box = await pad.boundingBox();
  const before = Number(await pad.getAttribute("data-strokes"));
  const x0 = box.x + 20;
  const y0 = box.y + box.height / 2;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= points; i++) {
    await page.mouse.move(x0 + i * ((box.width - 40) / points), y0 + (i % 2 ? -30 : 30), { steps: 2 });
  }
  await page.mouse.up();
  await page.waitForFunction(
    ({ sel, before }) => Number(document.querySelector(sel)?.dataset.strokes) > before,
    { sel: `${scope} [data-pad]`.trim(), before },
  );
}

export class AcceptPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto(id) {
    await this.page.goto(`${this.base}/job/${encodeURIComponent(id)}/sign`);
    await this.loaded();
  }
  async loaded() {
    await this.page.locator(".ds-chain, [data-accept]").first().waitFor();
  }
  /** The step the chain waits for (`WorkerSelfCheck`, …), or null. */
  awaiting() {
    return this.page.locator('.ds-chain__step[data-state="awaiting"]').getAttribute("data-step", { timeout: 5000 }).catch(() => null);
  }
  round() {
    return this.page.locator(".ds-chain").getAttribute("data-round");
  }
  async waitAwaiting(step) {
    await this.page.locator(`.ds-chain__step[data-state="awaiting"][data-step="${step}"]`).waitFor();
  }
  async pass() {
    await this.page.locator('[data-action="sign-pass"]').click();
  }
  async fail(items) {
    await this.page.locator("[data-failed-items]").fill(items);
    await this.page.locator('[data-action="sign-fail"]').click();
  }
  problem() {
    return this.page.locator("[data-problem]").textContent();
  }
  /** A supervisor's name and PIN; resolves once the form opens or the PIN is refused. */
  async unlock(name, pin) {
    await this.page.locator("[data-supervisor-name]").fill(name);
    await this.page.locator("[data-supervisor-pin]").fill(pin);
    await this.page.locator('[data-action="unlock"]').click();
    await this.page.locator("[data-sign-off], [data-pin-wrong], [data-pin-missing]").first().waitFor();
  }
  async signOff(scope) {
    await drawOn(this.page, scope);
    await this.pass();
  }
  /** The staff's part of a round: the worker's self-check, then the team and the office
   * supervisor, each with their name and PIN (`[name, pin]`); resolves at the customer's turn. */
  async staffSignOffs(team, office) {
    await this.waitAwaiting("WorkerSelfCheck");
    await this.signOff("[data-sign-off]");
    await this.waitAwaiting("TeamSupervisor");
    await this.unlock(...team);
    await this.signOff("[data-sign-off]");
    await this.waitAwaiting("OfficeSupervisor");
    await this.unlock(...office);
    await this.signOff("[data-sign-off]");
    await this.waitAwaiting("Customer");
  }
  async handOver() {
    await this.page.locator('[data-action="hand-over"]:not([disabled])').click();
    await this.page.locator("[data-customer-mode]").waitFor();
  }
  async reworkAll() {
    for (const b of await this.page.locator("[data-rework-item]").all()) await b.click();
    await this.page.locator('[data-action="rework-done"]').click();
  }
  records() {
    return this.page.locator("[data-record]");
  }
  /** Each signed record's verification as shown when opened: `[{ id, verified, intact, tampered }]`. */
  verification() {
    return this.records().evaluateAll((list) =>
      list.map((r) => ({
        id: r.dataset.record,
        verified: r.dataset.verified,
        intact: r.querySelector("[data-intact]")?.textContent ?? null,
        tampered: r.querySelector("[data-tampered]")?.textContent ?? null,
      })),
    );
  }
}

export class CustomerPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async loaded() {
    await this.page.locator("[data-customer-mode] [data-customer-charge]").waitFor();
  }
  path() {
    return new URL(this.page.url()).pathname;
  }
  async fill({ name, remarks, items, score }) {
    if (name !== undefined) await this.page.locator("[data-customer-name]").fill(name);
    if (remarks !== undefined) await this.page.locator("[data-customer-remarks]").fill(remarks);
    if (items !== undefined) await this.page.locator("[data-customer-items]").fill(items);
    if (score !== undefined) await this.page.locator(`[data-score-n="${score}"]`).click();
  }
  async sign() {
    await drawOn(this.page, "[data-customer-form]");
  }
  strokes() {
    return this.page.locator("[data-customer-form] [data-pad]").getAttribute("data-strokes");
  }
  score() {
    return this.page.locator("[data-score]").getAttribute("data-score");
  }
  async satisfied() {
    await this.page.locator('[data-action="customer-pass"]').click();
    await this.page.locator("[data-customer-done]").waitFor();
  }
  async notSatisfied() {
    await this.page.locator('[data-action="customer-fail"]').click();
    await this.page.locator("[data-customer-done]").waitFor();
  }
  /** Types the worker's PIN to leave; resolves with the path after (or the refusal). */
  async leave(pin) {
    if (!(await this.page.locator("[data-leave-pin]").isVisible())) {
      await this.page.locator('[data-action="leave-customer"]').click();
    }
    await this.page.locator("[data-leave-pin]").fill(pin);
    await this.page.locator('[data-action="leave-confirm"]').click();
    await this.page.waitForFunction(() => !location.pathname.endsWith("/customer") || document.querySelector("[data-pin-wrong]"));
    return this.path();
  }
}
