import { readFileSync, writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { InvokeReport } from './report';

/** Measures a container's memory peak, per invocation where the kernel allows it. */
export interface MemoryProbe {
  readonly source: InvokeReport['maxMemorySource'];
  /** Starts a new measuring window (called just before a warm invocation's event is handed over). */
  reset(): void;
  /** The peak since the last reset (or since start), in bytes; undefined when it cannot be read. */
  peak(): Promise<number | undefined>;
  close(): void;
}

/**
 * Opens the best probe for a running container.
 *
 * With a local engine: the peak resident memory (VmHWM) of the container's processes, listed from
 * its cgroup (v1 or v2), reset per invocation through /proc/<pid>/clear_refs. Resident memory is
 * what a process really holds, its runtime binary included, and does not depend on which
 * container first read a file. The cgroup's own peak (memory.max_usage_in_bytes, memory.peak)
 * does: page cache is charged to the first reader, so the same function measured 10 MB or 115 MB
 * depending on whether another container had run node before it.
 *
 * Otherwise (an engine in a VM or elsewhere): the engine's stats, v1's lifetime peak, or a usage
 * sample. The source is reported with every figure.
 */
export function openMemoryProbe(container: Docker.Container, pid: number | undefined, cgroupRoot = '/sys/fs/cgroup', proc = '/proc'): MemoryProbe {
  if (pid && readHwm(proc, pid) !== undefined) {
    const cgroup = cgroupOf(proc, pid, container.id, cgroupRoot);
    const processes = (): number[] => (cgroup ? cgroupProcesses(cgroup) : undefined) ?? [pid];
    return rssProbe(proc, processes);
  }
  return statsProbe(container);
}

/** The container's cgroup directory (the memory controller's on v1), from its main process; works for cgroupfs and systemd drivers. */
export function cgroupOf(proc: string, pid: number, containerId: string, cgroupRoot: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(`${proc}/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined || !path.includes(containerId)) continue;
    if (controllers.split(',').includes('memory')) return `${cgroupRoot}/memory${path}`;
    if (controllers === '') return `${cgroupRoot}${path}`;
  }
  return undefined;
}

function cgroupProcesses(dir: string): number[] | undefined {
  try {
    const pids = readFileSync(`${dir}/cgroup.procs`, 'utf8')
      .split('\n')
      .map((l) => Number.parseInt(l, 10))
      .filter((n) => n > 0);
    return pids.length ? pids : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size of a process, in bytes (VmHWM in /proc/<pid>/status). */
export function readHwm(proc: string, pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`${proc}/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function rssProbe(proc: string, processes: () => number[]): MemoryProbe {
  let source: MemoryProbe['source'] = 'rss-invocation';
  let open = true;
  return {
    get source() {
      return source;
    },
    reset() {
      if (!open) return;
      for (const pid of processes()) {
        try {
          // "5" resets the peak resident set size to the current one (Linux 4.0+).
          writeFileSync(`${proc}/${pid}/clear_refs`, '5');
        } catch {
          // Not allowed (another user's process): the figure stays the peak since start.
          source = 'rss-lifetime';
        }
      }
    },
    peak() {
      if (!open) return Promise.resolve(undefined);
      let total = 0;
      let seen = false;
      for (const pid of processes()) {
        const hwm = readHwm(proc, pid);
        if (hwm !== undefined) {
          total += hwm;
          seen = true;
        }
      }
      return Promise.resolve(seen ? total : undefined);
    },
    close() {
      open = false;
    },
  };
}

function statsProbe(container: Docker.Container): MemoryProbe {
  let source: MemoryProbe['source'] = 'stats-peak';
  return {
    get source() {
      return source;
    },
    reset() {
      // The engine's stats cannot be reset: this reports the container's lifetime peak.
    },
    async peak() {
      try {
        const stats = (await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as { memory_stats?: { max_usage?: number; usage?: number } };
        const m = stats.memory_stats;
        if (m?.max_usage) return m.max_usage;
        source = 'stats-usage';
        return m?.usage || undefined;
      } catch {
        return undefined;
      }
    },
    close() {},
  };
}
