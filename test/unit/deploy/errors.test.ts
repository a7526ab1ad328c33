import assert from 'node:assert/strict';
import { LambdaServiceException, ResourceConflictException } from '@aws-sdk/client-lambda';
import { toUserError } from '../../../src/core/deploy/awsErrors';
import { UserError } from '../../../src/core/errors';

const mapped = (err: unknown, ctx = {}) => toUserError(err, 'updating the code of api', ctx) as UserError;
const named = (name: string, message: string, status?: number) =>
  new LambdaServiceException({ name, $fault: 'client', $metadata: status ? { httpStatusCode: status } : {}, message });

describe('deploy: AWS errors in words a person can act on', () => {
  it('says which command fixes missing, expired and rejected credentials', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.match(mapped(missing).message, /^No AWS credentials found/);
    assert.match(mapped(missing).hint ?? '', /`aws configure`/);
    assert.match(mapped(missing, { profile: 'dev' }).message, /AWS profile 'dev' is not in your shared config or credentials file/);
    const sso = { profile: 'dev', profileInfo: { name: 'dev', sources: ['config' as const], sso: true, staticKeys: false } };
    assert.equal(mapped(missing, sso).hint, 'Run `aws sso login --profile dev`, then try again.');
    assert.equal(mapped(named('ExpiredTokenException', 'The security token included in the request is expired', 403), sso).code, 'aws-sso-expired');
    const expired = mapped(named('ExpiredTokenException', 'The security token included in the request is expired', 403), { profile: 'ci' });
    assert.equal(expired.code, 'aws-credentials-expired');
    assert.match(expired.message, /The AWS credentials of profile 'ci' have expired/);
    assert.match(mapped(named('UnrecognizedClientException', 'The security token included in the request is invalid.', 403), { profile: 'ci' }).message, /AWS rejected the credentials of profile 'ci'/);
  });

  it('reports AccessDenied with the policy message, or the bare 403 an emulator sends', () => {
    const denied = mapped(named('AccessDeniedException', 'User: x is not authorized to perform: lambda:UpdateFunctionCode', 403), { profile: 'ci' });
    assert.equal(denied.code, 'aws-access-denied');
    assert.equal(denied.message, 'AWS denied updating the code of api: User: x is not authorized to perform: lambda:UpdateFunctionCode');
    assert.match(denied.hint ?? '', /profile 'ci' needs permission/);
    const unparsed = Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 403 } });
    assert.match(mapped(unparsed).message, /AWS denied updating the code of api: HTTP 403 Forbidden/);
  });

  it('explains conflicts, missing regions and unreachable endpoints, and passes other errors through', () => {
    const conflict = mapped(new ResourceConflictException({ $metadata: {}, message: 'An update is in progress' }));
    assert.equal(conflict.code, 'aws-conflict');
    assert.match(conflict.hint ?? '', /run the deploy again/);
    assert.match(mapped(new Error('Region is missing'), { profile: 'dev' }).hint ?? '', /--region.*--profile dev/);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.match(mapped(refused, { endpointUrl: 'http://127.0.0.1:4566' }).message, /Could not reach the AWS endpoint http:\/\/127\.0\.0\.1:4566 while updating the code of api \(ECONNREFUSED\)/);
    const bug = new TypeError('x is undefined');
    assert.equal(toUserError(bug, 'x', {}), bug);
    const already = new UserError('mine');
    assert.equal(toUserError(already, 'x', {}), already);
  });
});
