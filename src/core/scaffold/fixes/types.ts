import { readFileSync } from 'node:fs';
import type { FileEdit } from '../edits';

/**
 * A package-size fix worked out before anything is written: what a person confirms, then what
 * is applied in one go (applyEdits, or one WorkspaceEdit in the editor).
 */
export interface FixPlan {
  /** One line: what the fix does ("Move heavy-lib into a new layer HeavyLibLayer"). */
  title: string;
  /** What will happen, one change per line, for the confirmation. */
  changes: string[];
  /** What the person should know or do afterwards. */
  notes: string[];
  /** Everything to write, in order; nothing has been written yet. */
  edits: FileEdit[];
}

/** Where a planner reads files: the editor passes one that sees unsaved text. */
export interface FixSources {
  /** A file's text, or undefined when it does not exist. */
  readText(path: string): string | undefined;
}

export const diskSources: FixSources = {
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
};
