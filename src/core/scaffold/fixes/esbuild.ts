// The esbuild fixes' template edits, here so the editor's quick fixes and the tests that lint
// their result apply the same ones.
import type { TemplateEdit } from '../template/edit';

/** Bundle a function with esbuild: its Metadata's BuildMethod and BuildProperties (External, or Minify off). */
export function useEsbuildEdits(logicalId: string, external: readonly string[]): TemplateEdit[] {
  const metadata = ['Resources', logicalId, 'Metadata'];
  return [
    { kind: 'set', path: [...metadata, 'BuildMethod'], value: 'esbuild' },
    { kind: 'set', path: [...metadata, 'BuildProperties'], value: external.length ? { External: [...external] } : { Minify: false } },
  ];
}

/** Keep more modules out of an esbuild function's bundle: entries appended to BuildProperties.External. */
export function esbuildExternalEdits(logicalId: string, add: readonly string[]): TemplateEdit[] {
  return add.map((value) => ({ kind: 'append', path: ['Resources', logicalId, 'Metadata', 'BuildProperties', 'External'], value }));
}
