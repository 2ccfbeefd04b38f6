// The verifier replays each request exactly as the consumer test recorded it, with the timestamp and
// signature of that moment. A real gateway would judge such a request stale, so this filter plays the
// merchant once more: it stamps the replay with the provider's "now" and signs it again with the
// merchant's key (docs/alipay-protocol.md §2.3: query and form merged, every parameter but `sign` and
// empty values, sorted). Only `/gateway.do` requests are touched; state set-up calls pass through.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { merchantSignature } from '../../support/alipay-wire.ts';

export interface ResignOptions {
  /** The provider's clock: the timestamp the replay carries. */
  readonly nowMs: () => number;
  /** The private key to sign with: the merchant's, or another one when a state says so. */
  readonly privateKeyPem: () => string;
}

/** The form fields the verifier's proxy parsed (body-parser urlencoded), as strings. */
function formFields(body: unknown): URLSearchParams | undefined {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return undefined;
  const fields = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new Error(`re-sign: form field ${name} is not a plain string (${JSON.stringify(value)}); the recorded body is not a flat form`);
    fields.append(name, value);
  }
  return fields;
}

export function resignGatewayRequests(options: ResignOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.path !== '/gateway.do') return next();
    const url = new URL(req.url, 'http://provider.invalid');
    const query = url.searchParams;
    const form = formFields(req.body);
    const timestamp = formatBeijingDateTime(options.nowMs());
    // The timestamp stays where the SDK put it (the query string), or goes to the form if it was there.
    (form?.has('timestamp') ? form : query).set('timestamp', timestamp);
    query.delete('sign');
    form?.delete('sign');
    const params = Object.fromEntries([...query, ...(form ?? [])]);
    query.set('sign', merchantSignature(params, options.privateKeyPem()));
    req.url = `${url.pathname}?${query.toString()}`;
    if (form) {
      // The proxy forwards req.body: as a Buffer it goes out as is, as an object it would go out as JSON.
      const bytes = Buffer.from(form.toString(), 'utf8');
      req.body = bytes;
      req.headers['content-length'] = String(bytes.length);
    }
    next();
  };
}
