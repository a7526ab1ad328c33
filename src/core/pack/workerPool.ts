import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { type CompressOutcome, compressSync, type KnownStats, probeSaysStore, type RestatResult, runJob, type StatColumns, type WorkerJob, workerMain } from './compressCore';

/**
 * Workers get their code as source text: the extension ships as one bundled file, so there is no
 * separate worker script to point at. The functions are self-contained (see compressCore.ts).
 */
const WORKER_SOURCE = `"use strict";${probeSaysStore.toString()}\n(${workerMain.toString()})(require, ${runJob.toString()}, ${compressSync.toString()});`;

/** One worker per core, leaving none idle: the main thread mostly waits while workers compress. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

interface Pending {
  job: WorkerJob;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  busy?: { id: number; pending: Pending };
}

/**
 * Worker threads that read, checksum and deflate files (and stat paths) in parallel, each running
 * zlib synchronously: per-call async zlib costs more than deflating a small file. Workers start on
 * first use, keep the process alive only while they have work, and stay for the next measurement.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(readonly size = defaultPoolSize()) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`worker count must be a whole number >= 0, not ${size}`);
  }

  /** Starts the workers now, so they are ready when the first job comes (they start on first use otherwise). */
  warmUp(): void {
    if (this.disposed) return;
    while (this.slots.length < this.size) this.spawn();
  }

  compress(job: Extract<WorkerJob, { kind: 'compress' }>): Promise<CompressOutcome[]> {
    return this.run(job) as Promise<CompressOutcome[]>;
  }

  /** Stats the paths (following symlinks), in order; a string is paths already NUL-joined. */
  stat(paths: readonly string[] | string): Promise<StatColumns> {
    return this.run({ kind: 'stat', paths: typeof paths === 'string' ? paths : paths.join('\0') }) as Promise<StatColumns>;
  }

  /** Stats paths[from...] again against `known` (shared memory), updating it; answers with what changed. */
  restat(paths: string, from: number, known: KnownStats): Promise<RestatResult> {
    return this.run({ kind: 'restat', paths, from, known }) as Promise<RestatResult>;
  }

  /** Runs a job on a worker, or on this thread when the pool has no workers. */
  private run(job: WorkerJob): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('the compression pool was disposed'));
    if (this.size === 0) {
      try {
        return Promise.resolve(runJob({ fs, zlib }, job, compressSync));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift() as Pending;
      const id = this.nextId++;
      slot.busy = { id, pending };
      slot.worker.ref();
      slot.worker.postMessage({ id, job: pending.job });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker };
    worker.on('message', (msg: { id: number; result?: unknown; failure?: string }) => {
      const busy = slot.busy;
      if (!busy || busy.id !== msg.id) return;
      slot.busy = undefined;
      worker.unref();
      if (msg.failure !== undefined) busy.pending.reject(new Error(msg.failure));
      else busy.pending.resolve(msg.result);
      this.pump();
    });
    const fail = (err: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.busy?.pending.reject(err);
      slot.busy = undefined;
      if (!this.disposed) this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a compression worker stopped (exit code ${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** Stops the workers; jobs still queued or running are rejected. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the compression pool was disposed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
