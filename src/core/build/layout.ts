// Where builds go. Next to the template, like SAM's .aws-sam/build/<LogicalId>, but in a folder of our
// own: .aws-sam belongs to `sam build`, whose build.toml and built template describe what it put
// there, so writing into it would leave `sam deploy` shipping artifacts SAM did not make (and `sam
// build` would overwrite ours).
import { dirname, join } from 'node:path';

/** The product's folder next to a template; it holds a .gitignore so builds are never committed. */
export const BUILD_FOLDER = '.lambda-workbench';

/** The folder that holds every artifact of one template's functions. */
export function buildRoot(templatePath: string): string {
  return join(dirname(templatePath), BUILD_FOLDER, 'build');
}

/** A function's artifact: the folder Lambda's /var/task is made of. */
export function artifactDir(templatePath: string, logicalId: string): string {
  return join(buildRoot(templatePath), logicalId);
}

/** What the last successful build of a function was made from (beside the artifact, never in it). */
export function stateFile(templatePath: string, logicalId: string): string {
  return join(buildRoot(templatePath), `${logicalId}.build.json`);
}

/** Builds in progress and artifacts being replaced; same file system as the artifacts, so renames are atomic. */
export function workRoot(templatePath: string): string {
  return join(buildRoot(templatePath), '.work');
}
