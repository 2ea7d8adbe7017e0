// Page object: one job (the overview and its nested records screen).
export class JobPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto(id, screen = "") {
    await this.page.goto(`${this.base}/job/${encodeURIComponent(id)}${screen ? "/" + screen : ""}`);
    await this.loaded(screen);
  }
  async loaded(screen = "") {
    const ready = screen === "log" ? ".ds-log, .ds-empty:not([aria-busy]), .ds-error" : ".ds-job, .ds-error";
    await this.page.locator(ready).first().waitFor();
  }
  title() {
    return this.page.locator(".ds-job__title").textContent();
  }
  address() {
    return this.page.locator(".ds-address").textContent();
  }
  status() {
    return this.page.locator(".ds-job .ds-chip").getAttribute("data-status");
  }
  noteInput() {
    return this.page.locator(".ds-field textarea");
  }
  async confirm(note) {
    await this.noteInput().fill(note);
    await this.page.locator(".ds-actions .ds-button--primary").click();
    await this.page.locator("[data-confirmed]").waitFor();
  }
  confirmation() {
    return this.page.locator("[data-confirmed]").textContent();
  }
  primaryButton() {
    return this.page.locator(".ds-actions .ds-button--primary");
  }
  tab(name) {
    return this.page.locator(".ds-tabs__item", { hasText: name });
  }
  /** The overview's "continue": to the stage the visit stands at. */
  async continueVisit() {
    await this.page.locator('[data-action="continue"]').click();
  }
  /** The records tab: the damage form and every step recorded. */
  async openLog() {
    await this.tab("记录").click();
    await this.loaded("log");
  }
  logItems() {
    return this.page.locator(".ds-log__item");
  }
}

// Page object: the damage report form on a job's log and the reports it shows.
export class DamagePage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto(id) {
    await this.page.goto(`${this.base}/job/${encodeURIComponent(id)}/log`);
    await this.loaded();
  }
  async loaded() {
    await this.page.locator("[data-damage-form]").waitFor();
  }
  async describe(text, value = "") {
    await this.page.locator("[data-damage-description]").fill(text);
    await this.page.locator("[data-damage-value]").fill(value);
  }
  /** Picks a file as the camera would hand it over: `{ name, mimeType, buffer }`. */
  async addPhoto(file) {
    const before = await this.picked().count();
    await this.page.locator("[data-damage-photo]").setInputFiles(file);
    await this.page.waitForFunction(
      (n) => document.querySelectorAll("[data-damage-picked] img").length > n || document.querySelector("[data-photo-problem]"),
      before,
    );
  }
  picked() {
    return this.page.locator("[data-damage-picked] img");
  }
  problem() {
    return this.page.locator("[data-photo-problem]").textContent();
  }
  async save() {
    await this.page.locator('[data-action="save-damage"]').click();
    await this.page.locator("[data-damage-saved], .ds-damage .ds-error").first().waitFor();
  }
  reports() {
    return this.page.locator('.ds-log__item[data-kind="damage"]');
  }
  /** How many reports the log shows once it shows `n` (the list is read after the form
   * shows, and again after a save), or after 15 s, whatever it shows then. */
  async reportsShown(n) {
    await this.page
      .waitForFunction((n) => document.querySelectorAll('.ds-log__item[data-kind="damage"]').length === n, n, { timeout: 15000 })
      .catch(() => {});
    return this.reports().count();
  }
  /** The natural sizes of the loaded photos under `scope`, once every one has loaded. */
  async photoSizes(scope) {
    const imgs = this.page.locator(`${scope} img[data-photo]`);
    await imgs.first().waitFor();
    await this.page.waitForFunction(
      (s) => [...document.querySelectorAll(`${s} img[data-photo]`)].every((i) => i.complete && i.naturalWidth > 0),
      scope,
    );
    return imgs.evaluateAll((list) => list.map((i) => [i.naturalWidth, i.naturalHeight]));
  }
}
