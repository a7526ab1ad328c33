import assert from 'node:assert/strict';
import { builtImageRefs, finalBaseImage } from '../../../src/core/size';
import { fnSpec } from './fixtures';

describe('size: image functions', () => {
  it("finds the final stage's base image, through ARGs and stage names", () => {
    assert.equal(finalBaseImage('FROM public.ecr.aws/lambda/python:3.12\nCOPY . .\n'), 'public.ecr.aws/lambda/python:3.12');
    assert.equal(finalBaseImage('ARG V=22\nFROM --platform=linux/arm64 node:${V} AS build\nRUN npm ci\nFROM public.ecr.aws/lambda/nodejs:$V\nCOPY --from=build /a /b\n'), 'public.ecr.aws/lambda/nodejs:22');
    assert.equal(finalBaseImage('FROM node:22 AS base\nFROM base AS final\nCMD ["x"]\n'), 'node:22', 'a stage name leads back to its image');
    assert.equal(finalBaseImage('ARG BASE\nFROM ${BASE}\n'), undefined, 'an argument without default is unknown');
    assert.equal(finalBaseImage('ARG BASE\nFROM ${BASE}\n', { BASE: 'alpine:3' }), 'alpine:3', 'unless the template passes it');
    assert.equal(finalBaseImage('FROM scratch\nCOPY bootstrap /\n'), undefined);
    assert.equal(finalBaseImage('from \\\n  python:3.13 as x\n'), 'python:3.13', 'case and line continuations');
  });

  it("looks for the built image under its ImageUri, then SAM's tag", () => {
    assert.deepEqual(builtImageRefs(fnSpec({ logicalId: 'ApiFn', packageType: 'Image' })), ['apifn:latest']);
    assert.deepEqual(builtImageRefs(fnSpec({ logicalId: 'ApiFn', packageType: 'Image', imageUri: 'repo/api:1', image: { dockerfile: '/d', dockerContext: '/c', dockerTag: 'v2' } })), ['repo/api:1', 'apifn:v2']);
  });
});
