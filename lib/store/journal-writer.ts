// Appends journal lines with group commit: one write + fdatasync at a time, and every line that arrives
// while it is in flight goes into the next one, so 64 concurrent writers cost one fsync, not 64.
// fdatasync rather than fsync: it still flushes the file size an append changes, and skips the mtime.
//
// Rotation drops the lines a new snapshot covers. It runs inside the same loop, between two writes, so
// nothing is appended to a file that is being replaced: the lines after the snapshot (the "tail",
// recorded from the moment the snapshot was taken) are written to a temp file, fsync'd and renamed over
// the journal. A crash before the rename leaves the old journal, which still holds every line.

import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openPrivate } from '../private-files.ts';
import { replaceFileDurably, syncDirectory, writeAll } from './durable-files.ts';

export type JournalRotationPhase = 'journal.synced' | 'journal.renamed';

interface Waiter {
  readonly seq: number;
  resolve(): void;
  reject(error: Error): void;
}

export class JournalWriter {
  /** Bytes in the journal file plus the lines waiting to be written. */
  bytes: number;
  fsyncs = 0;
  private pending: string[] = [];
  private appendedSeq: number;
  private durableSeq: number;
  private waiters: Waiter[] = [];
  private tail: string[] | undefined;
  private tailBytes = 0;
  private rotation: { resolve(): void; reject(error: Error): void } | undefined;
  private running = false;
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    seq: number,
    bytes: number,
    private readonly onPhase: (phase: JournalRotationPhase) => void,
  ) {
    this.appendedSeq = this.durableSeq = seq;
    this.bytes = bytes;
  }

  /** Opens the journal for appending, cutting it to `keepBytes` first (a torn tail, or lines a snapshot covers). */
  static async open(path: string, seq: number, keepBytes: number, onPhase: (phase: JournalRotationPhase) => void): Promise<JournalWriter> {
    const handle = await openPrivate(path, 'a');
    try {
      if ((await handle.stat()).size > keepBytes) {
        await handle.truncate(keepBytes);
        await handle.sync();
      }
      // The journal may have just been created, and an fsync of the file does not cover its name.
      await syncDirectory(dirname(path));
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalWriter(path, handle, seq, keepBytes, onPhase);
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  get lastSeq(): number {
    return this.appendedSeq;
  }

  append(seq: number, line: string, lineBytes: number): void {
    if (seq !== this.appendedSeq + 1) throw new Error(`bug: journal seq ${seq} appended after ${this.appendedSeq}`);
    this.pending.push(line);
    this.appendedSeq = seq;
    this.bytes += lineBytes;
    if (this.tail) {
      this.tail.push(line);
      this.tailBytes += lineBytes;
    }
    this.schedule();
  }

  /** Resolves once the line with `seq` and all before it are on disk. */
  waitFor(seq: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** From now on, remember appended lines: they are the ones the snapshot being taken will not hold. */
  startTail(): void {
    this.tail = [];
    this.tailBytes = 0;
  }

  dropTail(): void {
    this.tail = undefined;
  }

  /** Replaces the journal with the tail. Call only once the snapshot taken at startTail() is durable. */
  rotate(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.tail) return Promise.reject(new Error('bug: journal rotation without a tail'));
    const done = new Promise<void>((resolve, reject) => (this.rotation = { resolve, reject }));
    this.schedule();
    return done;
  }

  /** Stops the writer: every waiting and later commit fails with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    this.rotation?.reject(this.failure);
    this.rotation = undefined;
  }

  async close(): Promise<void> {
    try {
      await this.waitFor(this.appendedSeq);
    } finally {
      await this.handle.close();
    }
  }

  private schedule(): void {
    if (this.running || this.failure) return;
    this.running = true;
    // Start on the next turn, so every commit made in this one joins the first write.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (!this.failure && (this.rotation || this.pending.length > 0)) {
        if (this.rotation) await this.performRotation();
        else await this.writeBatch();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.fail(new Error(`journal ${this.path}: ${reason}. The store stopped accepting commits: memory is ahead of disk.`, { cause: error }));
    } finally {
      this.running = false;
    }
  }

  private async writeBatch(): Promise<void> {
    const lines = this.pending;
    const seq = this.appendedSeq;
    this.pending = [];
    await writeAll(this.handle, Buffer.from(lines.join('')));
    await this.handle.datasync();
    this.fsyncs += 1;
    this.markDurable(seq);
  }

  private async performRotation(): Promise<void> {
    const lines = this.tail ?? [];
    const seq = this.appendedSeq;
    // Pending lines are dropped here: those after the snapshot are in the tail, the others in the snapshot.
    this.tail = undefined;
    this.pending = [];
    this.bytes = this.tailBytes;
    await replaceFileDurably(this.path, `${this.path}.tmp`, Buffer.from(lines.join('')), () => this.onPhase('journal.synced'));
    this.onPhase('journal.renamed');
    const old = this.handle;
    this.handle = await openPrivate(this.path, 'a');
    await old.close();
    this.fsyncs += 1;
    this.markDurable(seq);
    // Cleared only now, so that fail() rejects the request if any step above throws.
    const request = this.rotation;
    this.rotation = undefined;
    request?.resolve();
  }

  private markDurable(seq: number): void {
    this.durableSeq = seq;
    let resolved = 0;
    while (resolved < this.waiters.length && (this.waiters[resolved] as Waiter).seq <= seq) resolved++;
    for (const waiter of this.waiters.splice(0, resolved)) waiter.resolve();
  }
}
