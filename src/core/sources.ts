/**
 * How messages name the place a person changes something: a setting or a command in the editor,
 * a flag in the CLI. Every message that tells a person what to set takes its words from here, so
 * the editor never speaks of flags and the CLI never of settings.
 */
export interface SettingSources {
  dockerHost: string;
  runtimeApiAddress: string;
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
}

export const EDITOR_SOURCES: SettingSources = {
  dockerHost: 'the lambdaWorkbench.docker.host setting',
  runtimeApiAddress: 'the lambdaWorkbench.local.runtimeApiAddress setting',
  images: 'the lambdaWorkbench.local.images setting',
  profile: 'Lambda: Choose AWS Profile',
  region: 'Lambda: Choose AWS Region',
  s3Bucket: 'the lambdaWorkbench.deploy.s3Bucket setting',
  confirm: 'answer Yes when the deploy asks',
};

export const CLI_SOURCES: SettingSources = {
  dockerHost: '--docker-host',
  runtimeApiAddress: '--runtime-api-address',
  images: '--image',
  profile: '--profile',
  region: '--region',
  s3Bucket: '--s3-bucket BUCKET',
  role: '--role ARN',
  confirm: '--yes',
};
