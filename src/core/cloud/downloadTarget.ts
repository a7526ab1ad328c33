import { existsSync, readdirSync, statSync } from 'node:fs';
import { UserError } from '../errors';

/**
 * Whether `dir` can receive a download: it must not exist, or be an empty folder. Anything else
 * is refused before a byte is fetched, so a download never mixes with or replaces files.
 */
export function checkDownloadTarget(dir: string): 'absent' | 'empty' {
  if (!existsSync(dir)) return 'absent';
  if (!statSync(dir).isDirectory()) {
    throw new UserError(`${dir} is a file, not a folder.`, 'Choose a new folder for the download.', 'download-target');
  }
  if (readdirSync(dir).length > 0) {
    throw new UserError(`${dir} is not empty.`, 'Choose a new or empty folder, so the download mixes with nothing.', 'download-target');
  }
  return 'empty';
}
