// The buyers of the end-to-end benchmark (bench/core.ts), run in a worker thread so that the load
// generator does not share the event loop of the core and simulator it measures (as autocannon runs in
// its own process for the query rate). Plain JavaScript: a worker thread starts without the parent's
// TypeScript loader. Each buyer, closed loop: create an order at the core, pay it by QR, pay at the
// simulator, and wait until the core says the order is paid (the main thread forwards `order.paid`
// as {orderNo} messages). workerData: {coreUrl, simUrl, buyers, warmupMs, seconds, firstSequence};
// posts {done: {latenciesMs, errors, firstError, lastSequence}}.
import { parentPort, workerData } from 'node:worker_threads';

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function run(input) {
  const waiting = new Map();
  const paidEarly = new Set();
  parentPort.on('message', (message) => {
    const resolve = waiting.get(message.orderNo);
    if (resolve) resolve();
    else paidEarly.add(message.orderNo);
  });
  const latenciesMs = [];
  let errors = 0;
  let firstError;
  let sequence = input.firstSequence;
  const warmupEndMs = performance.now() + input.warmupMs;
  const endMs = warmupEndMs + input.seconds * 1000;
  async function buyer() {
    while (performance.now() < endMs) {
      const startedMs = performance.now();
      try {
        const n = ++sequence;
        const order = await post(`${input.coreUrl}/api/orders`, { outOrderNo: `BENCH-${n}`, amount: `${1 + (n % 500)}.00`, subject: 'bench' });
        const paid = new Promise((resolve) => (paidEarly.delete(order.orderNo) ? resolve() : waiting.set(order.orderNo, resolve)));
        const payment = await post(`${input.coreUrl}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr', buyerId: `bench-buyer-${n}` });
        await post(`${input.simUrl}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo });
        await paid;
        waiting.delete(order.orderNo);
        const doneMs = performance.now();
        if (startedMs >= warmupEndMs && doneMs <= endMs) latenciesMs.push(doneMs - startedMs);
      } catch (error) {
        if (errors === 0) firstError = String(error?.message ?? error).slice(0, 300);
        errors += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: input.buyers }, () => buyer()));
  return { latenciesMs, errors, firstError, lastSequence: sequence };
}

parentPort.postMessage({ done: await run(workerData) });
