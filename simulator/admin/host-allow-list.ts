// The names a request may use to reach the control API. A DNS-rebinding page reaches 127.0.0.1 under
// its own name (`Host: evil.example:4010`), so the Host header is checked against the addresses the
// simulator listens on; and a page's Origin is its scheme and host, checked against the same list.
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

interface HostEntry {
  readonly hostname: string;
  /** Absent: any port (a name given without one, e.g. behind a proxy on port 80). */
  readonly port?: string;
}

/** `name`, `name:port`, `1.2.3.4:port`, `[::1]:port` → its parts, lower-cased; undefined if malformed. */
export function parseHost(value: string): HostEntry | undefined {
  const text = value.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  return { hostname: match[1]!, ...(match[2] !== undefined ? { port: String(Number(match[2])) } : {}) };
}

export class HostAllowList {
  private readonly entries: readonly HostEntry[];

  constructor(readonly names: readonly string[]) {
    this.entries = names.map((name) => {
      const entry = parseHost(name);
      if (!entry) throw new Error(`"${name}" is not a host name or address with an optional port, such as paysim.test or paysim.test:4010`);
      return entry;
    });
  }

  /** Whether a Host header (or an Origin's host) names this simulator. */
  allows(host: string | undefined): boolean {
    const candidate = host === undefined ? undefined : parseHost(host);
    if (!candidate) return false;
    return this.entries.some((entry) => entry.hostname === candidate.hostname && (entry.port === undefined || entry.port === candidate.port));
  }
}

const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);
const wildcardAddresses = new Set(['0.0.0.0', '::']);

/**
 * The names of a server listening at `address`: its own address and the loopback names, with the real
 * port (port 0 has become one by now); on a wildcard address, every interface's address too.
 */
export function listeningHostNames(address: AddressInfo): string[] {
  const port = address.port;
  const addresses = new Set(['localhost', '127.0.0.1', '::1', address.address]);
  if (wildcardAddresses.has(address.address)) {
    for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) addresses.add(info.address);
  }
  addresses.delete('0.0.0.0');
  addresses.delete('::');
  return [...addresses].map((name) => `${bracketed(name.split('%')[0]!)}:${port}`);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The allow-list of one simulator: the configured names, plus its listening names once it listens. */
export class ControlApiHosts {
  private readonly extra: readonly string[];
  private list: HostAllowList;

  constructor(allowedHosts: readonly string[], publicBaseUrl?: string) {
    const publicHost = publicBaseUrl === undefined ? undefined : hostOf(publicBaseUrl);
    this.extra = [...allowedHosts, ...(publicHost ? [publicHost] : [])];
    // Until listen() knows the port, the loopback names on any port: the app may be mounted on a server
    // of the caller's own.
    this.list = new HostAllowList([...this.extra, 'localhost', '127.0.0.1', '[::1]']);
  }

  get current(): HostAllowList {
    return this.list;
  }

  listeningAt(address: AddressInfo): void {
    this.list = new HostAllowList([...listeningHostNames(address), ...this.extra]);
  }
}
