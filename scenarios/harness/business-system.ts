// The business system's end of the core's webhook: records every notification it is sent, on the
// scenario's clock, and answers as the scenario says (acknowledge, be down, or answer the wrong body).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../lib/clock.ts';
import type { BusinessSystemMode } from '../define.ts';

export interface Delivery {
  readonly atMs: number;
  readonly id: string;
  readonly type: string;
  readonly orderNo: string;
  readonly refundNo?: string;
  readonly amount: string;
  readonly answered: BusinessSystemMode;
}

export interface BusinessSystem {
  readonly url: string;
  readonly deliveries: readonly Delivery[];
  mode: BusinessSystemMode;
  close(): Promise<void>;
}

export async function startBusinessSystem(clock: Clock): Promise<BusinessSystem> {
  const deliveries: Delivery[] = [];
  const state = { mode: 'success' as BusinessSystemMode };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = state.mode;
      try {
        const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        deliveries.push({ atMs: clock.now(), id: String(message.id), type: String(message.type), orderNo: String(message.orderNo), ...(message.refundNo ? { refundNo: String(message.refundNo) } : {}), amount: String(message.amount), answered });
      } catch {
        // an unreadable message is still answered; it simply is not recorded
      }
      if (answered === 'success') response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      else if (answered === 'wrongBody') response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      else response.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/business-webhook`;
  return {
    url,
    deliveries,
    get mode() {
      return state.mode;
    },
    set mode(mode: BusinessSystemMode) {
      state.mode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
