// The load generator of the HTTP benchmarks: autocannon's programmatic API, run as its own process so
// that it does not share the server's event loop. Each request comes from a pool of distinct,
// pre-built (pre-signed) requests, taken in turn by setupRequest; the pool is built before the timed
// part, so no signing happens while it runs. A warm-up run precedes the timed one.
// Usage: node --import tsx bench/autocannon-client.ts <options.json>; prints one JSON line of results.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface PooledRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface AutocannonOptions {
  /** The server's base URL, e.g. http://127.0.0.1:4010. */
  readonly url: string;
  readonly pool: readonly PooledRequest[];
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Text every answer must contain (e.g. `"code":"10000"`): any other answer counts as an error. */
  readonly expectInBody?: string;
}

export interface LoadResult {
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and answers without `expectInBody`. */
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time (user + system) of this load generator per request in the timed run. */
  loadCpuMsPerRequest: number;
}

async function once(options: AutocannonOptions, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const pool = options.pool; // autocannon sets Content-Length itself
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request: autocannon.Request) => {
          const pooled = pool[next++ % pool.length]!;
          return { ...request, method: pooled.method, path: pooled.path, headers: pooled.headers, body: pooled.body };
        },
      },
    ],
    ...(options.expectInBody !== undefined ? { verifyBody: (body: string | Buffer | undefined) => String(body ?? '').includes(options.expectInBody!) } : {}),
  });
}

async function run(options: AutocannonOptions): Promise<LoadResult> {
  if (options.pool.length === 0) throw new Error('autocannon-client: the request pool is empty');
  if (options.warmupSeconds > 0) await once(options, options.warmupSeconds);
  const cpu0 = process.cpuUsage();
  const result = await once(options, options.seconds);
  const cpu = process.cpuUsage(cpu0);
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    loadCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, result.requests.total),
  };
}

if (process.argv[2]) {
  const result = await run(JSON.parse(readFileSync(process.argv[2], 'utf8')) as AutocannonOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
