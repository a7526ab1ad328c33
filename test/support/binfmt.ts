import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Arm64 functions run on an x86_64 machine under qemu's user-mode emulation: the kernel's
 * binfmt_misc hands each aarch64 ELF it is asked to run to qemu-aarch64. The entry must carry the
 * F flag (the kernel opens the interpreter when it is registered), since a container's file system
 * has no qemu of its own.
 */
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';
/** Debian's qemu-user-static ships its registration here (with the F flag). */
const QEMU_AARCH64_CONF = '/usr/lib/binfmt.d/qemu-aarch64.conf';
/** The first bytes binfmt_misc matches an aarch64 ELF executable by (the masked ELF header), as its entries print them. */
const AARCH64_MAGIC = '7f454c460201010000000000000000000200b700';
const SETUP_HINT = 'install qemu-user-static (bash scripts/setup.sh arm64)';

/**
 * Makes sure this machine runs arm64 code: binfmt_misc mounted and an entry for aarch64 ELF files
 * registered with the F flag, registering Debian's qemu-aarch64 when there is none. Idempotent, and
 * an entry that is there (someone else's) is never changed or removed. Returns undefined when
 * arm64 code runs, else why not and what to do (the arm64 tests fail with it).
 */
export function ensureArm64Emulation(): string | undefined {
  if (process.arch === 'arm64') return undefined;
  const isRoot = process.getuid?.() === 0;
  if (!existsSync(join(BINFMT_DIR, 'register'))) {
    if (!isRoot) return `binfmt_misc is not mounted at ${BINFMT_DIR}, and mounting it needs root: sudo mount -t binfmt_misc binfmt_misc ${BINFMT_DIR}`;
    const mounted = spawnSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR], { encoding: 'utf8' });
    if (mounted.status !== 0) return `could not mount binfmt_misc at ${BINFMT_DIR}: ${(mounted.stderr || String(mounted.error)).trim()}`;
  }
  const present = aarch64Entry();
  if (present) return entryProblem(present);
  if (!existsSync(QEMU_AARCH64_CONF)) return `no emulator for arm64 is registered with binfmt_misc and ${QEMU_AARCH64_CONF} is missing: ${SETUP_HINT}`;
  if (!isRoot) return `no emulator for arm64 is registered with binfmt_misc, and registering one needs root: sudo sh -c 'cat ${QEMU_AARCH64_CONF} > ${BINFMT_DIR}/register'`;
  const line = readFileSync(QEMU_AARCH64_CONF, 'utf8').split('\n').find((l) => l.startsWith(':'));
  if (!line) return `${QEMU_AARCH64_CONF} holds no registration line: reinstall qemu-user-static`;
  const fields = line.split(':');
  // :name:type:offset:magic:mask:interpreter:flags; without F a container could not find the interpreter.
  if (!fields[7]?.includes('F')) fields[7] = `${fields[7] ?? ''}F`;
  try {
    writeFileSync(join(BINFMT_DIR, 'register'), fields.join(':'));
  } catch (err) {
    return `could not register qemu-aarch64 with binfmt_misc: ${(err as Error).message}`;
  }
  const registered = aarch64Entry();
  return registered ? entryProblem(registered) : 'qemu-aarch64 was registered with binfmt_misc but no entry for arm64 shows';
}

interface Entry {
  name: string;
  enabled: boolean;
  flags: string;
  interpreter: string;
}

/** The entry binfmt_misc runs aarch64 executables with, whatever its name, if any. */
function aarch64Entry(): Entry | undefined {
  for (const name of readdirSync(BINFMT_DIR)) {
    if (name === 'register' || name === 'status') continue;
    let text: string;
    try {
      text = readFileSync(join(BINFMT_DIR, name), 'utf8');
    } catch {
      continue;
    }
    const field = (key: string): string => text.match(new RegExp(`^${key} (.*)$`, 'm'))?.[1] ?? '';
    if (!field('magic').startsWith(AARCH64_MAGIC)) continue;
    return { name, enabled: text.startsWith('enabled'), flags: field('flags:').trim(), interpreter: field('interpreter') };
  }
  return undefined;
}

function entryProblem(e: Entry): string | undefined {
  const at = join(BINFMT_DIR, e.name);
  if (!e.enabled) return `the binfmt_misc entry for arm64 (${at}) is disabled: enable it (echo 1 > ${at})`;
  if (!e.flags.includes('F')) return `the binfmt_misc entry for arm64 (${at}, ${e.interpreter}) lacks the F flag, so containers cannot find its interpreter: register qemu-aarch64 with the F flag (Debian's qemu-user-static does)`;
  return undefined;
}

/**
 * Tests that need arm64 emulation hold this lock shared; the test that turns emulation off holds it
 * alone, so no test run on this machine (each has a runner of its own) loses emulation mid-test.
 */
const EMULATION_LOCK = '/run/lock/lambda-workbench-arm64-emulation.lock';

/** Takes the emulation lock shared (waiting while a test has emulation off); resolves with its release. */
export function holdArm64Emulation(): Promise<() => Promise<void>> {
  return lockedShell(['--shared', EMULATION_LOCK, 'sh', '-c', 'echo held; exec cat >/dev/null']);
}

/**
 * Runs body with this machine's arm64 binfmt_misc entry turned off (as on a machine without
 * emulation), holding the emulation lock alone. The shell that turns it off turns it on again when
 * its stdin closes, so a test process that dies does not leave it off.
 */
export async function withoutArm64Emulation<T>(body: () => Promise<T>): Promise<T> {
  const entry = aarch64Entry();
  if (!entry?.enabled) throw new Error('no enabled binfmt_misc entry for arm64 to turn off');
  const at = join(BINFMT_DIR, entry.name);
  const script = `trap 'echo 1 > "$0"' EXIT; trap 'exit 1' HUP INT TERM; echo 0 > "$0" && echo held && cat >/dev/null`;
  const release = await lockedShell(['--exclusive', EMULATION_LOCK, 'sh', '-c', script, at]);
  try {
    return await body();
  } finally {
    await release();
  }
}

/** Starts `flock ARGS` and resolves once its shell printed "held"; the release closes its stdin and waits for it to end. */
function lockedShell(args: string[]): Promise<() => Promise<void>> {
  const child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const ended = new Promise<number | null>((resolve) => child.once('close', resolve));
  const release = async (): Promise<void> => {
    child.stdin.end();
    await ended;
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void ended.then((code) => reject(new Error(`flock ${args.join(' ')} ended (code ${code}) before it held the lock`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve(release);
    });
  });
}
