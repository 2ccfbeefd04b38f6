// Answers a verified notify at once and handles it behind: the notification goes on an in-memory queue
// (a task on the core's scheduler) and the channel is told "success" before anything is written.
import { createChannelCallbacks } from '../../core/services/channel-callbacks.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'acknowledges-before-persisting',
  breaks: 'a notify is acknowledged only once the state it reports is durable in the core',
  why:
    'The channel cuts an attempt off after a few seconds, so the handler checks the signature, answers "success" at once and leaves ' +
    'the work to a queue or a background worker; when the process dies before the write lands, the channel has stopped resending ' +
    'and the payment is known only to it. Seed 000 (支付、通知、查询、退款、对账): answer the agreed value after the information ' +
    'is checked and recorded.',
  components: {
    callbacks: (context, dependencies) => {
      const real = createChannelCallbacks(context, dependencies);
      let queued = 0;
      return {
        ...real,
        async notify(channelName, incoming) {
          const channel = context.channels.get(channelName);
          if (!channel) return undefined;
          const notification = await channel.verifyNotification(incoming);
          if (notification.kind === 'invalid') return real.notify(channelName, incoming);
          queued += 1;
          context.scheduler.arm(`notify-behind:${queued}`, context.clock.now(), async () => void (await real.notify(channelName, incoming)));
          return { verdict: 'acknowledged', reason: 'acknowledged at once, handled behind', wire: channel.notifyReply('acknowledged') };
        },
      };
    },
  },
  killers: ['core-crashes-as-notification-arrives', 'wechatpay-core-crashes-as-notification-arrives'],
});
