// The official alipay-sdk on a worker thread (sdk-thread-worker.mjs), for the connector option
// `sdkThread`. alipay-sdk signs every request and verifies every answer synchronously inside exec();
// run on the core's event loop, that is about a third of a millisecond of RSA-2048 per call that
// nothing else can use. On the worker, the same SDK calls (the same request and response formats,
// the same validateSign check) run beside the event loop: the core awaits them like any I/O.
// One worker serves every threaded connector of the process; it is started on first use, and holds
// the process open only while a call is in flight.
import { Worker } from 'node:worker_threads';
import { packageFile } from '../../../lib/package-files.ts';

/** What crosses to the worker: the SDK's own constructor options, keys as PEM. */
export type SdkConfig = Readonly<Record<string, unknown>>;

type Request =
  | { kind: 'open'; sdkId: number; config: SdkConfig }
  | { kind: 'exec'; sdkId: number; method: string; params: Record<string, unknown>; options: Record<string, unknown> }
  | { kind: 'pageExec'; sdkId: number; method: string; httpMethod: 'GET' | 'POST'; params: Record<string, unknown> }
  | { kind: 'close'; sdkId: number };

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

/** An SDK error as the worker reported it: its name and message, as the connector reads them. */
export class SdkThreadError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

let shared: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 1;
let nextSdkId = 1;

function thread(): { worker: Worker; pending: Map<number, Pending> } {
  if (shared) return shared;
  const worker = new Worker(packageFile('core/connectors/alipay/sdk-thread-worker.mjs'));
  const pending = new Map<number, Pending>();
  const current = { worker, pending };
  worker.unref();
  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new SdkThreadError(reply.name, reply.message));
  });
  const fail = (error: Error) => {
    if (shared === current) shared = undefined;
    for (const waiter of pending.values()) waiter.reject(new SdkThreadError('SdkThreadError', `the alipay-sdk thread stopped: ${error.message}`));
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  shared = current;
  return current;
}

function call(request: Request): Promise<unknown> {
  const { worker, pending } = thread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (pending.size === 0) worker.ref();
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...request, id });
  });
}

/** An alipay-sdk client living on the SDK thread; its calls are the SDK's own, awaited. */
export interface ThreadedSdk {
  exec(method: string, params: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown>;
  pageExec(method: string, httpMethod: 'GET' | 'POST', params: Record<string, unknown>): Promise<string>;
}

export function threadedSdk(config: SdkConfig): ThreadedSdk {
  const sdkId = nextSdkId++;
  // Opened before any call: messages to the worker are handled in order.
  const opened = call({ kind: 'open', sdkId, config });
  opened.catch(() => undefined); // a failed open fails the first call too, with the same error
  return {
    exec: async (method, params, options) => {
      await opened;
      return call({ kind: 'exec', sdkId, method, params, options });
    },
    pageExec: async (method, httpMethod, params) => {
      await opened;
      return String(await call({ kind: 'pageExec', sdkId, method, httpMethod, params }));
    },
  };
}
