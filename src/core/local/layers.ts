import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isBuilt } from '../build/choose';
import type { BuildEngine } from '../build/engine';
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';
import { fingerprint } from './fingerprint';
import type { LayerCache } from './layerCache';

/**
 * The content folders of a function's layers, in template order, and what could not be used. A
 * template layer with a BuildMethod is its artifact, built first when it is out of date.
 */
export async function layerFolders(
  fn: Pick<FunctionSpec, 'logicalId' | 'layers'>,
  sources: { cache: LayerCache; builds?: Pick<BuildEngine, 'build'> },
  token?: CancellationTokenLike,
): Promise<{ folders: string[]; warnings: string[] }> {
  const folders: string[] = [];
  const warnings: string[] = [];
  for (const ref of fn.layers) {
    if (ref.kind === 'local') {
      const dir = ref.layer.contentUri;
      if (!dir) {
        throw new UserError(
          `The layer ${ref.logicalId} of ${fn.logicalId} has no local ContentUri folder.`,
          'Point ContentUri at a folder to run it locally, or use the published layer version ARN.',
          'layer-no-folder',
        );
      }
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new UserError(`The layer ${ref.logicalId}'s folder ${dir} does not exist.`, 'Fix ContentUri in the template, or build the layer first.', 'layer-missing-folder');
      }
      const built = sources.builds && isBuilt(ref.layer) ? await sources.builds.build(ref.layer, { token }) : undefined;
      folders.push(built?.artifactDir ?? dir);
    } else if (ref.kind === 'arn') {
      folders.push(await sources.cache.folderFor(ref.arn, token));
    } else {
      const expr = typeof ref.expression === 'string' ? ref.expression : `!${ref.expression.fn} ${JSON.stringify(ref.expression.args)}`;
      warnings.push(`The layer ${expr} of ${fn.logicalId} cannot be resolved locally and is left out of /opt.`);
    }
  }
  return { folders, warnings };
}

/**
 * The host folder to mount read-only at /opt. One layer is mounted as it is. Several are merged
 * the way Lambda merges them (later layers win on the same path) into one tree of hard links,
 * built once per combination of their contents: bind-mounting each layer's top-level entries
 * would collide as soon as two layers share a folder (every Node layer has nodejs/), and copying
 * would cost time and space on every change, while linking costs one directory walk.
 */
export async function optFolder(folders: string[], mergeRoot: string): Promise<string | undefined> {
  if (folders.length === 0) return undefined;
  if (folders.length === 1) return folders[0];
  const key = await fingerprint({ folders, values: folders });
  const target = join(mergeRoot, key);
  if (existsSync(target)) return target;
  mkdirSync(mergeRoot, { recursive: true });
  const work = `${target}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  for (const folder of folders) mergeInto(folder, work);
  try {
    renameSync(work, target);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(target)) throw err;
  }
  // Older merges of this function's layers are no use any more.
  for (const name of readdirSync(mergeRoot)) {
    if (name !== key && !name.includes('.partial-')) rmSync(join(mergeRoot, name), { recursive: true, force: true });
  }
  return target;
}

function mergeInto(src: string, dest: string): void {
  for (const name of readdirSync(src)) {
    const from = join(src, name);
    const to = join(dest, name);
    const st = lstatSync(from);
    const existing = lstatOrUndefined(to);
    if (st.isDirectory()) {
      if (existing && !existing.isDirectory()) unlinkSync(to);
      if (!existing || !existing.isDirectory()) mkdirSync(to);
      mergeInto(from, to);
      continue;
    }
    if (existing) rmSync(to, { recursive: true, force: true });
    if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
      continue;
    }
    try {
      linkSync(from, to);
    } catch {
      // Another file system (EXDEV) or no hard links allowed: copy this one.
      copyFileSync(from, to);
    }
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
