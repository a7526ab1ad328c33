import * as fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import type { KnownStats, StatColumns } from '../pack/compressCore';
import type { PackInput } from '../pack/types';
import { WorkerPool } from '../pack/workerPool';
import { type IgnorePattern, isIgnored } from './ignore';
import { type CompiledRules, matchDir, matchFile, type PackageRule, type ReportCategory } from './rules';
import { includedOnPurpose, judgedByContent, secretDir, secretFile, type SecretKind, secretTarget } from './sensitive';

/**
 * A file that goes into the package: a pack input (name relative to the package root, read from
 * its path through symlinks) with the report category a rule gave it, if any.
 */
export interface WalkedFile extends PackInput {
  source: { kind: 'file'; path: string };
  category?: ReportCategory;
}

/** Something left out, and why: a rule id, 'lambdaignore' (with the pattern) or 'dev-dependency'. */
export interface Excluded {
  rel: string;
  isDir: boolean;
  by: string;
  pattern?: string;
}

export interface WalkResult {
  files: WalkedFile[];
  excluded: Excluded[];
  /** Links whose target is outside the package root, followed because .lambdaignore includes them on purpose. */
  symlinksOutside: { rel: string; target: string }[];
  /** Links whose target is outside the package root: not followed (a link to ~/.aws/credentials must not ship it). */
  linksLeftOut: { rel: string; target: string; isDir: boolean }[];
  /** Private keys, credentials and env files: left out unless .lambdaignore includes them on purpose. */
  secretsLeftOut: { rel: string; isDir: boolean; kind: SecretKind }[];
  /** Links to nothing: skipped. */
  brokenSymlinks: string[];
  /** Links to a folder that contains them: skipped, or the walk would never end. */
  symlinkLoops: { rel: string; target: string }[];
  /** Sockets, pipes, devices: they have no content to pack. */
  specialFiles: string[];
  /** Folders whose entries were read from disk; the others' listings were known to be unchanged. */
  foldersRead: number;
}

export type EntryType = 'dir' | 'file' | 'link' | 'other';

/** A stat's identity as plain numbers (size, mtime s/ns, ctime s/ns, inode, exec bit): compared without allocating. */
type StatPrint = [number, number, number, number, number, number, boolean];

/** One entry of a folder listing, with what walks worked out about it, kept while the folder is unchanged. */
export interface ListedEntry {
  name: string;
  type: EntryType;
  rel: string;
  abs: string;
  /** The package rule its name matches (null: none). Worked out once: the rules do not change. */
  rule: PackageRule | null | undefined;
  /** The file as last packed and the stat it came from: the same object is reused while the stat is. */
  file: WalkedFile | undefined;
  print: StatPrint | undefined;
}

/** A folder's entries as last read, valid while the folder's mtime and ctime are unchanged. */
export interface Listing {
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Whether mtime and ctime were old enough when read that a later change must show in them. */
  trusted: boolean;
  entries: ListedEntry[];
  /** Set by revalidateListings for the walk it prepares: whether the folder is still as listed. */
  checked?: { walk: number; unchanged: boolean };
}

/**
 * Folder listings of one package root, kept between walks (and saved between processes, see
 * listingFile.ts). A folder's mtime and ctime change whenever an entry is added, removed or
 * renamed in it, and setting the mtime back (touch, rsync, tar) moves the ctime, so both unchanged
 * means an unchanged listing: one stat instead of a readdir. Files whose stat is unchanged keep
 * their WalkedFile object, so a re-walk after one edit allocates almost nothing and downstream
 * lookups hit warm strings.
 */
export type ListingCache = Map<string, Listing>;

/** What a walk looked at, so the next one can check it all in one pass (see rewalk), or check only named files (see changedFiles.ts). */
export interface WalkTrace {
  /** The folders listed, by their listing key. */
  dirs: string[];
  /** The listed entry behind each of result.files, in the same order. */
  entries: ListedEntry[];
  /** Links found pointing to nothing: one that comes to point somewhere changes the package. */
  brokenLinks: string[];
  foldersRead: number;
  /** The walk met a symbolic link: a change behind it is reported under the target's path, not the link's. */
  sawLinks: boolean;
  /** Each packed file's index in `entries` by its path, made when first asked for. */
  byPath?: Map<string, number>;
  /** Every path above (folders, files, links), NUL-joined in pool-sized chunks, made once. */
  chunks?: { joined: string; from: number }[];
  /** What was last seen of each of those paths, shared with the workers that re-check them. */
  known?: KnownStats;
}

