// A package pip finds no wheel for on Lambda's platform is built from its source distribution, as
// SAM does: on this machine when it is pure Python (its wheel is py3-none-any, good anywhere), and
// otherwise inside the function's own image (the image local runs use), whose Python, C library
// and CPU are Lambda's, so the compiled extension loads there.
import { existsSync, promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../errors';
import { ensureImage, imageForRuntime } from '../../local/images';
import { toolFailed } from '../toolchains';
import type { BuildContext } from '../types';
import { localBuildEngine, runInContainer } from './container';
import { findTool, runStep } from './step';

/** The requirement pip could find no usable distribution for ('docopt==0.6.2'), from its output. */
export function missingDistribution(tail: readonly string[]): string | undefined {
  const line = tail.find((l) => /No matching distribution found for /.test(l));
  return line?.replace(/^.*No matching distribution found for\s+/, '').trim() || undefined;
}

/** The project name a requirement names: 'docopt' for 'docopt==0.6.2'. */
export function requirementName(requirement: string): string {
  return requirement.split(/[\s<>=!~;[@(]/)[0];
}

/** Where a wheel built from source was made. */
export type SourceBuild = 'here' | 'image';

const WORK = '/var/lambda-workbench';

/**
 * Builds a wheel of `requirement` from its source into `wheelDir`: here when the result is pure
 * Python, else inside the function's image. Says which in the build log. Throws a UserError when
 * pip finds no source either, or the image cannot be had or cannot build it.
 */
export async function wheelFromSource(ctx: BuildContext, requirement: string, version: string, wheelDir: string, pipArgs: readonly string[]): Promise<SourceBuild> {
  const name = requirementName(requirement);
  const here = join(ctx.scratch, `sdist-${name}`);
  await fs.mkdir(wheelDir, { recursive: true });
  await fs.mkdir(here, { recursive: true });
  const python = findTool(ctx, 'python3', 'python') ?? 'python3';
  const args = ['-m', 'pip', 'wheel', '--no-deps', '--no-binary', name, '--wheel-dir', here, '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', requirement, ...pipArgs];
  ctx.log(`pip: no wheel of ${name} for Lambda's platform; building it from its source distribution`);
  const result = await runStep(ctx, 'python', { command: python, args, cwd: ctx.unit.codeDir, env: { PIP_ROOT_USER_ACTION: 'ignore', PYTHONDONTWRITEBYTECODE: '1' } });
  const unfound = result.code === 0 ? undefined : missingDistribution(result.tail);
  if (unfound && requirementName(unfound).toLowerCase() === name.toLowerCase()) throw noDistribution(ctx, requirement, version);
  // What its build needs (setuptools, wheel...) is not to be had: the image would not have it either.
  if (unfound) {
    const hint = `pip found no ${requirementName(unfound)}, which building ${name} needs: check the package index pip uses (${ctx.sources.pipArgs}).`;
    throw toolFailed(ctx.unit, `Building ${name} from source`, result.tail, hint, 'build-index');
  }
  const wheel = (await wheelsIn(here))[0];
  if (result.code === 0 && wheel && /-none-any\.whl$/.test(wheel)) {
    await fs.rename(join(here, wheel), join(wheelDir, wheel));
    ctx.log(`pip: built ${wheel} on this machine: pure Python, so it runs on Lambda as it is`);
    return 'here';
  }
  if (wheel) ctx.log(`pip: ${name} compiles native code (${wheel}): building it again inside the function's image`);
  await buildInImage(ctx, requirement, version, wheelDir, pipArgs);
  return 'image';
}

/** `pip wheel` inside the image the function runs in locally: its Python and C library are Lambda's. */
async function buildInImage(ctx: BuildContext, requirement: string, version: string, wheelDir: string, pipArgs: readonly string[]): Promise<void> {
  const { unit, settings, sources } = ctx;
  const name = requirementName(requirement);
  const runtime = unit.runtime ?? `python${version}`;
  const choice = imageForRuntime(runtime, settings.images, sources.images);
  const engine = await localBuildEngine(ctx);
  if (!engine) {
    throw new UserError(
      `${unit.logicalId}: ${name} has no wheel for Lambda and has to be built inside ${choice.image}, but the Docker engine runs on another machine, which cannot see this build's folders.`,
      `Build with a Docker engine on this machine (${sources.chooseDockerHost}), or pin a version of ${name} that publishes manylinux wheels.`,
      'build-image-remote',
    );
  }
  try {
    await ensureImage(engine.docker, { ...choice, runtime, architecture: unit.architecture }, { token: ctx.token, mapIn: sources.images });
  } catch (err) {
    if (!(err instanceof UserError) || err.code !== 'image-pull-failed') throw err;
    throw new UserError(
      `${unit.logicalId}: ${name} has no wheel for Lambda, so it has to be built inside ${runtime}'s image, ${choice.image}, which is not available: ${err.message}`,
      `Map ${runtime} to an image with pip and a C compiler (${sources.images}; AWS's build image public.ecr.aws/sam/build-${runtime} has both), or pin a version of ${name} that publishes manylinux wheels.`,
      'build-image-missing',
    );
  }
  const out = join(ctx.scratch, `image-${name}`);
  await fs.mkdir(out, { recursive: true });
  const { args, binds } = inContainer(pipArgs, unit.codeDir);
  ctx.log(`pip: building ${requirement} inside ${choice.image} (${unit.architecture})`);
  const { code, tail } = await runInContainer(ctx, engine, {
    image: choice.image,
    entrypoint: ['/bin/sh', '-c', 'exec python3 -m pip "$@"', 'pip'],
    cmd: ['wheel', '--no-deps', '--no-binary', name, '--wheel-dir', `${WORK}/out`, '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', requirement, ...args],
    env: ['PIP_ROOT_USER_ACTION=ignore', 'PYTHONDONTWRITEBYTECODE=1'],
    workingDir: '/tmp',
    binds: [`${out}:${WORK}/out`, ...binds],
  });
  if (code !== 0) {
    throw toolFailed(
      unit,
      `Building ${name} inside ${choice.image}`,
      tail,
      `Building ${name} from source needs pip, a C compiler and Python's headers in the image: map ${runtime} to such an image (${sources.images}; AWS's build image public.ecr.aws/sam/build-${runtime} has them), or pin a version of ${name} that publishes manylinux wheels.`,
      'build-image-failed',
    );
  }
  const wheels = await wheelsIn(out);
  if (wheels.length === 0) throw toolFailed(unit, `Building ${name} inside ${choice.image}`, tail, 'pip reported success but left no wheel: build it by hand in that image to see why.');
  for (const w of wheels) await fs.copyFile(join(out, w), join(wheelDir, w));
  ctx.log(`pip: built ${wheels.join(', ')} inside ${choice.image}`);
}

/** pip's --find-links/-f values, each with the local folder it names (relative ones from `cwd`), when it names one. */
export function findLinkArgs(args: readonly string[], cwd: string): { at: number; width: number; value: string; local?: string }[] {
  const out: { at: number; width: number; value: string; local?: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^(?:--find-links|-f)(?:=(.+))?$/.exec(args[i]);
    if (!m) continue;
    const value = m[1] ?? args[i + 1];
    if (value === undefined) continue;
    const local = value.startsWith('file://') ? value.slice('file://'.length) : /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? undefined : resolve(cwd, value);
    out.push({ at: i, width: m[1] === undefined ? 2 : 1, value, ...(local !== undefined ? { local } : {}) });
    if (m[1] === undefined) i++;
  }
  return out;
}

/**
 * pip's arguments as the container sees them: each local --find-links folder is mounted read-only
 * at a path of its own; the rest (an index URL, --no-index) is passed as it is.
 */
export function inContainer(pipArgs: readonly string[], cwd: string): { args: string[]; binds: string[] } {
  const mounted = findLinkArgs(pipArgs, cwd).filter((l) => l.local !== undefined && existsSync(l.local));
  const binds = mounted.map((l, n) => `${l.local}:${WORK}/find-links/${n}:ro`);
  const args = [...pipArgs];
  // From the end, so the positions of the earlier ones still hold.
  for (let n = mounted.length - 1; n >= 0; n--) args.splice(mounted[n].at, mounted[n].width, '--find-links', `${WORK}/find-links/${n}`);
  return { args, binds };
}

async function wheelsIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => f.endsWith('.whl')).map((f) => basename(f)).sort();
}

function noDistribution(ctx: BuildContext, requirement: string, version: string): UserError {
  const name = requirementName(requirement);
  return new UserError(
    `${ctx.unit.logicalId}: pip found neither a wheel for Python ${version} on ${ctx.unit.architecture} nor a source distribution of ${name} (${requirement}).`,
    `Check the name and version of ${name} in requirements.txt, and the package index pip uses (${ctx.sources.pipArgs}).`,
    'build-no-wheel',
  );
}
