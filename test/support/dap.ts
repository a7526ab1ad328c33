import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface StackFrame {
  id: number;
  line: number;
  name: string;
  source?: { path?: string };
}

/** What the debugger showed at a stop: the top frame, an expression's value there, and when (performance.now()). */
export interface Stop {
  frame: StackFrame;
  value: string;
  at: number;
}

/**
 * A minimal Debug Adapter Protocol client over TCP (Content-Length framed JSON): enough to drive
 * debugpy the way VS Code's Python debugger does when it attaches.
 */
export class Dap {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Map<string, ((body: unknown) => void)[]>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('debug adapter connection closed'));
      this.pending.clear();
    });
  }

  static connect(host: string, port: number): Promise<Dap> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new Dap(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a request; resolves with the response's body, rejects with its message when it failed. */
  request<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    const seq = this.seq++;
    const json = JSON.stringify({ seq, type: 'request', command, arguments: args });
    this.socket.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    return new Promise<T>((resolve, reject) => this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject }));
  }

  on<T>(event: string, listener: (body: T) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (body: unknown) => void);
    this.listeners.set(event, list);
  }

  /** The next `event`'s body. */
  once<T>(event: string): Promise<T> {
    return new Promise((resolve) => {
      let done = false;
      this.on<T>(event, (body) => {
        if (!done) resolve(body);
        done = true;
      });
    });
  }

  /**
   * At each stop, as the editor's tracker does: pauses the invocation's clock, reads the top frame
   * and evaluates `expression` in it, stays stopped `holdMs`, then resumes the clock and continues.
   */
  onStop(clock: { pause(): void; resume(): void }, expression: string, holdMs: number, seen: (stop: Stop) => void): void {
    this.on<{ threadId: number }>('stopped', (stop) => {
      const at = performance.now();
      void (async () => {
        clock.pause();
        const { stackFrames } = await this.request<{ stackFrames: StackFrame[] }>('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 });
        const evaluated = await this.request<{ result: string }>('evaluate', { expression, frameId: stackFrames[0].id, context: 'watch' });
        seen({ frame: stackFrames[0], value: evaluated.result, at });
        await new Promise((r) => setTimeout(r, holdMs));
        clock.resume();
        await this.request('continue', { threadId: stop.threadId });
      })();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as {
        type: string;
        request_seq?: number;
        success?: boolean;
        message?: string;
        body?: unknown;
        event?: string;
      };
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (msg.type === 'response' && msg.request_seq !== undefined) {
        const p = this.pending.get(msg.request_seq);
        this.pending.delete(msg.request_seq);
        if (msg.success) p?.resolve(msg.body);
        else p?.reject(new Error(msg.message ?? 'request failed'));
      } else if (msg.type === 'event' && msg.event) {
        for (const l of this.listeners.get(msg.event) ?? []) l(msg.body);
      }
    }
  }
}
