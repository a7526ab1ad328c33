import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the CLI keeps downloaded layers and merged /opt trees (the extension uses its global storage). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LAMBDA_WORKBENCH_CACHE) return env.LAMBDA_WORKBENCH_CACHE;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'lambda-workbench', 'Cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'lambda-workbench');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lambda-workbench');
}
