import { WebSocket } from 'undici';

/** A minimal Chrome DevTools Protocol client: enough to drive Node's inspector the way a debugger does. */
export class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params);
      }
    });
    ws.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector connection closed'));
      this.pending.clear();
    });
  }

  /** Connects to the first target the inspector at host:port lists. */
  static async connect(host: string, port: number): Promise<Cdp> {
    const list = (await (await fetch(`http://${host}:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const url = new URL(list[0].webSocketDebuggerUrl);
    url.host = `${host}:${port}`;
    const ws = new WebSocket(url.toString());
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`cannot open ${url}`)));
    });
    return new Cdp(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  on<T>(method: string, listener: (params: T) => void): void {
    const list = this.listeners.get(method) ?? [];
    list.push(listener as (params: unknown) => void);
    this.listeners.set(method, list);
  }

  close(): void {
    this.ws.close();
  }
}
