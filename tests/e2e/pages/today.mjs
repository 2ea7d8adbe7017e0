// Page object: the worker's "today" screen.
export class TodayPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async goto() {
    await this.page.goto(`${this.base}/`);
    await this.loaded();
  }
  async loaded() {
    await this.page.locator(".ds-day").first().waitFor();
  }
  heading() {
    return this.page.locator("h1").first().textContent();
  }
  dayTitles() {
    return this.page.locator(".ds-day__title").allTextContents();
  }
  /** Job ids of a day (0 = today, 1 = tomorrow), in screen order. */
  jobIds(day) {
    return this.page.locator(`.ds-day[data-day="${day}"] .ds-job-card`).evaluateAll((els) => els.map((e) => e.dataset.job));
  }
  async openJob(id) {
    await this.page.locator(`.ds-job-card[data-job="${id}"]`).click();
  }
}
