// Page object: one job.
export class JobPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto(id) {
    await this.page.goto(`${this.base}/job/${encodeURIComponent(id)}`);
    await this.loaded();
  }
  async loaded() {
    await this.page.locator(".ds-job, .ds-error").first().waitFor();
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
    return this.page.locator(".ds-field input");
  }
  async confirm(note) {
    await this.noteInput().fill(note);
    await this.page.locator(".ds-button--primary").click();
    await this.page.locator("[data-confirmed]").waitFor();
  }
  confirmation() {
    return this.page.locator("[data-confirmed]").textContent();
  }
  primaryButton() {
    return this.page.locator(".ds-button--primary");
  }
}
