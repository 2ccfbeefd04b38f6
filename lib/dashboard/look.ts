// The one look of paysim's pages: the simulator's dashboard, the core's, and the scenario report. A
// stylesheet and a page shell as strings, so a server can send them and a report can inline them
// (a self-contained file needs no network). No fonts or scripts from anywhere else.
import { escapeHtml } from '../http.ts';
import { timelineCss } from './timeline.ts';

export const pageCss = `:root{--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--bg:#f6f7f9;--card:#fff;--accent:#3b5bdb;--ok:#12805c;--okbg:#e6f6ef;
--warn:#a15c07;--warnbg:#fff4e0;--bad:#b42318;--badbg:#fdecea;--idle:#475467;--idlebg:#eef0f3;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent);text-decoration:none} a:hover{text-decoration:underline}
header.bar{position:sticky;top:0;z-index:5;display:flex;align-items:center;gap:1.5rem;padding:0 1.25rem;height:52px;background:#101828;color:#fff}
header.bar .brand{font-weight:650;letter-spacing:.01em;white-space:nowrap} header.bar .brand small{font-weight:400;color:#98a2b3;margin-left:.4rem}
header.bar nav{display:flex;gap:.25rem;height:100%} header.bar nav a{display:flex;align-items:center;padding:0 .8rem;color:#d0d5dd;border-bottom:3px solid transparent}
header.bar nav a:hover{color:#fff;text-decoration:none} header.bar nav a.active{color:#fff;border-bottom-color:#7a9bff}
header.bar .side{margin-left:auto;display:flex;align-items:center;gap:.75rem;color:#d0d5dd;font-size:13px;white-space:nowrap}
header.bar .side a{color:#b4c6ff}
main{padding:1.1rem 1.25rem 2rem;max-width:1400px;margin:0 auto}
h1{font-size:1.25rem;margin:.2rem 0 1rem} h2{font-size:1rem;margin:0 0 .75rem} h3{font-size:.9rem;margin:1rem 0 .5rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin-bottom:1rem}
.card>h2{display:flex;align-items:center;gap:.6rem} .card>h2 .count{color:var(--muted);font-weight:400}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem}
.row{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
table{width:100%;border-collapse:collapse;font-size:13px} th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top} tr:last-child td{border-bottom:0}
tbody tr:hover{background:#fafbfc}
.nowrap{white-space:nowrap;flex-wrap:nowrap} .line+.line{margin-top:.35rem} .summary{overflow-wrap:anywhere}
.mono,code{font-family:var(--mono);font-size:12.5px} .muted{color:var(--muted)} .small{font-size:12px} .right{text-align:right}
.pill{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:12px;font-weight:600;background:var(--idlebg);color:var(--idle);white-space:nowrap}
.pill.ok{background:var(--okbg);color:var(--ok)} .pill.warn{background:var(--warnbg);color:var(--warn)} .pill.bad{background:var(--badbg);color:var(--bad)}
button,.button{font:inherit;font-size:13px;padding:.35rem .75rem;border-radius:7px;border:1px solid #c9ced8;background:#fff;color:var(--ink);cursor:pointer}
button:hover{border-color:var(--accent)} button.primary{background:var(--accent);border-color:var(--accent);color:#fff} button.danger{color:var(--bad)}
button:disabled{opacity:.5;cursor:not-allowed}
input,select,textarea{font:inherit;font-size:13px;padding:.32rem .5rem;border:1px solid #c9ced8;border-radius:7px;background:#fff;color:var(--ink)}
textarea{font-family:var(--mono);font-size:12px;width:100%}
label.field{display:flex;flex-direction:column;gap:.2rem;font-size:12px;color:var(--muted)}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:.6rem;margin:.6rem 0}
.empty{color:var(--muted);padding:.8rem 0;font-style:italic}
.notice{padding:.6rem .8rem;border-radius:8px;background:var(--warnbg);color:var(--warn);margin-bottom:1rem}
.done{padding:.6rem .8rem;border-radius:8px;background:var(--okbg);color:var(--ok);box-shadow:0 2px 8px #0002}
.error{padding:.6rem .8rem;border-radius:8px;background:var(--badbg);color:var(--bad);margin:.5rem 0}
.attempts{margin:.3rem 0 0;padding:0;list-style:none;font-size:12.5px} .attempts li{padding:.15rem 0;display:flex;gap:.6rem;align-items:baseline}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:0} dl.facts dt{color:var(--muted)} dl.facts dd{margin:0}
.journal{font-family:var(--mono);font-size:12px;max-height:560px;overflow:auto;border:1px solid var(--line);border-radius:8px;background:#fcfcfd}
.journal div.entry{display:grid;grid-template-columns:4.5rem 9.5rem 10rem 1fr;gap:.6rem;padding:.25rem .6rem;border-bottom:1px solid #f0f1f4}
.journal .seq{color:var(--muted)}
#toast{position:fixed;right:1rem;bottom:1rem;max-width:28rem;z-index:9}
`;

export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly id?: string;
}

export interface PageShell {
  readonly title: string;
  /** The product part shown beside the brand, e.g. "channel simulator". */
  readonly product: string;
  readonly nav: readonly NavItem[];
  /** Already-escaped HTML of the right side of the bar (clock, links). */
  readonly sideHtml?: string;
  /** Already-escaped HTML of the page body. */
  readonly bodyHtml: string;
  /** Script paths of the same origin, loaded as modules. */
  readonly scripts?: readonly string[];
  /** Inline the stylesheet (the report); otherwise link the served one. */
  readonly inlineCss?: boolean;
  readonly cssHref?: string;
}

export function pageShell(page: PageShell): string {
  const css = page.inlineCss || !page.cssHref ? `<style>${pageCss}${timelineCss}</style>` : `<link rel="stylesheet" href="${escapeHtml(page.cssHref)}">`;
  const nav = page.nav.map((item) => `<a href="${escapeHtml(item.href)}"${item.id ? ` id="${escapeHtml(item.id)}"` : ''}>${escapeHtml(item.label)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.title)}</title><link rel="icon" href="data:,">${css}</head>
<body><header class="bar"><div class="brand">paysim<small>${escapeHtml(page.product)}</small></div><nav>${nav}</nav><div class="side">${page.sideHtml ?? ''}</div></header>
<main>${page.bodyHtml}</main><div id="toast"></div>
${(page.scripts ?? []).map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('\n')}
</body></html>`;
}
