// Links from one dashboard to the pages of another server (under `paysim up`, the simulator's and the
// core's dashboards point at each other). Known only once both listen, so they are added later.
import { escapeHtml } from '../http.ts';

export interface DashboardLink {
  readonly label: string;
  readonly url: string;
}

export class DashboardLinks {
  private readonly links: DashboardLink[] = [];

  add(label: string, url: string): void {
    this.links.push({ label, url });
  }

  list(): readonly DashboardLink[] {
    return this.links;
  }

  /** The links as escaped HTML for the bar, each with id `link-<n>`. */
  html(): string {
    return this.links.map((link, index) => `<a id="link-${index}" href="${escapeHtml(link.url)}">${escapeHtml(link.label)} ↗</a>`).join(' ');
  }
}

/** Data for a page's script, as a JSON `<script>` whose text cannot close the element. */
export function pageData(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return `<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}
