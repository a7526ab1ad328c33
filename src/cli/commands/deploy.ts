import { type DeployOptions, type DeployPlan, type DeployResult, executeDeploy, type FunctionPlan, type FunctionResult, planDeploy } from '../../core/deploy';
import { UserError } from '../../core/errors';
import type { FunctionSpec } from '../../core/model/types';
import { BUILD_ARG_OPTIONS, BUILD_ARG_USAGE } from '../core';
import { type Io, UsageError } from '../io';
import { parseOptions } from '../options';
import { formatTable } from '../table';
import { AWS_OPTIONS, loadModels, openAwsRun, positiveInt, progressPrinter } from './awsSetup';

export const DEPLOY_USAGE = `Usage: lambda-workbench deploy [LOGICAL_ID...] [options]

Deploys the functions (all of them, or the ones named) as zips or container images, publishing
their template layers first. It plans first: each function is created, updated, left unchanged
(nothing is uploaded when the deployed CodeSha256 matches) or refused before any upload, with
the reason (over a size limit, more than 5 layers, ...). Every step waits for Lambda to finish;
a failure or Ctrl-C says what was done, and running the same deploy again completes it.
Exit 0 when everything deployed, 1 if any function was refused or failed.

Options:
  --profile P            AWS profile (default: AWS_PROFILE, then the default credential chain)
  --region R             AWS region (default: the profile's, then AWS_REGION)
  --endpoint-url URL     send every AWS call here (an emulator such as LocalStack or moto)
  --role ARN             execution role for functions whose template has no literal Role ARN
                         (default: the deployed function's, else a basic execution role, created with --yes)
  --s3-bucket B          stage zips over 52,428,800 bytes in this bucket (created with --yes)
  --dry-run              print the plan and change nothing
  --yes                  allow creating the IAM role and the S3 bucket when they are missing
  --publish-version      publish a version after a change
  --alias NAME           point this alias at the published version (implies --publish-version)
  --concurrency N        functions deployed at once (default 3)
  --registry HOST:PORT   push images to this registry instead of ECR (for emulators whose ECR cannot take pushes)
  --docker-host URL      the Docker engine for image builds (default: DOCKER_HOST, the docker context, the socket)
${BUILD_ARG_USAGE}
  --json                 machine output on stdout

A function a builder makes (pip, npm, go, make, maven) is built first when its artifact is missing
or out of date (the build's output on stderr), and its artifact is what goes up.`;

const DEPLOY_OPTIONS = {
  ...AWS_OPTIONS,
  role: { type: 'string' },
  's3-bucket': { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  'publish-version': { type: 'boolean' },
  alias: { type: 'string' },
  concurrency: { type: 'string' },
  registry: { type: 'string' },
  'docker-host': { type: 'string' },
  ...BUILD_ARG_OPTIONS,
} as const;

/** `deploy [LOGICAL_ID...]`: plan, then execute, printed as CLI.md describes. */
export async function deployCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values, positionals } = parseOptions(args, DEPLOY_OPTIONS, { positionals: true, cwd });
  const role = typeof values.role === 'string' ? values.role : undefined;
  if (role !== undefined && !role.startsWith('arn:')) throw new UsageError(`--role wants a role ARN (arn:aws:iam::ACCOUNT:role/NAME), not '${role}'`);
  const options: DeployOptions = {
    ...(role ? { role } : {}),
    ...(typeof values['s3-bucket'] === 'string' ? { s3Bucket: values['s3-bucket'] } : {}),
    ...(typeof values.registry === 'string' ? { registryOverride: values.registry } : {}),
    ...(values['publish-version'] === true ? { publishVersion: true } : {}),
    ...(typeof values.alias === 'string' ? { alias: values.alias } : {}),
    concurrency: positiveInt(values, 'concurrency', 3),
  };
  const functions = selectFunctions(await loadModels(common, io), positionals, common.root);
  if (functions.length === 0) {
    if (common.json) io.out(JSON.stringify({ functions: [], layers: [] }, null, 2));
    else io.out('No functions to deploy.');
    return 0;
  }

  const run = await openAwsRun(values, common.json ? undefined : io);
  let plan: DeployPlan | undefined;
  try {
    const ctx = await run.context(options);
    const onProgress = common.json ? undefined : progressPrinter(io);
    plan = await planDeploy(ctx, { functions }, { onProgress, token: run.token });
    if (values['dry-run'] === true) {
      if (common.json) io.out(JSON.stringify(planJson(plan), null, 2));
      else printPlan(plan, io);
      return plan.functions.some((f) => f.action === 'refused') ? 1 : 0;
    }
    for (const c of plan.confirmations) if (!common.json) io.err(`${values.yes === true ? 'will' : 'needs --yes to'}: ${c}`);
    const yes = values.yes === true;
    const result = await executeDeploy(ctx, plan, { onProgress, token: run.token, confirm: async () => yes });
    if (common.json) io.out(JSON.stringify(resultJson(result), null, 2));
    else printResult(result, io);
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UserError) {
      io.err(`lambda-workbench deploy: ${err.message}${err.hint ? `\n${err.hint}` : ''}`);
      return 1;
    }
    if (err instanceof Error && err.name === 'CancelledError') {
      io.err(`lambda-workbench deploy: ${err.message} Nothing was changed: the deploy had not started.`);
      return 1;
    }
    throw err;
  } finally {
    await plan?.dispose();
    await run.close();
  }
}