const traces = new WeakMap<WalkResult, WalkTrace>();

/** What the walk that gave `walk` looked at (for a walk made with listings). */
export function traceOf(walk: WalkResult): WalkTrace | undefined {
  return traces.get(walk);
}

/** Hands the trace of `from` on to `to`, a result that describes the files as they are now. */
export function passTrace(from: WalkResult, to: WalkResult): void {
  const trace = traces.get(from);
  if (!trace) return;
  traces.delete(from);
  traces.set(to, trace);
}

/** The folders a walk listed (listing keys), for saving their listings. */
export function listedFolders(walk: WalkResult): readonly string[] {
  return traces.get(walk)?.dirs ?? [];
}

/**
 * A listing is reused only when the folder's mtime and ctime were this much older than the moment
 * it was read: on file systems with coarse timestamps a change in the same tick would not move them.
 */
const TRUST_AFTER_NS = 2_000_000_000n;

/** Whether a listing read now, of a folder with these times, can be trusted to show later changes. */
export function trustedNow(mtimeNs: bigint, ctimeNs: bigint): boolean {
  const last = mtimeNs > ctimeNs ? mtimeNs : ctimeNs;
  return BigInt(Date.now()) * 1_000_000n - last > TRUST_AFTER_NS;
}

export interface WalkOptions {
  /** Listings from earlier walks, reused where the folder did not change (and updated). */
  listings?: ListingCache;
  /** The number revalidateListings() gave for this walk, if it was called. */
  walk?: number;
  rules: CompiledRules;
  ignore: readonly IgnorePattern[];
  /** Folders (relative) to leave out as dev-only dependencies. */
  devOnly: ReadonlySet<string>;
  /** Stats files in parallel; without one, on this thread. */
  pool?: WorkerPool;
  /** 'keep': private keys and credential files are not left out (a build context, which Docker sends whole). */
  secrets?: 'leave-out' | 'keep';
  token?: CancellationTokenLike;
}

interface DirFrame {
  abs: string;
  rel: string;
  /** Real path of this folder. */
  real: string;
  /** Real paths where the walk jumped through a folder link on the way here (and the root). */
  jumps: readonly string[];
  /** Folders outside the root that a link included on purpose leads into: links within them stay "inside". */
  outsideRoots: readonly string[];
  category?: ReportCategory;
  /** A rule whose folder keeps only files not ending with its suffixes. */
  partial?: PackageRule;
}

interface PendingFile {
  entry: ListedEntry;
  category?: ReportCategory;
}

const STAT_BATCH = 1024;
const SLICE_MS = 8;
const ON_THIS_THREAD = new WorkerPool(0);

/**
 * Lists what goes into the package under `root`, applying the rules.
 *
 * Symlinks inside the root are followed, as SAM's packager follows them: a link to a file packs
 * the file's bytes under the link's name, a link to a folder packs the folder's content. Links
 * pointing outside the root are not followed (a link to ~/.aws/credentials would ship it) unless
 * the folder's .lambdaignore includes them on purpose with a `!` pattern (workspace layouts that
 * link a shared folder in); either way they are listed. Private keys, credential files and env
 * files are left out and listed the same way (see sensitive.ts). Links to nothing, and links to a
 * folder that contains the link, are skipped and listed. Empty folders are not packed: the zip
 * holds files only, like SAM's.
 *
 * The walk reads folders on this thread in short slices (so an editor stays responsive) while
 * the pool's workers stat the files found so far.
 */
