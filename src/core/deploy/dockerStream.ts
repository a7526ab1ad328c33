/** One message of the Docker engine's build or push progress stream. */
export interface DockerStreamEvent {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string; Digest?: string; Tag?: string; Size?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Reads a build or push stream (one JSON object per line) to its end, passing each message on.
 * Rejects with the engine's own message when one of them carries an error: the HTTP status is
 * 200 even when the build or push failed.
 */
export function followDockerStream(stream: NodeJS.ReadableStream, onEvent: (e: DockerStreamEvent) => void): Promise<DockerStreamEvent[]> {
  return new Promise((resolve, reject) => {
    const events: DockerStreamEvent[] = [];
    let pending = '';
    let failure: Error | undefined;
    const take = (line: string): void => {
      const text = line.trim();
      if (!text) return;
      let event: DockerStreamEvent;
      try {
        event = JSON.parse(text) as DockerStreamEvent;
      } catch {
        return;
      }
      events.push(event);
      if (event.error && !failure) failure = new Error(event.errorDetail?.message ?? event.error);
      onEvent(event);
    };
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) take(line);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      take(pending);
      if (failure) reject(failure);
      else resolve(events);
    });
  });
}
