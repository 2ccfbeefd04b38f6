// The control API has no authentication (it is a developer's local tool), so it must not be steerable
// by the web pages open in that developer's browser:
// - a "simple" cross-site POST (text/plain or a form) needs no CORS preflight: only JSON bodies are read;
// - a page of another origin says so in Origin: refused, whatever it sends;
// - a DNS-rebinding page reaches 127.0.0.1 under its own name: Host must be one of this simulator's.
// The channel's own paths (gateway, v3, cashier) are not behind this guard: SDKs call them under any name.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HostAllowList } from './host-allow-list.ts';
import { sendAdminError } from './errors.ts';

const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** application/json, or any `+json` type, with or without parameters such as charset. */
export function isJsonContentType(value: string): boolean {
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The host of an http(s) Origin, or undefined for `null`, other schemes and garbage. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

const fixHint = 'start the simulator with --allowed-host NAME (SimulatorOptions.allowedHosts) to allow another name; see README "Control API"';

export function controlApiGuard(allowList: () => HostAllowList): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const hosts = allowList();
    const host = req.headers.host;
    if (!hosts.allows(host)) {
      return sendAdminError(res, 'HOST_NOT_ALLOWED', `Host ${JSON.stringify((host ?? '').slice(0, 100))} is not an address of this simulator (${hosts.names.join(', ')}); ${fixHint}`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.allows(originHost(origin))) {
      return sendAdminError(
        res,
        'ORIGIN_NOT_ALLOWED',
        `requests from web pages of another origin (${JSON.stringify(origin.slice(0, 100))}) are refused: the control API changes state and shows private keys. Call it from a script or curl, which send no Origin; ${fixHint}`,
      );
    }
    if (!readOnlyMethods.has(req.method)) {
      const type = req.headers['content-type'];
      if (type === undefined ? hasBody(req) : !isJsonContentType(type)) {
        return sendAdminError(res, 'UNSUPPORTED_MEDIA_TYPE', `the control API reads JSON only: send the body with content-type: application/json (got ${JSON.stringify(type ?? 'none')})`);
      }
    }
    next();
  };
}
