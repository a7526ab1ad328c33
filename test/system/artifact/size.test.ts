import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildCommand } from '../../../src/cli/commands/build';
import { sizeCommand } from '../../../src/cli/commands/size';
import { project, type Project } from '../build/support';
import { bytesUnder, capture, offlineFlags, setEnv } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
  PyTwin:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: twin/
`;

interface SizeJson {
  logicalId: string;
  zippedBytes: number;
  unzippedBytes: number;
  status: string;
  estimate: boolean;
  source: string;
  findings: { code: string; subjects: { package?: string }[] }[];
  topContributors: { name: string }[];
  build: { upToDate: boolean; uncounted: string[] } | null;
}

// `size` on a Python function whose requirements.txt lists real wheels (six, markupsafe), from
// the offline wheel folder, with real pip: an estimate before the build, the artifact after.
describe('artifact (real pip): size measures the built artifact, and says when it estimates', function () {
  this.timeout(120_000);
  let p: Project;
  let restore: () => void;
  before(() => {
    p = project(TEMPLATE, { py: 'python', twin: 'python' });
    restore = setEnv({ LAMBDA_WORKBENCH_CACHE: join(p.dir, '.cache') });
  });
  after(() => {
    restore();
    p.cleanup();
  });

  const size = async (...args: string[]): Promise<SizeJson[]> => {
    const io = capture();
    assert.equal(await sizeCommand([...args, '--json', ...offlineFlags()], io, p.dir), 0, io.stderr);
    return (JSON.parse(io.stdout) as { functions: SizeJson[] }).functions;
  };

  it('unbuilt: estimate true, counting the wheels pip would install; built: estimate false, the artifact, larger than the source', async () => {
    const source = bytesUnder(join(p.dir, 'py'));
    const [before] = await size('Py');
    assert.equal(before.estimate, true);
    assert.deepEqual(before.build?.uncounted, [], 'six and markupsafe are counted from their wheels');
    assert.ok(before.unzippedBytes > source, `${before.unzippedBytes} > ${source}`);

    const io = capture();
    assert.equal(await buildCommand(['Py', ...offlineFlags()], io, p.dir), 0, io.stderr);
    const [after] = await size('Py');
    const artifact = join(p.dir, '.lambda-workbench', 'build', 'Py');
    assert.deepEqual([after.estimate, after.source, after.build?.upToDate], [false, 'artifact', true]);
    assert.equal(after.unzippedBytes, bytesUnder(artifact), 'every byte of the artifact, nothing else');
    assert.ok(after.unzippedBytes > source * 10, `built ${after.unzippedBytes} bytes, source ${source} bytes`);
    assert.ok(after.topContributors.some((c) => c.name.toLowerCase() === 'markupsafe'), after.topContributors.map((c) => c.name).join(', '));
    // The wheel estimate is close to what pip installed (RECORD and INSTALLER files are pip's own).
    assert.ok(Math.abs(after.unzippedBytes - before.unzippedBytes) < after.unzippedBytes * 0.05, `estimate ${before.unzippedBytes}, built ${after.unzippedBytes}`);
    console.log(`      Py: source ${source} bytes; estimate ${before.unzippedBytes} bytes unzipped; built ${after.unzippedBytes} bytes unzipped, ${after.zippedBytes} bytes zipped`);
  });

  it('a function with the same requirements, not built itself, is estimated from the install in the dependency cache: to the byte', async () => {
    const [py, twin] = await size('Py', 'PyTwin');
    assert.deepEqual([twin.estimate, twin.build?.uncounted], [true, []]);
    assert.equal(twin.unzippedBytes, py.unzippedBytes);
    assert.equal(twin.zippedBytes, py.zippedBytes);
  });

  it('a requirement no wheel exists for is named, on its line, and the estimate is not ok', async () => {
    p.write('twin/requirements.txt', 'six==1.17.0\nmarkupsafe==3.0.2\nnot-on-this-machine==1.0\n');
    const [twin] = await size('PyTwin');
    assert.equal(twin.estimate, true);
    assert.deepEqual(twin.build?.uncounted, ['not-on-this-machine']);
    assert.equal(twin.status, 'warn');
    assert.deepEqual(twin.findings.find((f) => f.code === 'dependencies-not-counted')?.subjects, [{ package: 'not-on-this-machine' }]);
  });

  it('size --build builds what is out of date first, then measures the artifact', async () => {
    p.write('twin/requirements.txt', 'six==1.17.0\n');
    const [twin] = await size('PyTwin', '--build');
    assert.deepEqual([twin.estimate, twin.source], [false, 'artifact']);
    assert.equal(twin.unzippedBytes, bytesUnder(join(p.dir, '.lambda-workbench', 'build', 'PyTwin')));
  });
});
