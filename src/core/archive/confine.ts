import { lstatSync, mkdirSync, readlinkSync, type Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** Linux gives up after 40 links in one lookup (MAXSYMLINKS); a longer chain is a loop or an attack. */
const MAX_HOPS = 40;

/** Why a path cannot be used; the caller words it for the archive at hand. */
export class Escape extends Error {}

/**
 * Paths under one real folder, followed the way the operating system follows them: component by
 * component, through each link as it stands on disk now, never by reading the text alone (a link
 * `up -> ..` makes `up/x` mean something its text does not say). Every step, links included, must
 * stay inside the folder; a `..` at the folder itself is a step out, even if later steps would come
 * back, because the folder is renamed once it is complete and such a path would then point elsewhere.
 */
export class ConfinedTree {
  private steps: number;

  /**
   * @param root the folder's real path (no links in it).
   * @param maxSteps how many path components all lookups together may visit, so that an archive of
   *   many long link chains costs a bounded number of file system calls.
   */
  constructor(
    readonly root: string,
    maxSteps = 1_000_000,
  ) {
    this.steps = maxSteps;
  }

  inside(path: string): boolean {
    return path === this.root || path.startsWith(this.root + sep);
  }

  /**
   * The real folder that holds `segments` (all but the last), creating missing folders as real
   * folders. Throws Escape if a component is a file, or a link that leads outside or nowhere.
   */
  parentFor(segments: readonly string[]): string {
    let dir = this.root;
    for (const segment of segments.slice(0, -1)) {
      if (segment === '' || segment === '.') continue;
      this.step();
      const next = join(dir, segment);
      const st = lstatOrUndefined(next);
      if (!st) {
        mkdirSync(next);
        dir = next;
      } else if (st.isDirectory()) {
        dir = next;
      } else if (st.isSymbolicLink()) {
        dir = this.existingFolder(this.follow(dir, segment), segment);
      } else {
        throw new Escape(`'${segment}' is a file, not a folder`);
      }
    }
    return dir;
  }

  /** Where a link's text leads from the real folder `from`; throws Escape if any step leaves the folder. */
  follow(from: string, text: string, hops = { left: MAX_HOPS }): string {
    if (text.startsWith('/')) throw new Escape('it leads outside the folder');
    let at = from;
    let missing = false;
    for (const segment of text.split('/')) {
      if (segment === '' || segment === '.') continue;
      this.step();
      if (segment === '..') {
        if (at === this.root) throw new Escape('it leads outside the folder');
        at = dirname(at);
        continue;
      }
      const next = join(at, segment);
      // Past a missing component, the rest is read as written: it cannot exist yet. The final
      // check, once every entry is out, reads it again with everything in place.
      const st = missing ? undefined : lstatOrUndefined(next);
      if (st?.isSymbolicLink()) {
        if (--hops.left < 0) throw new Escape(`it is a loop or a chain of more than ${MAX_HOPS} links`);
        at = this.follow(at, readlinkSync(next), hops);
        continue;
      }
      if (!st) missing = true;
      at = next;
    }
    return at;
  }

  private existingFolder(path: string, name: string): string {
    if (!lstatOrUndefined(path)?.isDirectory()) throw new Escape(`the link '${name}' does not lead to a folder inside`);
    return path;
  }

  private step(): void {
    if (--this.steps < 0) throw new Escape('its links take too many steps to follow');
  }
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
