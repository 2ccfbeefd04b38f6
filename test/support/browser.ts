// What a buyer's browser does with the strings `sdk.pageExec` returns: follow the GET link, or submit
// the auto-posting form, then act on the cashier page. Plain fetch with manual redirects, so every hop
// can be checked.

export interface PageForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

const htmlEntities: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#39;': "'" };
const unescapeHtml = (text: string) => text.replace(/&(quot|amp|lt|gt|#39);/g, (entity) => htmlEntities[entity]!);

/** Reads the form the SDK generates: its action URL and its hidden inputs. */
export function parsePageForm(html: string): PageForm {
  const action = /<form[^>]*\saction="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error(`no <form action> in ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) fields[match[1]!] = unescapeHtml(match[2]!);
  return { action: unescapeHtml(action), fields };
}

/** Submits the SDK's form as a browser would: a form-urlencoded POST to its action. */
export function submitPageForm(html: string): Promise<Response> {
  const form = parsePageForm(html);
  return fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
    redirect: 'manual',
  });
}

/** Opens the SDK's GET link. */
export function openPageLink(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

/** The cashier path (`/cashier/<token>`) a gateway answer redirects to; fails the test otherwise. */
export async function cashierPathOf(response: Response): Promise<string> {
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`expected a 302 to the cashier, got ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return location;
}

/** Posts the buyer's choice from the cashier page. */
export function buyerChooses(baseUrl: string, cashierPath: string, action: 'pay' | 'insufficient' | 'cancel'): Promise<Response> {
  return fetch(`${baseUrl}${cashierPath}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action }).toString(),
    redirect: 'manual',
  });
}