function selectFunctions(models: Awaited<ReturnType<typeof loadModels>>, ids: string[], root: string): FunctionSpec[] {
  if (models.length === 0) throw new UsageError(`no template.yaml or template.yml under ${root}; pass --template`);
  const all = models.flatMap((m) => m.functions);
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const found = all.filter((f) => f.logicalId === id);
    if (found.length === 0) throw new UsageError(`no function '${id}'${all.length ? ` (functions: ${all.map((f) => f.logicalId).join(', ')})` : ''}`);
    if (found.length > 1) throw new UsageError(`'${id}' is in several templates (${found.map((f) => f.templatePath).join(', ')}); choose one with --template`);
    return found[0];
  });
}

function layerArnsOf(f: FunctionPlan, plan: DeployPlan): string[] {
  return f.layers.map((r) => {
    if (r.kind === 'arn') return r.arn;
    const l = plan.layers.find((p) => p.layerName === r.layerName);
    return l?.current?.arn ?? `${r.layerName}:(new version)`;
  });
}

/** The JSON of a dry run: the same fields as a deploy, with what would be uploaded. */
export function planJson(plan: DeployPlan) {
  return {
    dryRun: true,
    region: plan.region,
    functions: plan.functions.map((f) => ({
      logicalId: f.logicalId,
      functionName: f.functionName,
      action: f.action,
      codeSha256: f.codeSha256,
      codeSize: f.codeSize,
      uploadedBytes: 0,
      uploadBytes: f.uploadBytes,
      via: f.via,
      layers: layerArnsOf(f, plan),
      version: null,
      reason: f.reason,
      changes: f.changes,
      notes: f.notes,
    })),
    layers: plan.layers.map((l) => ({
      logicalId: l.logicalId,
      name: l.layerName,
      action: l.action,
      arn: l.current?.arn ?? null,
      codeSha256: l.codeSha256,
      codeSize: l.bytes,
      uploadBytes: l.uploadBytes,
      reason: l.reason,
    })),
    confirmations: plan.confirmations,
    totalUploadBytes: plan.totalUploadBytes,
  };
}

function functionJson(f: FunctionResult) {
  return {
    logicalId: f.logicalId,
    functionName: f.functionName,
    action: f.action,
    codeSha256: f.codeSha256,
    codeSize: f.codeSize,
    uploadedBytes: f.uploadedBytes,
    via: f.via,
    layers: f.layers,
    version: f.version,
    reason: f.reason,
    done: f.done,
  };
}

export function resultJson(result: DeployResult) {
  return {
    functions: result.functions.map(functionJson),
    layers: result.layers.map((l) => ({
      logicalId: l.logicalId,
      name: l.layerName,
      arn: l.arn,
      version: l.version,
      codeSize: l.codeSize,
      codeSha256: l.codeSha256,
      uploadedBytes: l.uploadedBytes,
      action: l.action,
      reason: l.reason,
    })),
  };
}

const bytes = (n: number | null): string => (n === null ? '-' : `${n.toLocaleString('en-US')} B`);

function printPlan(plan: DeployPlan, io: Io): void {
  const rows = plan.functions.map((f) => [f.logicalId, f.functionName, f.action, f.via ?? '-', bytes(f.uploadBytes), f.changes.join(', ') || '-']);
  const lines = ['Plan (dry run: nothing was changed):', formatTable(['FUNCTION', 'NAME', 'ACTION', 'VIA', 'TO UPLOAD', 'CHANGES'], rows, '  ')];
  if (plan.layers.length > 0) {
    lines.push(formatTable(['LAYER', 'NAME', 'ACTION', 'TO UPLOAD'], plan.layers.map((l) => [l.logicalId, l.layerName, l.action, bytes(l.uploadBytes)]), '  '));
  }
  lines.push(`${bytes(plan.totalUploadBytes)} to upload in ${plan.region}.`);
  for (const c of plan.confirmations) lines.push(`Needs --yes: ${c}.`);
  io.out(lines.join('\n'));
  for (const f of plan.functions) {
    if (f.reason) io.err(`${f.logicalId}: ${f.reason}`);
    for (const n of f.notes) io.err(`${f.logicalId}: ${n}`);
  }
}

function printResult(result: DeployResult, io: Io): void {
  const rows = result.functions.map((f) => [f.logicalId, f.functionName, f.action, f.via ?? '-', bytes(f.uploadedBytes), f.version ?? '-']);
  const lines = [formatTable(['FUNCTION', 'NAME', 'ACTION', 'VIA', 'UPLOADED', 'VERSION'], rows)];
  if (result.layers.length > 0) {
    lines.push(formatTable(['LAYER', 'NAME', 'ACTION', 'VERSION', 'UPLOADED'], result.layers.map((l) => [l.logicalId, l.layerName, l.action, l.version === null ? '-' : String(l.version), bytes(l.uploadedBytes)])));
  }
  io.out(lines.join('\n\n'));
  for (const l of result.layers) if (l.reason) io.err(`layer ${l.layerName}: ${l.reason}`);
  for (const f of result.functions) if (f.reason) io.err(`${f.logicalId}: ${f.reason}`);
}
