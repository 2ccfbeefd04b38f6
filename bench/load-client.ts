// A closed-loop HTTP load generator, run as its own process so that it does not share the server's
// event loop: N connections each send the same request back to back for a fixed time.
// Usage: node --import tsx bench/load-client.ts <json options>; prints one JSON line of results.
import http from 'node:http';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function run(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let errors = 0;
  const once = () =>
    new Promise<void>((resolve) => {
      const request = http.request(
        { agent, hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method, headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) } },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) errors++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(options.body);
    });
  const loop = async (untilMs: number, record: boolean) => {
    while (performance.now() < untilMs) {
      const started = performance.now();
      await once();
      if (record) latencies.push(performance.now() - started);
    }
  };
  const warmEnd = performance.now() + options.warmupMs;
  await Promise.all(Array.from({ length: options.connections }, () => loop(warmEnd, false)));
  const start = performance.now();
  await Promise.all(Array.from({ length: options.connections }, () => loop(start + options.durationMs, true)));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, requestsPerSecond: (latencies.length / elapsedMs) * 1000, p50Ms: at(0.5), p99Ms: at(0.99) };
}

if (process.argv[2]) {
  const result = await run(JSON.parse(process.argv[2]) as LoadOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
