// Fresh order, payment and refund numbers. The random part comes from the injected stream (forked per
// run of the process, so a restarted core does not repeat the numbers it handed a channel before), and
// a number already in the store is never handed out twice. Callers commit the record in the same
// synchronous block that draws its number, so two requests cannot draw the same one.
import type { Clock } from '../../lib/clock.ts';
import type { Random } from '../../lib/random.ts';
import { assert, documentNo, type DocumentKind } from '../domain/index.ts';
import type { Records } from './records.ts';

const randomDigits = 16;
const attemptsMax = 20;

export class DocumentNumbers {
  constructor(
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly records: Records,
  ) {}

  next(kind: DocumentKind): string {
    for (let attempt = 0; attempt < attemptsMax; attempt++) {
      const number = documentNo(kind, this.clock.now(), this.random.digits(randomDigits));
      if (!this.exists(kind, number)) return number;
    }
    return assert(false, `could not draw a fresh ${kind} number in ${attemptsMax} attempts`) as never;
  }

  private exists(kind: DocumentKind, number: string): boolean {
    switch (kind) {
      case 'order':
        return this.records.order(number) !== undefined;
      case 'payment':
        return this.records.payment(number) !== undefined;
      case 'refund':
        return this.records.refund(number) !== undefined;
    }
  }
}
