// A session that passes AWS credentials to a warm container and then dies without cleaning up
// (an editor that crashed, a killed CLI). Run as its own process by credentials.test.ts:
//   node credentialHolder.js   with LWB_HOLDER = JSON { root, image, labels }
// It prints the invocation's payload as one JSON line, then waits to be killed.
import { openEngine } from '../../../src/core/docker';
import { LocalRunner } from '../../../src/core/local';
import { testFunctionSpec } from '../../support/specs';

async function main(): Promise<void> {
  const { root, image, labels, credentials } = JSON.parse(process.env.LWB_HOLDER ?? '{}') as {
    root: string;
    image: string;
    labels: Record<string, string>;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  };
  const engine = await openEngine();
  const runner = await LocalRunner.create({ engine, cacheDir: `${root}/.cache-holder`, images: { 'nodejs22.x': image }, labels, credentials, idleTimeoutMs: 600_000 });
  const fn = testFunctionSpec({ logicalId: 'Holder', templatePath: `${root}/template.yaml`, codeUri: `${root}/Holder` });
  const r = await runner.invoke(fn, {});
  process.stdout.write(`${JSON.stringify(r.payload)}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(2);
});
