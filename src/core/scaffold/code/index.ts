import type { ResolvedFunction } from '../request';
import { goFolder } from './go/project';
import { javaFolder } from './java/project';
import { nodeFolder } from './node/project';
import { pythonFolder } from './python/project';
import { rustFolder } from './rust/project';
import type { CodeContext, CodeFolder } from './types';

/** Where each language keeps its test file, so the sample event's relative path can be computed first. */
export function testDirFor(fn: ResolvedFunction): string {
  // Maven runs tests in the code folder itself.
  if (fn.language === 'go' || fn.language === 'java') return '';
  return fn.language === 'rust' ? 'src' : 'tests';
}

export function codeFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  switch (fn.language) {
    case 'ts':
    case 'js':
      return nodeFolder(fn, ctx);
    case 'python':
      return pythonFolder(fn, ctx);
    case 'java':
      return javaFolder(fn, ctx);
    case 'go':
      return goFolder(fn, ctx);
    case 'rust':
      return rustFolder(fn, ctx);
  }
}
