// Log lines are one more listener on the engine's events: one structured line per exchange,
// notification attempt, injected fault and state change. Nothing in the engine logs directly.
import pino, { type Logger } from 'pino';
import type { Engine } from './engine/engine.ts';
import type { SimEvent } from './engine/events.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'silent';

/** What one event says in a log line: the journal holds the full bodies, the log only a summary. */
function summary(event: SimEvent): Record<string, unknown> {
  switch (event.type) {
    case 'http.exchange':
      return { api: event.api, method: event.exchange.method, path: event.exchange.path.split('?')[0], status: event.exchange.status };
    case 'notify.attempted':
      return { notificationId: event.notificationId, attempt: event.attempt, url: event.url, status: event.status, acknowledged: event.acknowledged, error: event.error };
    default: {
      const { type: _type, atMs: _atMs, ...rest } = event;
      return rest;
    }
  }
}

const levelOf = (event: SimEvent): 'debug' | 'info' | 'warn' => {
  if (event.type === 'fault.injected' || event.type === 'notify.exhausted') return 'warn';
  if (event.type === 'notify.scheduled' || event.type === 'trade.visible') return 'debug';
  return 'info';
};

export function attachLogger(engine: Engine, level: LogLevel, destination: NodeJS.WritableStream = process.stdout): Logger {
  const logger = pino({ level, base: undefined, timestamp: false }, destination as pino.DestinationStream);
  engine.events.on('*', (event) => {
    logger[levelOf(event)]({ event: event.type, at: new Date(event.atMs).toISOString(), ...summary(event) });
  });
  return logger;
}
