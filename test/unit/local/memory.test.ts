import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { cgroupOf, openMemoryProbe, readHwm } from '../../../src/core/local/memory';

const ID = 'c0ffee'.padEnd(64, '0');

/** A /proc and /sys/fs/cgroup of our own, laid out as the kernel lays them out. */
function fakeSystem(root: string, cgroupLines: string, cgroupDir: string, pids: Record<number, number>): { proc: string; cgroup: string } {
  const proc = join(root, 'proc');
  const cgroup = join(root, 'cgroup');
  for (const [pid, hwmKb] of Object.entries(pids)) {
    mkdirSync(join(proc, pid), { recursive: true });
    writeFileSync(join(proc, pid, 'cgroup'), cgroupLines);
    writeFileSync(join(proc, pid, 'status'), `Name:\tnode\nVmPeak:\t 999 kB\nVmHWM:\t   ${hwmKb} kB\nVmRSS:\t   1 kB\n`);
    writeFileSync(join(proc, pid, 'clear_refs'), '');
  }
  mkdirSync(join(cgroup, cgroupDir), { recursive: true });
  writeFileSync(join(cgroup, cgroupDir, 'cgroup.procs'), `${Object.keys(pids).join('\n')}\n`);
  return { proc, cgroup };
}

const container = { id: ID } as Docker.Container;

describe('local: memory peak', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'lwb-mem-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('finds the container\'s cgroup on v1 (memory controller) and v2 (unified)', () => {
    const v1 = fakeSystem(join(work, 'v1'), `12:pids:/docker/${ID}\n4:memory:/docker/${ID}\n0::/\n`, `memory/docker/${ID}`, { 41: 100 });
    assert.equal(cgroupOf(v1.proc, 41, ID, v1.cgroup), `${v1.cgroup}/memory/docker/${ID}`);
    const v2 = fakeSystem(join(work, 'v2'), `0::/system.slice/docker-${ID}.scope\n`, `system.slice/docker-${ID}.scope`, { 42: 100 });
    assert.equal(cgroupOf(v2.proc, 42, ID, v2.cgroup), `${v2.cgroup}/system.slice/docker-${ID}.scope`);
    assert.equal(cgroupOf(v2.proc, 42, 'other', v2.cgroup), undefined);
  });

  it('sums the peak resident memory of the container\'s processes and resets it per invocation', async () => {
    const sys = fakeSystem(work, `4:memory:/docker/${ID}\n`, `memory/docker/${ID}`, { 41: 40_000, 57: 2_000 });
    assert.equal(readHwm(sys.proc, 41), 40_000 * 1024);
    const probe = openMemoryProbe(container, 41, sys.cgroup, sys.proc);
    assert.equal(probe.source, 'rss-invocation');
    assert.equal(await probe.peak(), 42_000 * 1024);
    probe.reset();
    assert.equal(readFileSync(join(sys.proc, '41', 'clear_refs'), 'utf8'), '5', 'clear_refs 5 resets VmHWM');
    assert.equal(readFileSync(join(sys.proc, '57', 'clear_refs'), 'utf8'), '5');
    probe.close();
    assert.equal(await probe.peak(), undefined);
  });

  it('falls back to the engine\'s stats when the processes are not visible (an engine in a VM)', async () => {
    let asked = 0;
    const remote = {
      id: ID,
      stats: () => {
        asked++;
        return Promise.resolve({ memory_stats: { usage: 5 * 1024 * 1024 } });
      },
    } as unknown as Docker.Container;
    const probe = openMemoryProbe(remote, 999_999, join(work, 'none'), join(work, 'none'));
    assert.equal(await probe.peak(), 5 * 1024 * 1024);
    assert.equal(probe.source, 'stats-usage');
    assert.equal(asked, 1);
  });
});
