import { testFunctionSpec } from '../../support/specs';
import assert from 'node:assert/strict';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { imageSizeRefusal, layerCountRefusal, unzippedBudgetRefusal, uploadRoute } from '../../../src/core/deploy/budget';
import { configChanges, desiredConfig } from '../../../src/core/deploy/config';
import { functionNameOf, layerNameOf, parseLayerVersionArn } from '../../../src/core/deploy/names';
import { repositoryFromImageUri, repositoryNameFor } from '../../../src/core/deploy/ecr';
import { hashFromDescription, layerDescription } from '../../../src/core/deploy/layerPlan';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';

const fn = (patch: Partial<FunctionSpec> = {}): FunctionSpec => testFunctionSpec({ logicalId: 'Api', templatePath: '/t/template.yaml', codeUri: '/t/api', ...patch });

describe('deploy rules: limits, names and configuration', () => {
  it('routes zips up to 52,428,800 bytes directly and bigger ones through S3', () => {
    assert.equal(uploadRoute(52_428_800), 'direct');
    assert.equal(uploadRoute(52_428_801), 's3');
  });

  it('refuses more than 262,144,000 bytes unzipped (code + layers), naming the bytes, the limit and the fixes', () => {
    assert.equal(unzippedBudgetRefusal('api', 262_000_000, 144_000), null);
    const reason = unzippedBudgetRefusal('api', 262_000_000, 144_001) ?? '';
    assert.match(reason, /^api is 262,144,001 bytes unzipped \(code 262,000,000 bytes \+ layers 144,001 bytes\), over Lambda's limit of 262,144,000 bytes/);
    assert.match(reason, /nothing was uploaded/);
    assert.match(reason, /bundle the code \(Metadata BuildMethod: esbuild\)/);
    assert.match(reason, /layers count toward the same limit/);
    assert.match(reason, /container image \(PackageType: Image, up to 10 GiB\)/);
  });

  it('refuses a sixth layer and an image over 10 GiB', () => {
    assert.equal(layerCountRefusal('api', 5), null);
    assert.match(layerCountRefusal('api', 6) ?? '', /api lists 6 layers; Lambda attaches at most 5\./);
    assert.equal(imageSizeRefusal('api', 10_737_418_240), null);
    assert.match(imageSizeRefusal('api', 10_737_418_241) ?? '', /10,737,418,241 bytes uncompressed, over Lambda's limit of 10,737,418,240 bytes; nothing was pushed/);
  });

  it('names functions and layers, refusing names only CloudFormation can resolve', () => {
    assert.deepEqual(functionNameOf(fn()), { ok: true, name: 'Api' });
    assert.deepEqual(functionNameOf(fn({ functionName: 'my-api' })), { ok: true, name: 'my-api' });
    const expr = functionNameOf(fn({ functionNameExpression: { fn: 'Sub', args: '${AWS::StackName}-api' } }));
    assert.equal(expr.ok, false);
    assert.match(expr.ok ? '' : expr.reason, /FunctionName of Api is a CloudFormation expression \(!Sub\)/);
    assert.equal(functionNameOf(fn({ functionName: 'has space' })).ok, false);
    const layer = { logicalId: 'Shared', layerName: undefined } as unknown as LayerSpec;
    assert.deepEqual(layerNameOf(layer), { ok: true, name: 'Shared' });
    assert.deepEqual(parseLayerVersionArn('arn:aws:lambda:eu-west-1:123456789012:layer:shared:4'), { layerArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:shared', name: 'shared', version: 4 });
    assert.equal(parseLayerVersionArn('arn:aws:lambda:eu-west-1:123456789012:layer:shared'), undefined);
  });

  it('keeps the layer hash in a description it can read back', () => {
    const sha = 'MgiKN3dleD/Uq6h9jwfI2oY8ArrW3AiXUvRGTaFRMjI=';
    assert.equal(layerDescription(sha), `lwb:sha256=${sha}`);
    assert.equal(hashFromDescription(layerDescription(sha)), sha);
    assert.equal(hashFromDescription(`shared code (lwb:sha256=${sha})`), sha);
    assert.equal(hashFromDescription('something else'), undefined);
    assert.equal(hashFromDescription(undefined), undefined);
  });

  it('finds the ECR repository in an image URI', () => {
    assert.equal(repositoryFromImageUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1'), 'team/api');
    assert.equal(repositoryFromImageUri(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`), 'api');
    assert.equal(repositoryFromImageUri('docker.io/library/node:22'), undefined);
    assert.equal(repositoryNameFor('My_Api Fn'), 'my_api-fn');
  });

  it('lists only the configuration that differs, in Lambda terms', () => {
    const deployed: FunctionConfiguration = {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      MemorySize: 128,
      Timeout: 3,
      Environment: { Variables: { A: '1' } },
      Layers: [{ Arn: 'arn:l:1' }, { Arn: 'arn:m:1' }],
      Role: 'arn:aws:iam::1:role/old',
      EphemeralStorage: { Size: 512 },
    };
    const same = desiredConfig(fn({ environment: { A: '1' } }), ['arn:l:1', 'arn:m:1'], undefined);
    assert.deepEqual(configChanges(same, deployed), { update: {}, changed: [] });

    const reordered = configChanges(desiredConfig(fn({ environment: { A: '1' } }), ['arn:m:1', 'arn:l:1'], undefined), deployed);
    assert.deepEqual(reordered.changed, ['Layers'], 'layer order matters');

    const all = configChanges(desiredConfig(fn({ runtime: 'nodejs20.x', handler: 'app.handler', memorySize: 256, timeout: 9, environment: {}, ephemeralStorageMb: 1024 }), [], 'arn:aws:iam::1:role/new'), deployed);
    assert.deepEqual(all.changed, ['Runtime', 'Handler', 'MemorySize', 'Timeout', 'Environment', 'Layers', 'Role', 'EphemeralStorage']);
    assert.deepEqual(all.update.Environment, { Variables: {} }, 'removing every variable is a change too');
    assert.deepEqual(all.update.EphemeralStorage, { Size: 1024 });

    const image = desiredConfig(fn({ packageType: 'Image' }), [], undefined);
    assert.equal(image.Runtime, undefined, 'image functions take runtime and handler from the image');
    assert.equal(image.Handler, undefined);
    assert.deepEqual(configChanges(desiredConfig(fn({ ephemeralStorageMb: 512 }), [], undefined), { MemorySize: 128, Timeout: 3, Runtime: 'nodejs22.x', Handler: 'index.handler' }).changed, [], '512 MB is the default /tmp');
  });
});
