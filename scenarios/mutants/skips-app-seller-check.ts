// Takes a verified notify as this merchant's whatever app and seller it names: the connector's claim of
// identity is replaced by the merchant's own before the callbacks see it, so their check always passes.
import type { ChannelNotification } from '../../core/connectors/channel.ts';
import { createChannelCallbacks } from '../../core/services/channel-callbacks.ts';
import { defineMutant, withChannels } from './mutant.ts';

export default defineMutant({
  name: 'skips-app-seller-check',
  breaks: "a notify must name this merchant's app and seller before anything in it is believed",
  why:
    'The signature verified with the channel\'s key, so the message "must be for us"; but that key signs for every app of the ' +
    "account (and WeChat Pay's platform key for every merchant), so another merchant's trade verifies just as well. " +
    'Seed 000 (通知): check the signature, then the app, the seller and the amount.',
  components: {
    callbacks: (context, dependencies) =>
      createChannelCallbacks(
        withChannels(context, (channel) => ({
          async verifyNotification(incoming): Promise<ChannelNotification> {
            const notification = await channel.verifyNotification(incoming);
            if (notification.kind !== 'payment' && notification.kind !== 'refund') return notification;
            return { ...notification, appId: channel.appId, ...(channel.sellerId !== undefined ? { sellerId: channel.sellerId } : {}) };
          },
        })),
        dependencies,
      ),
  },
  killers: ['notification-names-another-app'],
});
