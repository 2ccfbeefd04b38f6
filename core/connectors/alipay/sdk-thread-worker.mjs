// The worker side of sdk-thread.ts: official alipay-sdk clients, one per connector, whose exec()
// (sign the request, HTTP, verify the answer) and pageExec() (sign a URL) run on this thread instead
// of the core's event loop. Plain JavaScript: a worker thread starts without the parent's TypeScript
// loader. Keys arrive as PEM and are parsed once into KeyObjects, as sdk.ts does on the main thread.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { AlipaySdk } from 'alipay-sdk';

const sdks = new Map();

async function answer(request) {
  switch (request.kind) {
    case 'open': {
      const sdk = new AlipaySdk(request.config);
      sdk.config.privateKey = createPrivateKey(request.config.privateKey);
      sdk.config.alipayPublicKey = createPublicKey(request.config.alipayPublicKey);
      sdks.set(request.sdkId, sdk);
      return null;
    }
    case 'exec':
      return sdkOf(request).exec(request.method, request.params, request.options);
    case 'pageExec':
      return sdkOf(request).pageExec(request.method, request.httpMethod, request.params);
    case 'close':
      sdks.delete(request.sdkId);
      return null;
    default:
      throw new TypeError(`sdk thread: unknown request ${String(request.kind)}`);
  }
}

function sdkOf(request) {
  const sdk = sdks.get(request.sdkId);
  if (!sdk) throw new Error(`sdk thread: no SDK ${request.sdkId} (opened before use, never after close)`);
  return sdk;
}

parentPort.on('message', (request) => {
  answer(request).then(
    (value) => parentPort.postMessage({ id: request.id, ok: true, value }),
    (error) => parentPort.postMessage({ id: request.id, ok: false, name: error?.name ?? 'Error', message: String(error?.message ?? error) }),
  );
});
