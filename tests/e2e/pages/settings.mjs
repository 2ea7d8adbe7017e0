// Page object: settings.
export class SettingsPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto() {
    await this.page.goto(`${this.base}/settings`);
    await this.page.locator(".ds-segmented").waitFor();
  }
  async chooseLanguage(label) {
    await this.page.getByRole("button", { name: label, exact: true }).click();
  }
  /** Replaces the device's data with `badge`'s, answering the warning with yes. */
  async switchWorker(badge) {
    await this.page.locator(".ds-select").selectOption(badge);
    await this.page.locator("[data-action=switch]").click();
    await this.page.locator(".ds-confirm").waitFor();
    await this.page.locator("[data-action=confirm]").click();
    await this.page.locator(`[data-device-worker="${badge}"]`).waitFor();
  }
  async reset() {
    await this.page.locator("[data-action=reset]").click();
    await this.page.locator(".ds-confirm").waitFor();
    await this.page.locator("[data-action=confirm]").click();
    await this.page.locator("[role=status][data-outcome]").filter({ hasText: /\S/ }).waitFor();
  }
  errorLog() {
    return this.page.locator("[data-errors]");
  }
  /** Types a new PIN twice and saves; resolves with the outcome's text. `owner`: a
   * supervisor's PIN (`team_supervisor`, `office_supervisor`), else the worker's. */
  async setPin(pin, again = pin, owner = "") {
    const section = `[data-pin="${owner}"]`;
    await this.page.locator(`${section} [data-pin-input="1"]`).fill(pin);
    await this.page.locator(`${section} [data-pin-input="2"]`).fill(again);
    const before = await this.page.locator(`${section} [data-pin-outcome]`).textContent();
    await this.page.locator(`${section} [data-action=set-pin]`).click();
    await this.page.waitForFunction(
      ({ section, before }) => {
        const el = document.querySelector(`${section} [data-pin-outcome]`);
        return el && el.dataset.pinOutcome !== "" && el.textContent !== before;
      },
      { section, before },
    );
    return this.page.locator(`${section} [data-pin-outcome]`).textContent();
  }
  pinState(owner = "") {
    return this.page.locator(`[data-pin="${owner}"] [data-pin-set]`).getAttribute("data-pin-set");
  }

  // The sync section.
  sync() {
    return this.page.locator("[data-sync]");
  }
  /** Logs in (the badge field shows only while not logged in); resolves with the outcome's text. */
  async login(name, password) {
    const badge = this.page.locator("[data-sync-name]");
    if (await badge.count()) await badge.fill(name);
    await this.page.locator("[data-sync-password]").fill(password);
    return this.#act("login");
  }
  async logout() {
    return this.#act("logout");
  }
  async syncNow() {
    await this.page.locator("[data-action=sync-now]").click();
  }
  /** Waits until sync's outcome line says something new, and returns it. */
  async #act(action) {
    const outcome = this.page.locator("[data-sync-outcome]");
    await outcome.evaluate((el) => (el.dataset.before = el.textContent + "|" + el.dataset.syncOutcome));
    await this.page.locator(`[data-action=${action}]`).click();
    await this.page.waitForFunction(() => {
      const el = document.querySelector("[data-sync-outcome]");
      return el && el.dataset.syncOutcome !== "" && el.textContent + "|" + el.dataset.syncOutcome !== el.dataset.before;
    });
    return { kind: await outcome.getAttribute("data-sync-outcome"), text: await outcome.textContent() };
  }
  /** Waits for the pending count to read `n`. */
  async waitPending(n) {
    await this.page.locator(`[data-sync-pending="${n}"]`).waitFor({ timeout: 30000 });
  }
  /** Waits until a round has completed and none runs. */
  async waitSynced() {
    await this.page.locator('[data-sync-last]:not([data-sync-last=""])').waitFor({ timeout: 30000 });
    await this.page.locator('[data-sync-running="false"]').waitFor({ timeout: 30000 });
  }
  problem() {
    return this.page.locator("[data-sync-problem]").getAttribute("data-sync-problem");
  }
}
