/**
 * How messages name the place a person changes something: a setting or a command in the editor,
 * a flag in the CLI. Every message that tells a person what to set takes its words from here, so
 * the editor never speaks of flags and the CLI never of settings.
 */
export interface SettingSources {
  /** Where the engine address came from, when one was given (named next to the address). */
  dockerHost: string;
  /** Where the Runtime API address came from, when one was given. */
  runtimeApiAddress: string;
  /** Where a person chooses the Docker engine, for hints (the CLI also reads DOCKER_HOST). */
  chooseDockerHost: string;
  /** Where a person gives the Runtime API address, for hints (the CLI also reads an environment variable). */
  chooseRuntimeApiAddress: string;
  /** How a local run is put on the host's network; the editor has no such choice. */
  hostNetwork?: string;
  /** Where the extra arguments for pip (an index, a wheel folder) are given. */
  pipArgs: string;
  /** Where a runtime is mapped to another image for local runs. */
  images: string;
  /** Where the AWS profile is chosen. */
  profile: string;
  /** Where the AWS region is chosen. */
  region: string;
  /** Where the S3 staging bucket for large packages is set. */
  s3Bucket: string;
  /** Where a deploy is given the role of new functions, besides the template's Role (the editor has none). */
  role?: string;
  /** How a change a deploy asks about is agreed to. */
  confirm: string;
  /** What a person does when a new function's code folder is taken: the editor names the folder after the function. */
  anotherCodeFolder: string;
  /** Where the number of layer versions a prune keeps is given. */
  keepVersions: string;
}

export const EDITOR_SOURCES: SettingSources = {
  dockerHost: 'the lambdaWorkbench.docker.host setting',
  runtimeApiAddress: 'the lambdaWorkbench.local.runtimeApiAddress setting',
  chooseDockerHost: 'the lambdaWorkbench.docker.host setting',
  chooseRuntimeApiAddress: 'the lambdaWorkbench.local.runtimeApiAddress setting',
  pipArgs: 'the lambdaWorkbench.build.pipArgs setting',
  images: 'the lambdaWorkbench.local.images setting',
  profile: 'Lambda: Choose AWS Profile',
  region: 'Lambda: Choose AWS Region',
  s3Bucket: 'the lambdaWorkbench.deploy.s3Bucket setting',
  confirm: 'answer Yes when the deploy asks',
  anotherCodeFolder: 'Choose another name: New Function puts the code in a folder named after the function.',
  keepVersions: 'Lambda: Prune Layer Versions',
};

export const CLI_SOURCES: SettingSources = {
  dockerHost: '--docker-host',
  runtimeApiAddress: '--runtime-api-address',
  chooseDockerHost: '--docker-host, or the DOCKER_HOST variable',
  chooseRuntimeApiAddress: '--runtime-api-address, or the LAMBDA_WORKBENCH_RUNTIME_API_ADDRESS variable',
  hostNetwork: '--network host',
  pipArgs: '--pip-arg',
  images: '--image',
  profile: '--profile',
  region: '--region',
  s3Bucket: '--s3-bucket BUCKET',
  role: '--role ARN',
  confirm: '--yes',
  anotherCodeFolder: 'Choose another folder (--dir) or another name.',
  keepVersions: '--keep N',
};
