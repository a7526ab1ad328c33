// A Maven build inside the runtime's build image (AWS's public.ecr.aws/sam/build-javaNN, which has
// its JDK and Maven), for a function whose Java is newer than the one this machine's Maven runs on.
// The container sees the build's copy of the code folder and the Maven repository at the same
// paths as here, and runs as this machine's user, so what it writes is the build's own.
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../errors';
import { ensureImage } from '../../local/images';
import type { Architecture } from '../../model/types';
import { toolFailed } from '../toolchains';
import type { BuildContext } from '../types';
import { localBuildEngine, runInContainer } from './container';

/**
 * Maven's JVM runs for seconds, too short for the optimising compiler to pay for itself: with C1
 * only a build of a generated function takes about half the CPU (17.5 to 9.8 s) and 70% of the
 * time. The classes written are the same. Used only when the user's environment sets no MAVEN_OPTS.
 */
export const QUICK_MAVEN_JVM = '-XX:+TieredCompilation -XX:TieredStopAtLevel=1';

/** MAVEN_OPTS for a build: the user's own when set (in the build's environment or this process's), else QUICK_MAVEN_JVM. */
export function mavenOpts(env: Record<string, string | undefined>): string {
  return env.MAVEN_OPTS ?? QUICK_MAVEN_JVM;
}

/**
 * The Java release javac refused to compile for, from Maven's output ('release version 21 not
 * supported', 'invalid target release: 21'): the project needs a newer JDK than this machine's.
 */
export function unsupportedRelease(tail: readonly string[]): number | undefined {
  for (const line of tail) {
    const m = /release version (\d+) not supported|invalid (?:target|source) release: (?:1\.)?(\d+)/.exec(line);
    if (m) return Number(m[1] ?? m[2]);
  }
  return undefined;
}

/** AWS's build image of a runtime, as sam build --use-container uses it. */
export function buildImageFor(runtime: string): string {
  return `public.ecr.aws/sam/build-${runtime}`;
}

/**
 * The Maven repository the steps use: the one -Dmaven.repo.local names, else Maven's default
 * (~/.m2/repository), so the container reuses what this machine's builds downloaded.
 */
export function mavenRepository(args: readonly string[], cwd: string): { args: string[]; repository: string } {
  const given = args.find((a) => a.startsWith('-Dmaven.repo.local='));
  if (given) {
    const value = given.slice('-Dmaven.repo.local='.length);
    const repository = isAbsolute(value) ? value : resolve(cwd, value);
    return { args: args.map((a) => (a === given ? `-Dmaven.repo.local=${repository}` : a)), repository };
  }
  const repository = join(homedir(), '.m2', 'repository');
  return { args: [...args, `-Dmaven.repo.local=${repository}`], repository };
}

/** Runs the Maven steps (each: what, arguments) in `work` inside the runtime's build image. */
export async function mavenInImage(ctx: BuildContext, work: string, steps: [string, string[]][], release: number): Promise<void> {
  const { unit } = ctx;
  const runtime = unit.runtime ?? `java${release}`;
  const image = buildImageFor(runtime);
  const why = `${unit.logicalId} compiles for Java ${release}, which the JDK Maven runs on here cannot compile for`;
  const fix = `Install a JDK ${release} or later and point JAVA_HOME at it, or make ${image} available to Docker (docker pull ${image}, or docker tag an image with a JDK ${release} and Maven as it).`;
  const engine = await localBuildEngine(ctx);
  if (!engine) {
    throw new UserError(
      `${why}: it would be built inside ${image}, but the Docker engine runs on another machine, which cannot see this build's folders.`,
      `${fix} Or build with a Docker engine on this machine (${ctx.sources.chooseDockerHost}).`,
      'build-image-remote',
    );
  }
  const host: Architecture = process.arch === 'arm64' ? 'arm64' : 'x86_64';
  try {
    // Class files are the same on every CPU: the image for this machine's runs without emulation.
    await ensureImage(engine.docker, { image, overridden: false, runtime, architecture: host }, { token: ctx.token, mapIn: ctx.sources.images });
  } catch (err) {
    if (!(err instanceof UserError) || err.code !== 'image-pull-failed') throw err;
    throw new UserError(`${why}, and ${runtime}'s build image ${image}, where it would be built instead, is not available: ${err.message}`, fix, 'build-image-missing');
  }
  const settings = steps.map(([, args]) => mavenRepository(args, unit.codeDir));
  const repository = settings[0].repository;
  if (!existsSync(repository)) mkdirSync(repository, { recursive: true });
  const user = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid?.() ?? 0}` : undefined;
  for (const [i, [what]] of steps.entries()) {
    ctx.log(`${what} (inside ${image})`);
    const { code, tail } = await runInContainer(ctx, engine, {
      image,
      entrypoint: ['mvn'],
      cmd: settings[i].args,
      // Maven's own files (settings, its user-level caches) go to a HOME the user running it owns.
      env: ['HOME=/tmp', `MAVEN_OPTS=-Duser.home=/tmp ${QUICK_MAVEN_JVM}`],
      workingDir: work,
      binds: [`${work}:${work}`, `${repository}:${repository}`],
      ...(user ? { user } : {}),
    });
    if (code === 0) continue;
    const errors = tail.filter((l) => l.startsWith('[ERROR]'));
    throw toolFailed(unit, `${what} inside ${image}`, errors.length > 0 ? errors : tail, 'Fix the error above, then build again.');
  }
}
