// Build steps that run inside an image rather than on this machine: a Python package compiled in
// the function's own image, a Java function compiled by the JDK of its runtime's build image. The
// container sees the build's folders through bind mounts, so the engine must be this machine's.
import { CancelledError } from '../../cancel';
import { type Engine, openEngine } from '../../docker';
import { engineIsLocal } from '../../docker/locality';
import { LABEL_OWNER, ownerLabel } from '../../local/labels';
import type { BuildContext } from '../types';

/** The Docker engine a build runs containers on, or undefined when it is on another machine (which cannot see the build's folders). */
export async function localBuildEngine(ctx: BuildContext): Promise<Engine | undefined> {
  const engine = await openEngine({ dockerHost: ctx.settings.dockerHost, dockerHostSource: ctx.sources.dockerHost, sources: ctx.sources });
  return (await engineIsLocal(engine)) ? engine : undefined;
}

export interface ContainerStep {
  image: string;
  entrypoint: string[];
  cmd: string[];
  env?: string[];
  workingDir: string;
  /** host:container[:ro] mounts. */
  binds: string[];
  /** uid:gid the step runs as; the image's own user when absent. */
  user?: string;
}

/**
 * Runs one step in a container whose output goes to the build log line by line, and removes the
 * container after it (or when the build is cancelled). Returns its exit code and last 40 lines.
 */
export async function runInContainer(ctx: BuildContext, engine: Engine, step: ContainerStep): Promise<{ code: number; tail: string[] }> {
  const container = await engine.docker.createContainer({
    Image: step.image,
    Entrypoint: step.entrypoint,
    Cmd: step.cmd,
    Env: step.env ?? [],
    WorkingDir: step.workingDir,
    ...(step.user ? { User: step.user } : {}),
    Labels: { [LABEL_OWNER]: ownerLabel() },
    HostConfig: { Binds: step.binds },
  });
  const tail: string[] = [];
  const sub = ctx.token?.onCancellationRequested(() => void container.remove({ force: true }).catch(() => undefined));
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      const lines = (pending + chunk.toString('utf8')).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 40) tail.shift();
        ctx.log(l);
      }
    };
    const sink = { write: (c: Buffer) => (onData(c), true) } as unknown as NodeJS.WritableStream;
    engine.docker.modem.demuxStream(stream, sink, sink);
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (ctx.token?.isCancellationRequested) throw new CancelledError('the build');
    return { code: StatusCode, tail };
  } finally {
    sub?.dispose();
    await container.remove({ force: true }).catch(() => undefined);
  }
}
