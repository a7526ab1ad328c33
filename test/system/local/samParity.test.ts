import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplate } from '../../../src/core/model';
import type { FunctionSpec } from '../../../src/core/model/types';
import { samCli, samLocalInvoke } from '../../support/samLocal';
import { pythonImages, testEnv } from '../env';
import { localFixture, type LocalFixture } from './fixture';

// Parity with `sam local invoke` (AWS SAM CLI, which runs AWS's runtime interface emulator in
// the image): the same function, on the same image, invoked cold by SAM and by our runner; the
// environment the handler sees and the REPORT line's fields compared. Each difference is listed
// below with why; an unlisted one fails, and so does a listed one that no longer occurs.
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  NodeEnv:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: node/
      MemorySize: 256
      Timeout: 5
      Environment: { Variables: { TABLE: orders } }
  PyEnv:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: py/
      MemorySize: 256
      Timeout: 5
      Environment: { Variables: { TABLE: orders } }
`;
const CODE = {
  node: { 'index.mjs': 'export const handler = async () => ({ env: process.env });\n' },
  py: { 'app.py': 'import os\n\ndef handler(event, context):\n    return {"env": dict(os.environ)}\n' },
};

type Side = 'only in ours' | 'only in sam' | 'different';

interface Justified {
  /** An environment variable's name, or a fact of the REPORT line ('report: ...'). */
  what: string;
  side: Side;
  why: string;
}

/** Differences both runtimes have. */
const COMMON: readonly Justified[] = [
  // What SAM's runtime interface emulator adds on its own.
  { what: 'AWS_SAM_LOCAL', side: 'only in sam', why: 'SAM marks its own containers; Lambda does not set it, and a function that branches on it would run differently in the cloud' },
  { what: 'AWS_ACCOUNT_ID', side: 'only in sam', why: 'not a variable Lambda sets; the account is in the context\'s invoked function ARN, which we give' },
  { what: 'AWS_LAMBDA_FUNCTION_HANDLER', side: 'only in sam', why: 'the emulator\'s own; Lambda gives the handler as _HANDLER, which both set' },
  { what: 'AWS_LAMBDA_FUNCTION_TIMEOUT', side: 'only in sam', why: 'the emulator\'s own; on Lambda the deadline comes with each invocation (Lambda-Runtime-Deadline-Ms), which we send' },
  { what: 'AWS_LAMBDA_METADATA_API', side: 'only in sam', why: 'the emulator serves a metadata endpoint of its own; ours has none' },
  { what: 'AWS_LAMBDA_METADATA_TOKEN', side: 'only in sam', why: 'the token for that metadata endpoint' },
  // Credentials: SAM passes the caller's, or placeholders when there are none (this test gives it
  // none); we pass none unless the user opts in (lambdaWorkbench.local.passAwsCredentials, --pass-credentials).
  { what: 'AWS_ACCESS_KEY_ID', side: 'only in sam', why: 'SAM\'s placeholder "defaultkey"; without opting in we pass no credentials, so an SDK call fails as plainly as it would without a role' },
  { what: 'AWS_SECRET_ACCESS_KEY', side: 'only in sam', why: 'SAM\'s placeholder "defaultsecret", as above' },
  { what: 'AWS_SESSION_TOKEN', side: 'only in sam', why: 'SAM sets it empty, as above' },
  // What Lambda sets and the emulator does not.
  { what: '_X_AMZN_TRACE_ID', side: 'only in ours', why: 'Lambda sets the X-Ray trace header per invocation (from Lambda-Runtime-Trace-Id); the emulator sends none' },
  { what: 'AWS_LAMBDA_LOG_GROUP_NAME', side: 'different', why: 'ours is Lambda\'s "/aws/lambda/NAME"; the emulator drops the leading slash ("aws/lambda/NAME")' },
  { what: 'AWS_LAMBDA_LOG_STREAM_NAME', side: 'different', why: 'ours is in Lambda\'s form "YYYY/MM/DD/[$LATEST]ID"; the emulator gives "$LATEST"' },
  // Per container, on either side.
  { what: 'HOSTNAME', side: 'different', why: 'the container\'s id, a new one per container' },
  { what: 'AWS_LAMBDA_RUNTIME_API', side: 'different', why: 'the emulator serves the Runtime API inside the container (127.0.0.1:9001); ours is served by the runner on this machine, at a host name of the container\'s own' },
  // REPORT.
  { what: 'report: field order', side: 'different', why: 'ours prints Lambda\'s order (Init Duration last); the emulator prints Init Duration first' },
  { what: 'report: trailing tab', side: 'only in sam', why: 'the emulator ends the line with a tab; Lambda does not' },
  { what: 'report: Init Duration', side: 'different', why: 'ours is measured from the container\'s start to the runtime\'s first /next; the emulator reports a few milliseconds at most (usually well under one) whatever the runtime took' },
  { what: 'report: Billed Duration', side: 'different', why: 'ours bills the Init Duration too, as Lambda does since August 2025; the emulator bills the Duration only' },
  { what: 'report: Max Memory Used', side: 'different', why: 'ours is the container\'s measured peak; the emulator prints the memory size' },
];

const JUSTIFIED: Record<'NodeEnv' | 'PyEnv', readonly Justified[]> = {
  NodeEnv: [
    ...COMMON,
    // Lambda's Node.js base images set it in the image; the emulator leaves it to the image, and this test image (like any image built without it) has none.
    { what: 'AWS_EXECUTION_ENV', side: 'only in ours', why: 'Lambda sets AWS_Lambda_nodejs22.x; we set it from the runtime, the emulator only passes what the image has' },
    { what: 'SHLVL', side: 'different', why: 'we start the image\'s /lambda-entrypoint.sh, a shell script that starts the bootstrap shell script (SHLVL 2); the emulator starts the bootstrap itself (1). Shell bookkeeping, not a Lambda variable' },
  ],
  PyEnv: [
    ...COMMON,
    { what: 'LANG', side: 'different', why: 'we set Lambda\'s LANG=en_US.UTF-8 for every runtime; the emulator keeps the image\'s (this Python test image has C.UTF-8)' },
    { what: 'LC_CTYPE', side: 'only in ours', why: 'CPython\'s own locale coercion (PEP 538): this test image has no en_US.UTF-8 locale, so with our LANG Python sets LC_CTYPE=C.UTF-8 itself; AWS\'s image has the locale' },
  ],
};

/** The differences between two sets of variables, by name. */
function envDifferences(ours: Record<string, string>, sam: Record<string, string>): { what: string; side: Side }[] {
  const out: { what: string; side: Side }[] = [];
  for (const name of [...new Set([...Object.keys(ours), ...Object.keys(sam)])].sort()) {
    if (!(name in sam)) out.push({ what: name, side: 'only in ours' });
    else if (!(name in ours)) out.push({ what: name, side: 'only in sam' });
    else if (ours[name] !== sam[name]) out.push({ what: name, side: 'different' });
  }
  return out;
}

/**
 * What a REPORT line says, as facts to compare (values that vary per run are reduced to what
 * they mean: whether Init Duration was measured, what Billed Duration counts).
 */
export function reportFacts(line: string): Map<string, string> {
  const parts = line.split('\t');
  const fields = new Map(parts.slice(1).filter(Boolean).map((p) => p.split(': ') as [string, string]));
  const ms = (name: string): number => Number.parseFloat(fields.get(name) ?? 'NaN');
  const [duration, init, billed, size, used] = [ms('Duration'), ms('Init Duration'), ms('Billed Duration'), ms('Memory Size'), ms('Max Memory Used')];
  const facts = new Map<string, string>([
    ['report: field order', [...fields.keys()].join(', ')],
    ['report: Memory Size', fields.get('Memory Size') ?? '(absent)'],
    ['report: Duration', /^\d+\.\d{2} ms$/.test(fields.get('Duration') ?? '') ? 'milliseconds with two decimals' : `${fields.get('Duration')}`],
    // The emulator's is usually well under a millisecond, and a little over one on a busy machine;
    // a runtime's init takes tens of milliseconds at least.
    ['report: Init Duration', !fields.has('Init Duration') ? '(absent)' : init < 10 ? 'a few milliseconds at most' : 'the runtime\'s init'],
    ['report: Billed Duration', Math.abs(billed - Math.ceil(duration)) <= 1 ? 'Duration, rounded up' : Math.abs(billed - Math.ceil(duration + init)) <= 1 ? 'Init Duration + Duration, rounded up' : `neither (${billed})`],
    ['report: Max Memory Used', used === size ? 'the memory size' : used > 0 && used < size ? 'below the memory size' : `${used} of ${size}`],
  ]);
  if (parts[parts.length - 1] === '') facts.set('report: trailing tab', 'yes');
  return facts;
}

function reportDifferences(ours: Map<string, string>, sam: Map<string, string>): { what: string; side: Side }[] {
  return envDifferences(Object.fromEntries(ours), Object.fromEntries(sam));
}

describe('local invoke parity with sam local invoke (AWS SAM CLI and its runtime interface emulator, same images)', function () {
  this.timeout(300_000);
  const sam = samCli();
  let dir: string;
  let fx: LocalFixture;
  let fns: Record<string, FunctionSpec>;
  const images = (): Record<string, string> => ({ NodeEnv: testEnv().image, PyEnv: pythonImages()['python3.13'] });

  before(async function () {
    if ('missing' in sam) {
      console.log(`    skipped: ${sam.missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'lwb-sam-parity-'));
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    for (const [folder, files] of Object.entries(CODE)) {
      mkdirSync(join(dir, folder));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, folder, name), text);
    }
    fns = Object.fromEntries((await loadTemplate(join(dir, 'template.yaml'))).functions.map((f) => [f.logicalId, f]));
    fx = await localFixture({ images: { 'nodejs22.x': images().NodeEnv, 'python3.13': images().PyEnv } });
  });
  after(async () => {
    await fx?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const id of ['NodeEnv', 'PyEnv'] as const) {
    it(`${id}: the same environment and REPORT fields as sam local invoke's, but for the differences listed`, async () => {
      const theirs = await samLocalInvoke((sam as { path: string }).path, join(dir, 'template.yaml'), id, images()[id]);
      const ours = await fx.runner.invoke(fns[id], { event: {} });
      assert.equal(ours.error, null, JSON.stringify(ours.error));
      assert.ok(ours.report.cold);
      const samEnv = (JSON.parse(theirs.stdout) as { env: Record<string, string> }).env;
      const ourEnv = (ours.payload as { env: Record<string, string> }).env;
      // Both ran the function as the template says: a comparison of two real runs, not of two failures.
      assert.equal(samEnv.TABLE, 'orders');
      assert.equal(samEnv.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');

      const diffs = [...envDifferences(ourEnv, samEnv), ...reportDifferences(reportFacts(ours.reportLine), reportFacts(theirs.reportLine))];
      const rules = JUSTIFIED[id];
      const used = new Set<Justified>();
      const unlisted: string[] = [];
      for (const d of diffs) {
        const rule = rules.find((r) => r.what === d.what && r.side === d.side);
        if (rule) used.add(rule);
        else unlisted.push(`${d.what} (${d.side}): ours ${JSON.stringify(ourEnv[d.what] ?? reportFacts(ours.reportLine).get(d.what))}, SAM ${JSON.stringify(samEnv[d.what] ?? reportFacts(theirs.reportLine).get(d.what))}`);
      }
      assert.deepEqual(unlisted, [], `${id} differs from sam local invoke where no reason is listed (ours: ${ours.reportLine}; SAM: ${theirs.reportLine})`);
      assert.deepEqual(
        rules.filter((r) => !used.has(r)).map((r) => `${r.what} (${r.side})`),
        [],
        `listed differences ${id} no longer has: take them off the list`,
      );
    });
  }
});