export async function walkPackage(root: string, opts: WalkOptions): Promise<WalkResult> {
  const { rules, ignore, devOnly, token } = opts;
  let rootReal: string;
  try {
    rootReal = fs.realpathSync(root);
    if (!fs.statSync(rootReal).isDirectory()) throw new UserError(`${root} is not a folder.`, 'Point CodeUri at the function\'s code folder.');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`The code folder ${root} does not exist.`, 'Check CodeUri in the template, or create the folder.');
  }
  const result: WalkResult = { files: [], excluded: [], symlinksOutside: [], linksLeftOut: [], secretsLeftOut: [], brokenSymlinks: [], symlinkLoops: [], specialFiles: [], foldersRead: 0 };
  const trace: WalkTrace = { dirs: [], entries: [], brokenLinks: [], foldersRead: 0, sawLinks: false };
  const stack: DirFrame[] = [{ abs: root, rel: '', real: rootReal, jumps: [rootReal], outsideRoots: [] }];
  const guard = opts.secrets !== 'keep';
  const statted: Promise<void>[] = [];
  let pending: PendingFile[] = [];
  let sentToPool = false;
  const flush = (final: boolean): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    // A small tree is statted here: starting workers would cost more than the stats.
    const onPool = opts.pool && opts.pool.size > 0 && (!final || sentToPool);
    if (onPool) sentToPool = true;
    const pool = onPool ? (opts.pool as WorkerPool) : ON_THIS_THREAD;
    statted.push(pool.stat(batch.map((f) => f.entry.abs)).then((cols) => addStatted(result, trace, batch, cols)));
  };

  let sliceStart = Date.now();
  while (stack.length > 0) {
    if (Date.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      throwIfCancelled(token, 'measuring the package');
      sliceStart = Date.now();
    }
    const dir = stack.pop() as DirFrame;
    const atRoot = dir.rel === '';
    for (const e of list(dir, opts.listings, opts.walk, trace)) {
      const { rel, abs } = e;
      let kind: 'dir' | 'file';
      let real: string | undefined;
      let jumped = false;
      let outside = false;
      if (e.type === 'dir') kind = 'dir';
      else if (e.type === 'file') kind = 'file';
      else if (e.type === 'link') {
        trace.sawLinks = true;
        const target = followLink(abs);
        if (!target) {
          result.brokenSymlinks.push(rel);
          trace.brokenLinks.push(abs);
          continue;
        }
        real = target.real;
        const within = (r: string): boolean => (real as string) === r || (real as string).startsWith(`${r}/`);
        outside = !within(rootReal) && !dir.outsideRoots.some(within);
        if (target.isDir) {
          const contains = (p: string): boolean => p === real || p.startsWith(`${real}/`);
          if (contains(dir.real) || dir.jumps.some(contains)) {
            result.symlinkLoops.push({ rel, target: real });
            continue;
          }
          jumped = true;
          kind = 'dir';
        } else if (target.isFile) {
          kind = 'file';
        } else {
          result.specialFiles.push(rel);
          continue;
        }
      } else {
        result.specialFiles.push(rel);
        continue;
      }

      // A link's target can turn from a file into a folder: its rule is worked out each time.
      const ruleOf = (): PackageRule | null => (kind === 'dir' ? matchDir(rules, e.name, atRoot) : matchFile(rules, e.name, atRoot)) ?? null;
      if (e.rule === undefined && e.type !== 'link') e.rule = ruleOf();
      const rule = e.type === 'link' ? ruleOf() : (e.rule as PackageRule | null);
      if (kind === 'dir') {
        if (rule?.action === 'exclude' && !rule.onlySuffixes) {
          result.excluded.push({ rel, isDir: true, by: rule.id });
          continue;
        }
        const ignored = ignore.length > 0 ? isIgnored(ignore, rel, true) : undefined;
        if (ignored) {
          result.excluded.push({ rel, isDir: true, by: 'lambdaignore', pattern: ignored.source });
          continue;
        }
        if (devOnly.has(rel)) {
          result.excluded.push({ rel, isDir: true, by: 'dev-dependency' });
          continue;
        }
        if (outside && !leadOut(result, ignore, rel, real as string, true)) continue;
        const secret = guard ? (secretDir(e.name) ?? (real ? (secretDir(real.slice(real.lastIndexOf('/') + 1)) ?? secretTarget(real)) : undefined)) : undefined;
        if (secret && !keepSecret(result, ignore, rel, true, secret)) continue;
        stack.push({
          abs,
          rel,
          real: real ?? `${dir.real}/${e.name}`,
          jumps: jumped ? [...dir.jumps, real as string] : dir.jumps,
          outsideRoots: outside ? [...dir.outsideRoots, real as string] : dir.outsideRoots,
          category: rule?.action === 'report' ? rule.category : dir.category,
          partial: rule?.onlySuffixes ? rule : dir.partial,
        });
      } else {
        if (dir.partial?.onlySuffixes?.some((x) => e.name.toLowerCase().endsWith(x))) {
          result.excluded.push({ rel, isDir: false, by: dir.partial.id });
          continue;
        }
        if (rule?.action === 'exclude') {
          result.excluded.push({ rel, isDir: false, by: rule.id });
          continue;
        }
        const ignored = ignore.length > 0 ? isIgnored(ignore, rel, false) : undefined;
        if (ignored) {
          result.excluded.push({ rel, isDir: false, by: 'lambdaignore', pattern: ignored.source });
          continue;
        }
        if (outside && !leadOut(result, ignore, rel, real as string, false)) continue;
        const secret = guard ? (secretFile(real ? [e.name, real.slice(real.lastIndexOf('/') + 1)] : [e.name], abs) ?? (real ? secretTarget(real) : undefined)) : undefined;
        if (secret && !keepSecret(result, ignore, rel, false, secret)) continue;
        pending.push({ entry: e, category: rule?.action === 'report' ? rule.category : dir.category });
        if (pending.length >= STAT_BATCH) flush(false);
      }
    }
  }
  flush(true);
  await Promise.all(statted);
  throwIfCancelled(token, 'measuring the package');
  result.foldersRead = trace.foldersRead;
  if (opts.listings) traces.set(result, trace);
  return result;
}

