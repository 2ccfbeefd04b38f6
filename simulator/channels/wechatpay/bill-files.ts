// Bill download tokens: a bill query stores the file's bytes under a fresh token valid 30 s (simulated
// time), which the signed GET /v3/billdownload/file?token=… redeems (docs/wechatpay-protocol.md §6.6).
// Kept in memory: a link outliving a restart would outlive its 30 s anyway.
import type { Clock } from '../../../lib/clock.ts';
import type { Random } from '../../../lib/random.ts';

export interface StoredBill {
  readonly mchid: string;
  readonly bytes: Buffer;
  readonly gzip: boolean;
  readonly expiresAtMs: number;
}

/** At most this many live links; the oldest go first. */
const linksMax = 1_000;

export class BillFiles {
  private readonly files = new Map<string, StoredBill>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly ttlMs: number,
  ) {}

  store(mchid: string, bytes: Buffer, gzip: boolean): string {
    if (this.files.size >= linksMax) this.files.delete(this.files.keys().next().value!);
    const token = this.random.hex(64);
    this.files.set(token, { mchid, bytes, gzip, expiresAtMs: this.clock.now() + this.ttlMs });
    return token;
  }

  /** The file of a live token of this merchant. */
  redeem(mchid: string, token: string): StoredBill | undefined {
    const file = this.files.get(token);
    if (!file || file.mchid !== mchid) return undefined;
    if (this.clock.now() >= file.expiresAtMs) {
      this.files.delete(token);
      return undefined;
    }
    return file;
  }
}
