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
  async chooseWorker(badge) {
    await this.page.locator(".ds-select option").first().waitFor({ state: "attached" });
    await this.page.locator(".ds-select").selectOption(badge);
  }
}