/** A link out of the root: followed only when .lambdaignore includes it on purpose. Listed either way. */
function leadOut(result: WalkResult, ignore: readonly IgnorePattern[], rel: string, target: string, isDir: boolean): boolean {
  if (includedOnPurpose(ignore, rel, isDir)) {
    result.symlinksOutside.push({ rel, target });
    return true;
  }
  result.linksLeftOut.push({ rel, target, isDir });
  result.excluded.push({ rel, isDir, by: 'link-outside' });
  return false;
}

/** A secret: kept only when .lambdaignore includes it on purpose; listed when left out. */
function keepSecret(result: WalkResult, ignore: readonly IgnorePattern[], rel: string, isDir: boolean, kind: SecretKind): boolean {
  if (includedOnPurpose(ignore, rel, isDir)) return true;
  result.secretsLeftOut.push({ rel, isDir, kind });
  result.excluded.push({ rel, isDir, by: kind });
  return false;
}

function list(dir: DirFrame, listings: ListingCache | undefined, walk: number | undefined, trace: WalkTrace): ListedEntry[] {
  const read = (): ListedEntry[] => {
    trace.foldersRead++;
    return fs.readdirSync(dir.abs, { withFileTypes: true }).map((e) => listedEntry(dir.rel, dir.abs, e.name, typeOf(e)));
  };
  try {
    if (!listings) return read();
    trace.dirs.push(dir.abs);
    const known = listings.get(dir.abs);
    if (known?.checked && known.checked.walk === walk && known.checked.unchanged) return known.entries;
    // Stat before reading: a change after the stat moves the times past what is recorded.
    const { mtimeNs, ctimeNs } = fs.statSync(dir.abs, { bigint: true });
    if (known && known.trusted && known.mtimeNs === mtimeNs && known.ctimeNs === ctimeNs) return known.entries;
    const entries = read();
    listings.set(dir.abs, { mtimeNs, ctimeNs, trusted: trustedNow(mtimeNs, ctimeNs), entries });
    return entries;
  } catch (err) {
    throw readDirError(dir.rel || '.', err);
  }
}

export function listedEntry(dirRel: string, dirAbs: string, name: string, type: EntryType): ListedEntry {
  return { name, type, rel: dirRel === '' ? name : `${dirRel}/${name}`, abs: `${dirAbs}/${name}`, rule: undefined, file: undefined, print: undefined };
}

let walks = 0;

/**
 * Stats every folder the listings know, on the pool's workers, before a walk: the walk then reuses
 * unchanged listings without a stat of its own on this thread. Returns the number to pass as
 * WalkOptions.walk.
 */
export async function revalidateListings(listings: ListingCache, pool: WorkerPool): Promise<number> {
  const walk = ++walks;
  const dirs = [...listings.keys()];
  if (dirs.length === 0 || pool.size === 0) return walk;
  const parts = Math.min(pool.size, Math.ceil(dirs.length / 256));
  const per = Math.ceil(dirs.length / parts);
  await Promise.all(
    Array.from({ length: parts }, async (_, k) => {
      const chunk = dirs.slice(k * per, (k + 1) * per);
      const cols = await pool.stat(chunk);
      chunk.forEach((dir, i) => {
        const known = listings.get(dir) as Listing;
        known.checked = { walk, unchanged: known.trusted && cols.kind[i] === 2 && cols.mtimeNs[i] === known.mtimeNs && cols.ctimeNs[i] === known.ctimeNs };
      });
    }),
  );
  return walk;
}

