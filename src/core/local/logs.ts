import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import type Docker from 'dockerode';

/** One line of a function's output, tagged with the invocation it belongs to. */
export interface LogEntry {
  logicalId: string;
  /** The invocation running when the line arrived (init output belongs to the invocation that started the container; late lines to the last one). */
  requestId?: string;
  /** 'platform' lines are Lambda's own: START, END, REPORT, timeouts. */
  stream: 'stdout' | 'stderr' | 'platform';
  line: string;
  /** Arrival time, ms since the epoch. */
  at: number;
}

/** Splits a byte stream into lines; a partial last line waits for its end (or for flush). */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + chunk.toString();
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  flush(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}

/** A container's output as it arrives. */
export interface AttachedLines {
  /** Hands on a partial last line (the container ended without a newline). */
  flush(): void;
  /** Settles once the engine has ended the stream (the container's output is closed): every line is in. */
  ended: Promise<void>;
  /** Whether `ended` has settled. */
  readonly isEnded: boolean;
  /** Lets go of the stream (the engine never ends one of a container that never started). */
  close(): void;
}

/**
 * Attaches to a created (not yet started) container's stdout and stderr, so no line of its init
 * is missed, and calls onLine for every line as it arrives. Resolves once attached.
 */
export async function attachLines(docker: Docker, container: Docker.Container, onLine: (stream: 'stdout' | 'stderr', line: string) => void): Promise<AttachedLines> {
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const out = new LineSplitter((l) => onLine('stdout', l));
  const err = new LineSplitter((l) => onLine('stderr', l));
  const sink = (splitter: LineSplitter): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        splitter.push(chunk);
        done();
      },
    });
  docker.modem.demuxStream(stream, sink(out), sink(err));
  const flush = (): void => {
    out.flush();
    err.flush();
  };
  let isEnded = false;
  const ended = new Promise<void>((resolve) => {
    const done = (): void => {
      flush();
      isEnded = true;
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
  return {
    flush,
    ended,
    get isEnded() {
      return isEnded;
    },
    close: () => (stream as NodeJS.ReadWriteStream & { destroy(): void }).destroy(),
  };
}

/** The last `tail` lines a container printed, both streams, from the log its engine keeps (for a container that has ended). */
export async function loggedLines(container: Docker.Container, tail: number): Promise<string[]> {
  const raw = await container.logs({ stdout: true, stderr: true, tail, follow: false });
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      splitter.push(chunk);
      done();
    },
  });
  // The engine frames each stream's output (no terminal): docker-modem's demuxer reads the frames.
  const source = Readable.from([Buffer.from(raw)], { objectMode: false });
  const ended = once(source, 'end');
  (container.modem as Docker['modem']).demuxStream(source, sink, sink);
  await ended;
  splitter.flush();
  return lines;
}
