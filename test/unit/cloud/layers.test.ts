import assert from 'node:assert/strict';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { assertLayerVersionUnused, planAttach, planDetach } from '../../../src/core/cloud/layers';
import { layerUsage, nameList } from '../../../src/core/cloud/usage';
import { UserError } from '../../../src/core/errors';

const ARN = (name: string, v: number): string => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${v}`;

function fn(name: string, layers: string[], patch: Partial<FunctionConfiguration> = {}): FunctionConfiguration {
  return { FunctionName: name, Runtime: 'nodejs22.x', Architectures: ['x86_64'], PackageType: 'Zip', Layers: layers.map((Arn) => ({ Arn, CodeSize: 10 })), ...patch };
}

function refuses(run: () => unknown, code: string, message: RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof UserError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

describe('cloud: attaching and detaching layers', () => {
  it('appends a layer version after the ones already attached', () => {
    const change = planAttach(fn('api', [ARN('a', 1)]), { arn: ARN('b', 3), compatibleRuntimes: ['nodejs22.x', 'nodejs20.x'], compatibleArchitectures: ['x86_64'] });
    assert.deepEqual(change, { layers: [ARN('a', 1), ARN('b', 3)] });
  });

  it('replaces another version of the same layer in place (one version of a layer per function)', () => {
    const change = planAttach(fn('api', [ARN('a', 1), ARN('b', 1), ARN('c', 1)]), { arn: ARN('b', 4) });
    assert.deepEqual(change, { layers: [ARN('a', 1), ARN('b', 4), ARN('c', 1)], replaced: ARN('b', 1) });
  });

  it('refuses a sixth layer, naming the limit', () => {
    const five = fn('api', [1, 2, 3, 4, 5].map((i) => ARN(`l${i}`, 1)));
    refuses(() => planAttach(five, { arn: ARN('l6', 1) }), 'layer-limit', /already has 5 layers, Lambda's limit is 5/);
    // Replacing a version does not add a layer, so it is allowed at the limit.
    assert.equal(planAttach(five, { arn: ARN('l3', 2) }).layers.length, 5);
  });

  it('refuses the same version twice', () => {
    refuses(() => planAttach(fn('api', [ARN('a', 1)]), { arn: ARN('a', 1) }), 'layer-duplicate', /a:1 is already attached to api/);
  });

  it('refuses a layer built for another architecture or runtime, when the layer says', () => {
    refuses(() => planAttach(fn('api', [], { Architectures: ['arm64'] }), { arn: ARN('a', 1), compatibleArchitectures: ['x86_64'] }), 'layer-incompatible', /built for x86_64, and api runs on arm64/);
    refuses(() => planAttach(fn('api', []), { arn: ARN('a', 1), compatibleRuntimes: ['python3.12', 'python3.13'] }), 'layer-incompatible', /made for python3.12, python3.13, and api uses nodejs22.x/);
    // A layer that lists nothing is compatible with everything.
    assert.deepEqual(planAttach(fn('api', [], { Architectures: ['arm64'] }), { arn: ARN('a', 1), compatibleArchitectures: [], compatibleRuntimes: [] }).layers, [ARN('a', 1)]);
  });

  it('refuses layers on a container image function and anything that is not a layer version ARN', () => {
    refuses(() => planAttach(fn('img', [], { PackageType: 'Image', Runtime: undefined }), { arn: ARN('a', 1) }), 'layer-image-function', /container image function/);
    refuses(() => planAttach(fn('api', []), { arn: 'arn:aws:lambda:us-east-1:123456789012:layer:a' }), 'layer-arn', /not a layer version ARN/);
  });

  it('detaches only what is attached, keeping the order of the rest', () => {
    assert.deepEqual(planDetach(fn('api', [ARN('a', 1), ARN('b', 2), ARN('c', 3)]), ARN('b', 2)), { layers: [ARN('a', 1), ARN('c', 3)] });
    refuses(() => planDetach(fn('api', [ARN('a', 1)]), ARN('a', 2)), 'layer-not-attached', /a:2 is not attached to api/);
  });
});

describe('cloud: which functions use a layer version', () => {
  const functions = [
    fn('orders', [ARN('shared', 2), ARN('x', 1)]),
    fn('api', [ARN('shared', 2)]),
    fn('jobs', [ARN('shared', 1)], { Version: '$LATEST' }),
    fn('jobs', [ARN('old', 1)], { Version: '3' }),
    fn('plain', []),
    { FunctionName: 'nolayers' },
  ];

  it('maps each layer version ARN to the sorted names of the functions that list it', () => {
    const usage = layerUsage(functions);
    assert.deepEqual(usage.get(ARN('shared', 2)), ['api', 'orders']);
    assert.deepEqual(usage.get(ARN('shared', 1)), ['jobs']);
    assert.deepEqual(usage.get(ARN('old', 1)), ['jobs:3'], 'a published version is named with its number');
    assert.deepEqual(usage.get(ARN('x', 1)), ['orders']);
    assert.equal(usage.get(ARN('shared', 3)), undefined);
  });

  it('refuses to delete a used version, naming its users; passes an unused one', () => {
    refuses(() => assertLayerVersionUnused(ARN('shared', 2), functions), 'layer-in-use', /shared:2 is used by api and orders\./);
    assert.deepEqual(assertLayerVersionUnused(ARN('shared', 3), functions), { layerArn: 'arn:aws:lambda:us-east-1:123456789012:layer:shared', name: 'shared', version: 3 });
  });

  it('keeps long name lists readable', () => {
    assert.equal(nameList(['a']), 'a');
    assert.equal(nameList(['a', 'b', 'c']), 'a, b and c');
    assert.equal(nameList(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a, b, c, d, e and 2 more');
  });
});