function typeOf(e: fs.Dirent): EntryType {
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  if (e.isSymbolicLink()) return 'link';
  return 'other';
}

function followLink(abs: string): { real: string; isDir: boolean; isFile: boolean } | undefined {
  try {
    const s = fs.statSync(abs);
    return { real: fs.realpathSync(abs), isDir: s.isDirectory(), isFile: s.isFile() };
  } catch {
    return undefined;
  }
}

function addStatted(result: WalkResult, trace: WalkTrace, batch: PendingFile[], cols: StatColumns): void {
  for (let i = 0; i < batch.length; i++) {
    const { entry, category } = batch[i];
    const error = cols.errors[i];
    if (error) throw readDirError(entry.rel, Object.assign(new Error(error), { code: error }));
    const kind = cols.kind[i];
    // Gone since the folder was read, or replaced by a folder: not part of this snapshot.
    if (kind === 0 || kind === 2) continue;
    if (kind === 3) {
      result.specialFiles.push(entry.rel);
      continue;
    }
    result.files.push(restamp(entry, cols, i, category));
    trace.entries.push(entry);
  }
}

/** The entry's file as of this stat: the same object while the stat is unchanged, else a new one. */
function restamp(entry: ListedEntry, cols: StatColumns, i: number, category: ReportCategory | undefined): WalkedFile {
  const size = cols.size[i];
  const executable = (cols.mode[i] & 0o111) !== 0;
  const p = entry.print;
  if (
    entry.file &&
    p &&
    p[0] === size &&
    p[1] === cols.mtimeSec[i] &&
    p[2] === cols.mtimeNsec[i] &&
    p[3] === cols.ctimeSec[i] &&
    p[4] === cols.ctimeNsec[i] &&
    p[5] === cols.inode[i] &&
    p[6] === executable &&
    entry.file.category === category
  ) {
    return entry.file;
  }
  const file: WalkedFile = {
    name: entry.rel,
    source: { kind: 'file', path: entry.abs },
    size,
    executable,
    stamp: { size, mtimeNs: cols.mtimeNs[i], ctimeNs: cols.ctimeNs[i], ino: cols.ino[i] },
    category,
  };
  entry.file = file;
  entry.print = [size, cols.mtimeSec[i], cols.mtimeNsec[i], cols.ctimeSec[i], cols.ctimeNsec[i], cols.inode[i], executable];
  return file;
}

/**
 * The last walk again, checked in one pass: every folder it listed, every file it packed and every
 * broken link are statted again on the pool's workers, which compare with what was seen before (in
 * shared memory) and answer with what changed. When no folder changed (nor a broken link's target
 * appeared), the walk's result stands with the changed files restamped: nothing is listed or
 * matched against the rules again. Otherwise the folders' checks are kept for the full walk to
 * use, and only `walk` is returned.
 */
