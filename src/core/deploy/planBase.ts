// The parts every function plan starts from, shared by the zip and image planners.
import type { CancellationTokenLike } from '../cancel';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';
import type { LayerSizeResolver } from '../size/layers';
import type { FunctionPlan, LayerPlan, ProgressListener } from './types';

export interface FunctionPlanEnv {
  /** Plans of the template layers, by layer name. */
  layers: Map<string, LayerPlan>;
  /** Sizes of layers given by ARN (published elsewhere). */
  layerSizes: LayerSizeResolver;
  outDir: string;
  token: CancellationTokenLike;
  onProgress?: ProgressListener;
}

export function basePlan(fn: FunctionSpec, functionName: string): FunctionPlan {
  return {
    logicalId: fn.logicalId,
    functionName,
    templatePath: fn.templatePath,
    packageType: fn.packageType,
    // Provisional: refuse() or the end of planFunction() decides.
    action: 'created',
    reason: null,
    changes: [],
    via: null,
    uploadBytes: 0,
    codeSha256: null,
    codeSize: null,
    unzippedBytes: null,
    layersUnzippedBytes: null,
    notes: [],
    layers: [],
    role: null,
    architecture: fn.architecture,
    image: null,
    spec: fn,
  };
}

export const refuse = (plan: FunctionPlan, reason: string, code?: string): FunctionPlan => ({ ...plan, action: 'refused', reason, ...(code ? { code } : {}), via: null, uploadBytes: 0 });

/** The code of an error that stopped a plan (a build, packaging, an image build), when it has one. */
export function codeOf(err: unknown): string | undefined {
  return err instanceof UserError ? err.code : undefined;
}

