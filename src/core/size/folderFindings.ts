import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { finding, list } from './findingParts';
import type { FindingInput } from './findings';
import { IGNORE_FILE } from './ignore';
import { includePattern, SECRET_WORDS } from './sensitive';
import type { Finding, FixAction } from './types';

/** Findings about single files (links out, secrets), one each up to this many; the rest in one more. */
export const PER_FILE_FINDINGS = 20;

/** What the walk of a code folder, and where the folder is, have to say. */
export function folderFindings(x: FindingInput, out: Finding[]): void {
  walkFindings(x, out);
  if (x.fn.packageType !== 'Image') locationFindings(x, out);
}

function walkFindings(x: FindingInput, out: Finding[]): void {
  const w = x.walk;
  if (!w) return;
  const ignoreFile = x.codePath && x.source === 'folder' ? join(x.codePath, IGNORE_FILE) : undefined;
  const include = (path: string, isDir: boolean): FixAction[] => (ignoreFile ? [{ kind: 'include', ignoreFile, path, pattern: includePattern(path, isDir) }] : []);
  perFile(
    out,
    w.linksLeftOut,
    (l) =>
      finding('symlink-outside', 'warning', `${l.rel} is a link to ${l.target}, outside the code folder, and is left out of the package.`, `If it is meant to be deployed, include it on purpose with \`${includePattern(l.rel, l.isDir)}\` in ${IGNORE_FILE}.`, {
        actions: include(l.rel, l.isDir),
        subjects: [{ path: l.rel }],
      }),
    (rest) => finding('symlink-outside', 'warning', `${rest.length} more links point outside the code folder and are left out: ${list(rest.map((l) => l.rel))}.`, `Include the ones meant to be deployed with \`!/path\` lines in ${IGNORE_FILE}.`, { subjects: rest.map((l) => ({ path: l.rel })) }),
  );
  perFile(
    out,
    w.secretsLeftOut,
    (s) =>
      finding('secret-left-out', 'warning', `${s.rel} looks like ${SECRET_WORDS[s.kind]} and is left out of the package.`, `If the function needs it, include it on purpose with \`${includePattern(s.rel, s.isDir)}\` in ${IGNORE_FILE} (a secret is better kept in Secrets Manager or SSM Parameter Store).`, {
        actions: include(s.rel, s.isDir),
        subjects: [{ path: s.rel }],
      }),
    (rest) => finding('secret-left-out', 'warning', `${rest.length} more private keys, credential or env files are left out of the package: ${list(rest.map((s) => s.rel))}.`, `Include the ones the function needs with \`!/path\` lines in ${IGNORE_FILE}.`, { subjects: rest.map((s) => ({ path: s.rel })) }),
  );
  if (w.symlinksOutside.length > 0) {
    out.push(
      finding('symlink-outside-followed', 'info', `${w.symlinksOutside.length} ${w.symlinksOutside.length === 1 ? 'link points' : 'links point'} outside the code folder and ${w.symlinksOutside.length === 1 ? 'is' : 'are'} packed with the content ${w.symlinksOutside.length === 1 ? 'it points' : 'they point'} to, as ${IGNORE_FILE} asks: ${list(w.symlinksOutside.map((s) => `${s.rel} -> ${s.target}`))}.`, 'Check that you mean to deploy that content.', {
        subjects: w.symlinksOutside.map((s) => ({ path: s.rel })),
      }),
    );
  }
  if (w.brokenSymlinks.length > 0) {
    out.push(
      finding('symlink-broken', 'warning', `${w.brokenSymlinks.length} ${w.brokenSymlinks.length === 1 ? 'link points' : 'links point'} to nothing and ${w.brokenSymlinks.length === 1 ? 'is' : 'are'} left out: ${list(w.brokenSymlinks)}.`, 'Fix or delete the links.', {
        subjects: w.brokenSymlinks.map((p) => ({ path: p })),
      }),
    );
  }
  if (w.symlinkLoops.length > 0) {
    out.push(
      finding('symlink-loop', 'warning', `${w.symlinkLoops.length} ${w.symlinkLoops.length === 1 ? 'link points' : 'links point'} to a folder containing ${w.symlinkLoops.length === 1 ? 'it' : 'them'} and ${w.symlinkLoops.length === 1 ? 'is' : 'are'} left out (following would never end): ${list(w.symlinkLoops.map((s) => s.rel))}.`, 'Delete the links, or exclude them.', {
        subjects: w.symlinkLoops.map((s) => ({ path: s.rel })),
      }),
    );
  }
  if (w.specialFiles.length > 0) {
    out.push(finding('special-file-skipped', 'info', `${w.specialFiles.length} sockets, pipes or device files are left out: ${list(w.specialFiles)}.`, 'Nothing to do.', { subjects: w.specialFiles.map((p) => ({ path: p })) }));
  }
}

function perFile<T>(out: Finding[], items: readonly T[], one: (item: T) => Finding, rest: (items: readonly T[]) => Finding): void {
  for (const item of items.slice(0, PER_FILE_FINDINGS)) out.push(one(item));
  if (items.length > PER_FILE_FINDINGS) out.push(rest(items.slice(PER_FILE_FINDINGS)));
}

/**
 * CodeUri outside the template's folder (absolute, or through ..): the package then holds files
 * from elsewhere on this machine, which a template copied from someone else can point anywhere.
 */
function locationFindings(x: FindingInput, out: Finding[]): void {
  const code = x.fn.codeUri;
  if (!code || x.fn.inlineCode !== undefined) return;
  const project = real(dirname(x.fn.templatePath));
  const target = real(code);
  const rel = relative(project, target);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return;
  out.push(
    finding('code-outside-project', 'warning', `${x.fn.logicalId}'s CodeUri is ${target}, outside the project folder ${project}: everything in it is packed and deployed.`, 'Check that the template means that folder, or move the code into the project and point CodeUri at it.', {
      subjects: [{ path: target }],
    }),
  );
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
