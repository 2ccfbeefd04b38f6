// Which notify URLs WeChat Pay takes (docs/wechatpay-protocol.md §6.1: https, no query string). Plain
// http is taken on loopback only, so that a developer's local server can receive notifications.

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Why a notify URL is refused, or undefined when it is fine. */
export function notifyUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '必须是绝对 URL';
  }
  if (url.search !== '') return '不能携带查询参数';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (loopbackHosts.has(url.hostname) || url.hostname.startsWith('127.'))) return undefined;
  return '必须是 https URL（回环地址上也可以是 http）';
}
