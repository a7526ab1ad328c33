import { finding, list } from './findingParts';
import type { FindingInput } from './findings';
import type { Finding } from './types';

/**
 * What an estimate leaves out, said where people look: a function whose build has not run (or is
 * out of date) is measured from its sources, and a dependency nothing here could count is named,
 * on its manifest line too (the finding's subjects), with how to get the real figure.
 */
export function buildStateFindings(x: FindingInput, out: Finding[]): void {
  const build = x.build;
  if (!build || build.upToDate || !x.estimate) return;
  const id = x.fn.logicalId;
  const state = build.artifactDir ? `${id}'s build is out of date` : `${id} has not been built`;
  const untrusted = build.untrusted ? ', and nothing is built in an untrusted workspace' : '';
  const howTo = build.untrusted
    ? 'Trust the workspace (Manage Workspace Trust), then build the function to measure the artifact Lambda runs.'
    : `Build it (Lambda: Build Function, or \`lambda-workbench build ${id}\`) to measure the artifact Lambda runs.`;
  if (x.estimate.opaque) {
    out.push(finding('artifact-not-built', 'info', `${state}${untrusted}, so its size is not known: ${x.estimate.opaque}.`, howTo));
    return;
  }
  if (build.uncounted.length === 0) return;
  const n = build.uncounted.length;
  const counted = x.estimate.countedFrom.length > 0 ? ` and from ${list(x.estimate.countedFrom)}` : '';
  out.push(
    finding(
      'dependencies-not-counted',
      'warning',
      `${n} declared ${n === 1 ? 'dependency is' : 'dependencies are'} not counted: ${list(build.uncounted)}. ${state}${untrusted}; the size is an estimate from its sources${counted}.`,
      howTo,
      { subjects: build.uncounted.map((p) => ({ package: p })) },
    ),
  );
}

/** A template layer with a BuildMethod that is not built counts toward the function as an estimate: what it leaves out is said too. */
export function layerBuildFindings(x: FindingInput, out: Finding[]): void {
  for (const layer of x.layers) {
    const uncounted = layer.uncounted ?? [];
    if (!layer.estimate || uncounted.length === 0) continue;
    const n = uncounted.length;
    out.push(
      finding(
        'dependencies-not-counted',
        'warning',
        `Layer ${layer.name} has not been built (or its build is out of date): ${n} declared ${n === 1 ? 'dependency is' : 'dependencies are'} not counted in the size with layers: ${list(uncounted)}.`,
        `Build it (Lambda: Build All, or \`lambda-workbench build ${layer.name}\`) to measure the layer Lambda gets.`,
      ),
    );
  }
}
