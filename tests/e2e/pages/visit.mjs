// Page object: a stage of the visit (/job/:id/depart|arrive|service|after): its checklist,
// the progress strip and the stage's closing step.
export class VisitPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto(id, stage) {
    await this.page.goto(`${this.base}/job/${encodeURIComponent(id)}/${stage}`);
    await this.loaded(stage);
  }
  async loaded(stage) {
    await this.page.locator(`.ds-checklist[data-phase="${stage}"]`).waitFor();
  }
  /** The stage the strip marks as current. */
  current() {
    return this.page.locator(".ds-progress__stage[aria-current=step]").getAttribute("data-stage");
  }
  item(id) {
    return this.page.locator(`.ds-check[data-item="${id}"]`);
  }
  async ticked() {
    return this.page.locator('.ds-check[aria-checked="true"]').evaluateAll((els) => els.map((e) => e.dataset.item));
  }
  /** Taps an item and waits until its new state is saved and shown. */
  async toggle(id) {
    const before = await this.item(id).getAttribute("aria-checked");
    await this.item(id).click();
    await this.page.locator(`.ds-check[data-item="${id}"][aria-checked="${before === "true" ? "false" : "true"}"]`).waitFor();
  }
  /** Ticks every required item not yet ticked. */
  async tickRequired() {
    const ids = await this.page
      .locator('.ds-check[aria-checked="false"]:not(:has(.ds-check__optional))')
      .evaluateAll((els) => els.map((e) => e.dataset.item));
    for (const id of ids) await this.toggle(id);
    return ids;
  }
  gate() {
    return this.page.locator(".ds-actions .ds-gate").textContent();
  }
  closingStep() {
    return this.page.locator('[data-action="milestone"]');
  }
  kitCard() {
    return this.page.locator("[data-kit-card]");
  }
  /** On a kit screen: the count shown for `name` (`rag`, or `D001-rag-good` on the count back). */
  count(name) {
    return this.page.locator(`[data-count="${name}"]`).textContent();
  }
  async less(name) {
    await this.page.locator(`[data-less="${name}"]`).click();
  }
  async more(name) {
    await this.page.locator(`[data-more="${name}"]`).click();
  }
  kitStatus() {
    return this.page.locator("[data-kit-complete]").textContent();
  }
  /** Takes the closing step and waits for the next stage's screen. */
  async close(next) {
    await this.closingStep().click();
    await this.loaded(next);
  }
  /** From the pre-departure stage: the kit card, the counts as prefilled, recorded; back
   * on the stage. */
  async takeKit() {
    await this.openKit();
    await this.page.locator('[data-action="kit-out"]').click();
    await this.loaded("depart");
  }
  /** The kit card of the stage on show: check-out before leaving, the count back after. */
  async openKit() {
    await this.kitCard().click();
    await this.page.locator('[data-action="kit-out"], [data-customer-facing="kit"] [data-action="kit-in"]').first().waitFor();
  }
  /** On the count back: one fewer of each count named in `less` (`D001-rag-good`), then
   * recorded; resolves with the incidents shown (`[]` when all came back). */
  async countBack(less = []) {
    for (const name of less) await this.less(name);
    await this.page.locator('[data-action="kit-in"]').click();
    await this.page.locator("[data-incidents]").waitFor();
    return this.page.locator("[data-incident]").allTextContents();
  }
  /** From the after-service stage: the charge card, the price list's amount recorded. */
  async chargeExact() {
    await this.page.locator("[data-charge-card]").click();
    await this.page.locator('[data-action="charge-exact"]').click();
    await this.page.locator("[data-charge-recorded]").waitFor();
  }
  /** The whole visit of `id` up to acceptance: every required item ticked, the kit taken
   * and counted back complete, the price list's charge recorded. */
  async toAcceptance(id) {
    await this.goto(id, "depart");
    await this.tickRequired();
    await this.takeKit();
    await this.close("arrive");
    await this.tickRequired();
    await this.close("service");
    await this.tickRequired();
    await this.close("after");
    await this.tickRequired();
    await this.openKit();
    await this.countBack();
    await this.goto(id, "after");
    await this.chargeExact();
    await this.goto(id, "after");
  }
}
