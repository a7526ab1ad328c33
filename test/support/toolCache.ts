import { homedir } from 'node:os';
import { join } from 'node:path';

/** scripts/setup.sh's tool cache, where the tests' tools and packages are kept. */
export function toolCache(): string {
  return process.env.LWB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lambda-workbench-dev');
}
