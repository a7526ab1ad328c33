// The deploy API the extension and the CLI call. Nothing here loads the AWS SDK or dockerode
// until a function runs: they are imported on first use.
export type { Packager, SizeMeasurer, ZipArtifact } from './artifact';
export { ensureWritten, UnzippedBudgetExceeded } from './artifact';
export type { AwsErrorContext } from './awsErrors';
export { toUserError } from './awsErrors';
export type { DeployContext, DeployOptions } from './context';
export { deployContextFrom } from './context';
export type { AwsDoctorResult } from './doctor';
export { awsDoctor } from './doctor';
export type { ExecuteHooks } from './execute';
export { executeDeploy } from './execute';
export type { ImageEngine } from './image';
export { connectImageEngine } from './image';
export { LAYER_HASH_PREFIX, hashFromDescription, latestLayerVersion } from './layerPlan';
export { listFunctions, listLayers, listLayerVersions } from './listing';
export type { PlanHooks, PlanInput } from './plan';
export { planDeploy } from './plan';
export type { AwsProfileInfo } from './profiles';
export { LAMBDA_REGIONS, listProfiles, sharedFilePaths } from './profiles';
export type { PruneEntry } from './prune';
export { pruneLayerVersions } from './prune';
export type { AwsSession, AwsSessionOptions, CallerIdentity } from './session';
export { createAwsSession, whoAmI } from './session';
export { sizeEnginePackager } from './sizeEnginePackager';
export type * from './types';
export type { CollectInputs, PackTarget, ZipPackagerOptions } from './zipPackager';
export { zipPackager } from './zipPackager';
