// Page object: the office's board (`/office`).
export class OfficePage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto() {
    await this.page.goto(`${this.base}/office`);
    await this.page.locator("[data-office-login], [data-office-user]").first().waitFor();
  }
  /** Logs in; resolves with `{ kind, text }`: kind `in` when the board shows, else `error`. */
  async login(name, password) {
    await this.page.locator("[data-office-name]").fill(name);
    await this.page.locator("[data-office-password]").fill(password);
    // An error left from an earlier try is marked, so only a new answer counts.
    await this.page.evaluate(() => document.querySelectorAll("[data-office-outcome]").forEach((e) => (e.dataset.seen = "1")));
    await this.page.locator("[data-action=office-login]").click();
    const done = this.page.locator('[data-office-user], [data-office-outcome="error"]:not([data-seen])').first();
    await done.waitFor();
    if (await this.page.locator("[data-office-user]").count()) return { kind: "in", text: await this.page.locator("[data-office-user]").textContent() };
    return { kind: "error", text: await this.page.locator('[data-office-outcome="error"]').textContent() };
  }
  async logout() {
    await this.page.locator("[data-action=office-logout]").click();
  }
  async syncNow() {
    await this.page.locator("[data-action=office-sync]").click();
  }
  job(id) {
    return this.page.locator(`[data-office-job="${id}"]`);
  }
  /** Writes the note for the crew of `id` and saves it. */
  async writeNote(id, note) {
    await this.job(id).locator("[data-action=office-edit-note]").click();
    const editor = this.page.locator(`[data-office-editor="${id}"]`);
    await editor.locator("textarea").fill(note);
    await editor.locator("[data-action=office-save-note]").click();
    await editor.waitFor({ state: "detached" });
  }
  async waitPending(n) {
    await this.page.locator(`[data-office-pending="${n}"]`).waitFor({ timeout: 30000 });
  }
}
