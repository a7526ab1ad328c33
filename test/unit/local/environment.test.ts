import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { lambdaEnvironment, logStreamName, parseEnvFile } from '../../../src/core/local/environment';

const fn = { logicalId: 'HelloFunction', functionName: 'hello-prod' };

describe('local: the function\'s environment', () => {
  it('sets what Lambda sets', () => {
    const { env, ignored } = lambdaEnvironment({ functionName: 'hello', memoryMb: 256, region: 'eu-west-1', handler: 'app.handler', runtime: 'nodejs22.x', template: { TABLE: 't1' } });
    assert.deepEqual(ignored, []);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'hello');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/hello');
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-1');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
    assert.equal(env.LAMBDA_TASK_ROOT, '/var/task');
    assert.equal(env.LAMBDA_RUNTIME_DIR, '/var/runtime');
    assert.equal(env._HANDLER, 'app.handler');
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.TABLE, 't1');
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.equal(env[k], undefined, `${k} only when opted in`);
  });

  it('lets the env file override the template, but not Lambda\'s own variables', () => {
    const { env, ignored } = lambdaEnvironment({
      functionName: 'hello',
      memoryMb: 128,
      region: 'us-east-1',
      template: { TABLE: 't1', STAGE: 'dev', AWS_REGION: 'mars-1', TZ: 'Europe/Paris' },
      overrides: { STAGE: 'local', _HANDLER: 'x.y' },
    });
    assert.equal(env.STAGE, 'local');
    assert.equal(env.TABLE, 't1');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.TZ, 'Europe/Paris', 'TZ is not reserved: Lambda lets functions set it');
    assert.deepEqual(ignored.sort(), ['AWS_REGION', '_HANDLER']);
  });

  it('never puts credentials in the container\'s environment (they go in on stdin)', () => {
    const { env } = lambdaEnvironment({ functionName: 'f', memoryMb: 128, region: 'us-east-1', template: {}, credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t', sessionToken: 't0k' } });
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.equal(env[k], undefined);
    assert.doesNotMatch(JSON.stringify(env), /AKIA1|s3cr3t|t0k/);
  });

  it('makes a new log stream name each time', () => {
    assert.notEqual(logStreamName(), logStreamName());
    assert.match(logStreamName(new Date('2024-02-03T00:00:00Z')), /^2024\/02\/03\/\[\$LATEST\]/);
  });
});

describe('local: env files', () => {
  it('reads NAME=value lines with comments, quotes and export', () => {
    const text = '# local settings\nTABLE=orders\nexport STAGE=local\nGREETING="hello world"\nRAW=\'a#b\'\nTRAILING=x # note\nEMPTY=\n';
    assert.deepEqual(parseEnvFile(text, fn), { TABLE: 'orders', STAGE: 'local', GREETING: 'hello world', RAW: 'a#b', TRAILING: 'x', EMPTY: '' });
  });

  it('reads SAM\'s JSON: Parameters, then the function\'s own section', () => {
    const text = JSON.stringify({ Parameters: { STAGE: 'all', TABLE: 'shared' }, HelloFunction: { TABLE: 'mine', PORT: 8080 }, OtherFunction: { TABLE: 'theirs' } });
    assert.deepEqual(parseEnvFile(text, fn), { STAGE: 'all', TABLE: 'mine', PORT: '8080' });
  });

  it('reads a flat JSON object', () => {
    assert.deepEqual(parseEnvFile('{"A":"1","B":true}', fn), { A: '1', B: 'true' });
  });

  it('says which line is wrong', () => {
    assert.throws(() => parseEnvFile('A=1\nnot a line\n', fn, '.env'), (err: unknown) => err instanceof UserError && /\.env line 2 is not NAME=value/.test(err.message));
    assert.throws(() => parseEnvFile('{"A":', fn, 'env.json'), /env\.json is not valid JSON/);
  });

  it('refuses names Docker would split at \'=\' or mangle (empty, NUL), and NUL in values, saying where they are', () => {
    const refused = (text: string, where: RegExp, what: RegExp): void => {
      assert.throws(
        () => parseEnvFile(text, fn, 'env.json'),
        (err: unknown) => err instanceof UserError && err.code === 'env-file' && where.test(err.message) && what.test(err.message) && /letters, digits and underscores/.test(err.hint ?? ''),
      );
    };
    refused('{\n  "Parameters": {\n    "AWS_LAMBDA_RUNTIME_API=evil:1": "x"\n  }\n}', /^env\.json line 3 \(in "Parameters"\)/, /"AWS_LAMBDA_RUNTIME_API=evil:1" has a name with '=' in it/);
    refused('{"": "x"}', /^env\.json line 1/, /"" has an empty name/);
    refused('{"HelloFunction": {"A\\u0000B": "x"}}', /\(in "HelloFunction"\)/, /has a name with a NUL character/);
    refused('{"A": "x\\u0000y"}', /^env\.json line 1/, /"A" has a value with a NUL character/);
    assert.throws(() => parseEnvFile('A=1\nB=x\u0000y\n', fn, '.env'), (err: unknown) => err instanceof UserError && /^\.env line 2: the variable "B" has a value with a NUL/.test(err.message));
    // Whatever the caller, nothing unusable reaches the container's environment.
    assert.throws(() => lambdaEnvironment({ functionName: 'f', memoryMb: 128, region: 'us-east-1', template: { 'A=B': '1' } }), (err: unknown) => err instanceof UserError && err.code === 'env-name');
  });
});
