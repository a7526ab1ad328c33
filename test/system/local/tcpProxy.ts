import { connect, createServer, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';

/** A TCP port that forwards every connection to the engine's unix socket: the engine reached as tcp://HOST:PORT. */
export interface TcpProxy {
  host: string;
  port: number;
  /** tcp://HOST:PORT */
  url: string;
  /** Connections it has carried: proof the client really went through it. */
  connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(host: string, socketPath: string): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const engine = connect(socketPath);
    open.add(client).add(engine);
    const end = (): void => {
      client.destroy();
      engine.destroy();
      open.delete(client);
      open.delete(engine);
    };
    client.on('error', end).on('close', end);
    engine.on('error', end).on('close', end);
    client.pipe(engine).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    host,
    port,
    url: `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    get connections() {
      return connections;
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An IPv4 address of this machine on an interface other than loopback and Docker's, or undefined. */
export function nonLoopbackAddress(): string | undefined {
  for (const [name, list] of Object.entries(networkInterfaces())) {
    // Docker's own bridges and container links are this engine's network, not a way to another machine.
    if (/^(docker|br-|veth)/.test(name)) continue;
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return undefined;
}
