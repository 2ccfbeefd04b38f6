// createCore takes a factory for any service: the seam deliberately buggy variants, and deployments
// with their own parts, plug into. A swapped component is the one the rest of the core calls.
import { afterEach, expect, it } from 'vitest';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { createCore, type Core } from '../../../core/app.ts';
import { createMerchantNotifier, type MerchantNotifier, type NotificationEvent } from '../../../core/services/merchant-notifier.ts';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

it('uses a merchant notifier given to createCore in place of the default one', async () => {
  const staged: NotificationEvent[] = [];
  const recordingNotifier = (...args: Parameters<typeof createMerchantNotifier>): MerchantNotifier => {
    const notifier = createMerchantNotifier(...args);
    return {
      ...notifier,
      stage(event) {
        staged.push(event);
        return notifier.stage(event);
      },
    };
  };
  const core = await createCore({
    clock: new VirtualClock(virtualEpochMs),
    memory: true,
    channels: new Map(),
    config: { port: 0, checksIntervalMs: 0 },
    components: { notifications: recordingNotifier },
  });
  cores.push(core);
  await core.listen();

  const response = await fetch(`${core.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outOrderNo: 'SWAP-1', amount: '0.00', subject: 'free sample' }) });
  expect(response.status).toBe(201);
  const { orderNo } = (await response.json()) as { orderNo: string };
  // The order service, built by the default factory, reached the swapped notifier through the components.
  expect(staged).toEqual([{ type: 'order.paid', orderNo, amountFen: 0 }]);
  expect(core.context.records.notification(`order.paid:${orderNo}`)?.status).toBe('PENDING');
});
