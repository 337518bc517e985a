import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeAwsError } from '../../src/core/errors/awsErrors';

function awsError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}

describe('describeAwsError', () => {
  it('offers `aws sso login` when an SSO session expired', () => {
    const d = describeAwsError(awsError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'), { profile: 'work' });
    assert.deepEqual(d.nextStep, { kind: 'ssoLogin', profile: 'work', command: 'aws sso login --profile work' });
    assert.match(d.message, /aws sso login --profile work/);
  });

  it('treats any credential failure of an SSO profile as a sign-in problem', () => {
    const d = describeAwsError(awsError('UnauthorizedException', 'Session token not found or invalid'), { profile: 'corp', profileUsesSso: true });
    assert.equal(d.nextStep.kind, 'ssoLogin');
  });

  it('asks for another profile when no credentials load', () => {
    const d = describeAwsError(awsError('CredentialsProviderError', 'Could not load credentials from any providers'), { profile: 'dev' });
    assert.equal(d.nextStep.kind, 'chooseProfile');
    assert.match(d.message, /No AWS credentials found for profile "dev"/);
  });

  it('names expired and rejected credentials with their code', () => {
    assert.match(describeAwsError(awsError('ExpiredTokenException', 'The security token included in the request is expired')).message, /have expired \(ExpiredTokenException\)/);
    const rejected = describeAwsError(awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'));
    assert.equal(rejected.code, 'UnrecognizedClientException');
    assert.equal(rejected.nextStep.kind, 'chooseProfile');
  });

  it('explains an unreachable endpoint, finding the code in the cause chain', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const d = describeAwsError(Object.assign(new Error('fetch failed'), { cause: inner }), { endpoint: 'http://127.0.0.1:9' });
    assert.equal(d.code, 'ECONNREFUSED');
    assert.deepEqual(d.nextStep, { kind: 'checkEndpoint', endpoint: 'http://127.0.0.1:9' });
    const dns = describeAwsError(Object.assign(new Error('getaddrinfo ENOTFOUND api.ecr.xx-east-9.amazonaws.com'), { code: 'ENOTFOUND' }), { region: 'xx-east-9' });
    assert.match(dns.message, /Cannot reach the AWS endpoints of xx-east-9 \(ENOTFOUND\)/);
    assert.equal(dns.nextStep.kind, 'chooseRegion');
  });

  it('recognises cancellation, a missing region and access denied', () => {
    assert.equal(describeAwsError(awsError('AbortError', 'Request aborted')).cancelled, true);
    assert.equal(describeAwsError(new Error('Region is missing')).nextStep.kind, 'chooseRegion');
    assert.equal(describeAwsError(awsError('AccessDeniedException', 'User is not authorized')).nextStep.kind, 'checkPermissions');
  });

  it('keeps other errors to their first line with the code and HTTP status', () => {
    const d = describeAwsError(awsError('InternalFailure', 'boom\n  at stack frame', { $metadata: { httpStatusCode: 500 } }));
    assert.equal(d.message, 'InternalFailure: boom (HTTP 500)');
    assert.ok(!d.message.includes('\n'));
    assert.equal(describeAwsError('plain string').message, 'plain string');
    assert.equal(describeAwsError(awsError('RepositoryNotFoundException', "The repository with name 'x' does not exist")).message, "RepositoryNotFoundException: The repository with name 'x' does not exist");
  });
});
