// What makes a warm container stale: its code folders (by the same cheap fingerprint builds key
// their sources with) and the values it was started with.
import { digest, sourceFingerprint } from '../build/fingerprint';
import { nameMatcher } from '../build/excludes';

/**
 * A short hex digest of several parts: folders by their content fingerprint (each entry's path,
 * size, mode and modification time, so any save changes it), values by JSON.
 */
export async function fingerprint(parts: { folders?: string[]; values?: unknown }): Promise<string> {
  const folders = parts.folders ?? [];
  const excluded = nameMatcher([]);
  const contents = await Promise.all(folders.map((f) => sourceFingerprint(f, excluded)));
  return digest({ folders: folders.map((f, i) => [f, contents[i]]), values: parts.values ?? null }).slice(0, 24);
}
