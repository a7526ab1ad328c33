import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { testEnv } from './env';

function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<{ error?: string; aux?: { Digest?: string } }[]> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string; aux?: { Digest?: string } }[]) => (err ? reject(err) : resolve(out))),
  );
}

describe('harness: image registry', () => {
  it('builds an image, pushes it to the local registry and pulls it back by digest', async () => {
    const { registry, runId } = testEnv();
    const docker = new Docker();
    const ctx = mkdtempSync(join(tmpdir(), 'lwb-build-'));
    const repo = `${registry}/lwb-harness`;
    const tag = runId.replace(/[^a-zA-Z0-9_.-]/g, '-');
    try {
      writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY marker.txt /marker.txt\n');
      writeFileSync(join(ctx, 'marker.txt'), `${runId}\n`);
      const build = await docker.buildImage({ context: ctx, src: ['Dockerfile', 'marker.txt'] }, { t: `${repo}:${tag}`, pull: false });
      const built = await follow(docker, build);
      assert.deepEqual(built.filter((m) => m.error), [], 'the build reports no error');

      const pushed = await follow(docker, await docker.getImage(`${repo}:${tag}`).push({ authconfig: {} }));
      const digest = pushed.find((m) => m.aux?.Digest)?.aux?.Digest;
      assert.match(digest ?? '', /^sha256:[0-9a-f]{64}$/, 'the push reports a digest');

      await docker.getImage(`${repo}:${tag}`).remove();
      const pulled = await follow(docker, await docker.pull(`${repo}@${digest}`, { authconfig: {} }));
      assert.deepEqual(pulled.filter((m) => m.error), []);
      const info = await docker.getImage(`${repo}@${digest}`).inspect();
      assert.ok(info.RepoDigests.includes(`${repo}@${digest}`));
      await docker.getImage(info.Id).remove({ force: true });
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  });
});
