// The control API has no authentication, and GET /_sim/apps shows the merchants' private keys: on a
// loopback address only this machine reaches it, on any other address the network does. So binding
// beyond loopback is allowed (a container, a test box) but never silent.
import type { AddressInfo } from 'node:net';

const isLoopback = (address: string) => address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';

/** The warning to print when the simulator listens at `address`, or undefined on loopback. */
export function bindWarning(address: AddressInfo): string | undefined {
  if (isLoopback(address.address)) return undefined;
  const where = address.address === '0.0.0.0' || address.address === '::' ? 'every network interface' : `${address.address}, beyond loopback`;
  return (
    `the simulator listens on ${where} (port ${address.port}): its control API (/_sim) has no authentication, so ` +
    'anyone who can reach this port can install faults, pay trades and read the merchants\' private keys (GET /_sim/apps). ' +
    'Use --host 127.0.0.1 unless this network is yours alone.'
  );
}