export async function rewalk(last: WalkResult, listings: ListingCache, pool: WorkerPool, token?: CancellationTokenLike): Promise<{ walk: number; result?: WalkResult }> {
  const walk = ++walks;
  const trace = traces.get(last);
  if (!trace || pool.size === 0) return { walk };
  const dirs = trace.dirs.length;
  const files = dirs + trace.entries.length;
  const known = (trace.known ??= knownStats(trace, listings));
  trace.chunks ??= chunked([...trace.dirs, ...trace.entries.map((e) => e.abs), ...trace.brokenLinks], pool.size);
  // The workers update `known` as they go: from here it describes the files as they are now, not
  // `last`, so `last` is never re-checked against it again (only the result below, if any, is).
  traces.delete(last);
  const chunks = trace.chunks;
  const answers = await Promise.all(chunks.map((c) => pool.restat(c.joined, c.from, known)));
  throwIfCancelled(token, 'measuring the package');

  let same = trace.dirs.every((d) => listings.get(d)?.trusted);
  const changedDirs = new Set<number>();
  let copy: WalkedFile[] | undefined;
  for (const a of answers) {
    if (Object.keys(a.errors).length > 0) same = false;
    for (const g of a.changed) {
      if (g < dirs) {
        changedDirs.add(g);
        same = false;
      } else if (g < files) {
        const k = g - dirs;
        const prev = last.files[k];
        // A link may now lead out of the folder, a .pem now hold a key: those take a full walk.
        const entry = trace.entries[k];
        if (known.kind[g] !== 1 || entry.type === 'link' || judgedByContent(entry.name)) {
          same = false;
          continue;
        }
        (copy ??= [...last.files])[k] = restampKnown(trace.entries[k], known, g, prev.category);
      } else {
        same = false;
      }
    }
  }
  if (!same) {
    for (let g = 0; g < dirs; g++) {
      const listing = listings.get(trace.dirs[g]);
      if (listing) listing.checked = { walk, unchanged: listing.trusted && !changedDirs.has(g) && known.mtimeNs[g] === listing.mtimeNs && known.ctimeNs[g] === listing.ctimeNs };
    }
    return { walk };
  }
  const result: WalkResult = { ...last, files: copy ?? last.files, foldersRead: 0 };
  traces.set(result, { ...trace, foldersRead: 0 });
  return { walk, result };
}

/** What the walk saw of its folders, files and broken links, as the restat jobs compare it. */
function knownStats(trace: WalkTrace, listings: ListingCache): KnownStats {
  const n = trace.dirs.length + trace.entries.length + trace.brokenLinks.length;
  const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(1, n) * bytes);
  const known: KnownStats = {
    kind: new Uint8Array(shared(1)),
    size: new Float64Array(shared(8)),
    exec: new Uint8Array(shared(1)),
    mtimeNs: new BigInt64Array(shared(8)),
    ctimeNs: new BigInt64Array(shared(8)),
    ino: new BigUint64Array(shared(8)),
  };
  trace.dirs.forEach((d, g) => {
    const l = listings.get(d);
    known.kind[g] = 2;
    // The listing's times: a folder statted differently from them has changed.
    if (l) {
      known.mtimeNs[g] = l.mtimeNs;
      known.ctimeNs[g] = l.ctimeNs;
    }
  });
  trace.entries.forEach((e, k) => {
    const g = trace.dirs.length + k;
    const f = e.file as WalkedFile;
    known.kind[g] = 1;
    known.size[g] = f.size;
    known.exec[g] = f.executable ? 1 : 0;
    known.mtimeNs[g] = f.stamp?.mtimeNs ?? 0n;
    known.ctimeNs[g] = f.stamp?.ctimeNs ?? 0n;
    known.ino[g] = f.stamp?.ino ?? 0n;
  });
  // Broken links stay kind 0 (missing): one whose target appears reads as changed.
  return known;
}

/** The entry's file as `known` now has it (a restat found it changed). */
function restampKnown(entry: ListedEntry, known: KnownStats, g: number, category: ReportCategory | undefined): WalkedFile {
  const size = known.size[g];
  const mtimeNs = known.mtimeNs[g];
  const ctimeNs = known.ctimeNs[g];
  const ino = known.ino[g];
  const executable = known.exec[g] === 1;
  const file: WalkedFile = { name: entry.rel, source: { kind: 'file', path: entry.abs }, size, executable, stamp: { size, mtimeNs, ctimeNs, ino }, category };
  entry.file = file;
  entry.print = [size, Number(mtimeNs / 1_000_000_000n), Number(mtimeNs % 1_000_000_000n), Number(ctimeNs / 1_000_000_000n), Number(ctimeNs % 1_000_000_000n), Number(ino), executable];
  return file;
}

/** Paths NUL-joined in `parts` chunks of about equal size (the stat jobs' wire format), with the index each starts at. */
function chunked(paths: string[], parts: number): { joined: string; from: number }[] {
  const per = Math.max(1, Math.ceil(paths.length / Math.max(1, parts)));
  const out: { joined: string; from: number }[] = [];
  for (let i = 0; i < paths.length; i += per) out.push({ joined: paths.slice(i, i + per).join('\0'), from: i });
  return out;
}

function readDirError(rel: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`Cannot read '${rel}' in the code folder: permission denied.`, 'Make it readable, or exclude it in .lambdaignore.');
  return err instanceof Error ? err : new Error(String(err));
}
