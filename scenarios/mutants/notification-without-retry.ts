// Sends each business-system notification once: a failed attempt is never retried nor queued for a person.
import { createMerchantNotifier } from '../../core/services/merchant-notifier.ts';
import { defineMutant, withScheduler } from './mutant.ts';

export default defineMutant({
  name: 'notification-without-retry',
  breaks: 'business-system notifications are retried on growing intervals, then queued for a person',
  why:
    'The message to the order system is "fire and forget" because the payment itself is safe; the order system never hears ' +
    'of the payment and the goods never ship. Seed 001 (支付产品与业务流程): notify the business system with retries and a manual queue.',
  components: {
    notifications: (context, dependencies) => {
      const armed = new Set<string>();
      return createMerchantNotifier(
        withScheduler(context, (arm, key, atMs, task) => {
          if (key.startsWith('notification:')) {
            if (armed.has(key)) return;
            armed.add(key);
          }
          arm(key, atMs, task);
        }),
      );
    },
  },
  killers: ['business-system-down'],
});
