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
  logItems() {
    return this.page.locator(".ds-log__item");
  }
}
