import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { bridgeGateway } from '../../src/core/docker/bridge';
import { runLabels, testEnv } from './env';

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });
}

describe('harness: Docker engine and the Lambda-like test image', function () {
  const docker = new Docker();
  let server: Server | undefined;
  let task: string | undefined;

  after(() => {
    server?.close();
    if (task) rmSync(task, { recursive: true, force: true });
  });

  it('is an engine in the state a new machine\'s is: its default bridge\'s IPAM config names no gateway', async () => {
    // What every new user's first engine start shows; an engine that started before has the
    // Gateway, and would hide a product that depends on it.
    const net = (await docker.getNetwork('bridge').inspect()) as { IPAM: { Config: { Subnet?: string; Gateway?: string }[] } };
    assert.ok(net.IPAM.Config.length > 0, 'the bridge has a subnet');
    assert.deepEqual(net.IPAM.Config.filter((c) => c.Gateway), []);
    const info = (await docker.info()) as { DockerRootDir: string };
    assert.match(info.DockerRootDir, /lwb-engine-/, 'the run\'s own data root');
  });

  it('runs a handler with AWS\'s runtime interface client against a Runtime API server on the host', async () => {
    const { image } = testEnv();
    task = mkdtempSync(join(tmpdir(), 'lwb-task-'));
    writeFileSync(join(task, 'index.mjs'), 'export const handler = async (event, ctx) => ({ echo: event, id: ctx.awsRequestId, fn: ctx.functionName });\n');
    const gateway = await bridgeGateway({ docker });

    // The smallest Runtime API that serves one invocation and records the answer.
    const requestId = 'a1b2c3d4-0000-4000-8000-000000000001';
    const response = new Promise<{ path: string; payload: string }>((resolve) => {
      let served = false;
      server = createServer((req, res) => {
        void (async () => {
          if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next' && !served) {
            served = true;
            res.writeHead(200, {
              'content-type': 'application/json',
              'lambda-runtime-aws-request-id': requestId,
              'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
              'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:probe',
              'lambda-runtime-trace-id': 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
            });
            res.end(JSON.stringify({ hello: 'container' }));
          } else if (req.method === 'POST') {
            const payload = await body(req);
            res.writeHead(202).end('{"status":"OK"}');
            resolve({ path: req.url ?? '', payload });
          }
          // further /next polls stay open until the container is removed
        })();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, gateway, resolve));
    const port = (server!.address() as { port: number }).port;

    const container = await docker.createContainer({
      Image: image,
      Cmd: ['index.handler'],
      Labels: runLabels(),
      Env: [
        `AWS_LAMBDA_RUNTIME_API=${gateway}:${port}`,
        'AWS_LAMBDA_FUNCTION_NAME=probe',
        'AWS_LAMBDA_FUNCTION_VERSION=$LATEST',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128',
        'AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/probe',
        'AWS_LAMBDA_LOG_STREAM_NAME=local',
      ],
      HostConfig: { Binds: [`${task}:/var/task:ro`], Memory: 128 * 1024 * 1024 },
    });
    try {
      await container.start();
      const got = await Promise.race([
        response,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no response from the container within 20 s')), 20_000)),
      ]);
      assert.equal(got.path, `/2018-06-01/runtime/invocation/${requestId}/response`);
      assert.deepEqual(JSON.parse(got.payload), { echo: { hello: 'container' }, id: requestId, fn: 'probe' });
    } finally {
      await container.remove({ force: true });
    }
  });
});
