/**
 * The registry token cache. aws-sdk-client-mock stands in for ECR here because moto's
 * GetAuthorizationToken answers an expiresAt fixed in 2015 (TEST-ENVIRONMENT.md): against it every
 * token is already expired, so reuse until expiresAt minus the margin cannot be shown with moto. The
 * real GetAuthorizationToken -> docker login path runs in test/integration/docker.push.test.ts.
 */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeAuthorizationToken, DEFAULT_TOKEN_MARGIN_MS, RegistryAuth } from '../../src/aws/auth';

const ecrMock = mockClient(ECRClient);
const HOUR = 3600_000;
const START = Date.parse('2026-11-27T10:00:00Z');

function answer(password: string, expiresAt: Date | undefined, proxyEndpoint = 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com') {
  return { authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), expiresAt, proxyEndpoint }] };
}

describe('registry token cache', () => {
  let now = START;
  const ecr = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  beforeEach(() => {
    ecrMock.reset();
    now = START;
  });

  it('reuses a token until expiresAt minus the margin, then asks again', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolvesOnce(answer('first', new Date(START + 12 * HOUR))).resolvesOnce(answer('second', new Date(START + 24 * HOUR)));
    const auth = new RegistryAuth(ecr, { now: () => now });
    assert.equal((await auth.token()).password, 'first');
    now = START + 12 * HOUR - DEFAULT_TOKEN_MARGIN_MS - 1;
    assert.equal((await auth.token()).password, 'first', 'still fresh one millisecond before the margin');
    assert.equal(ecrMock.commandCalls(GetAuthorizationTokenCommand).length, 1);
    now = START + 12 * HOUR - DEFAULT_TOKEN_MARGIN_MS;
    assert.equal((await auth.token()).password, 'second', 'within the margin it counts as expired');
    assert.equal(ecrMock.commandCalls(GetAuthorizationTokenCommand).length, 2);
  });

  it('an expired token (moto answers 2015) is never reused', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(answer('old', new Date('2015-01-01T00:00:00Z')));
    const auth = new RegistryAuth(ecr, { now: () => now });
    await auth.token();
    await auth.token();
    assert.equal(ecrMock.commandCalls(GetAuthorizationTokenCommand).length, 2);
  });

  it('a token without expiresAt is not cached', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(answer('x', undefined));
    const auth = new RegistryAuth(ecr, { now: () => now });
    await auth.token();
    await auth.token();
    assert.equal(ecrMock.commandCalls(GetAuthorizationTokenCommand).length, 2);
  });

  it('forceRefresh and invalidate() drop a fresh token', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolvesOnce(answer('a', new Date(START + HOUR))).resolvesOnce(answer('b', new Date(START + HOUR))).resolvesOnce(answer('c', new Date(START + HOUR)));
    const auth = new RegistryAuth(ecr, { now: () => now });
    assert.equal((await auth.token()).password, 'a');
    assert.equal((await auth.token({ forceRefresh: true })).password, 'b');
    auth.invalidate();
    assert.equal((await auth.token()).password, 'c');
  });

  it('concurrent callers share one request', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return answer('shared', new Date(START + HOUR));
    });
    const auth = new RegistryAuth(ecr, { now: () => now });
    const tokens = await Promise.all([auth.token(), auth.token(), auth.credentials()]);
    assert.equal(ecrMock.commandCalls(GetAuthorizationTokenCommand).length, 1);
    assert.deepEqual(tokens.map((t) => t.password), ['shared', 'shared', 'shared']);
  });

  it('a failed request is not cached: the next call asks again', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves(answer('ok', new Date(START + HOUR)));
    const auth = new RegistryAuth(ecr, { now: () => now });
    await assert.rejects(auth.token(), /Rate exceeded/);
    assert.equal((await auth.token()).password, 'ok');
  });

  it('the login endpoint is the proxy endpoint\'s host, or the registry endpoint override', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(answer('p', new Date(START + HOUR)));
    assert.deepEqual(await new RegistryAuth(ecr, { now: () => now }).credentials(), { username: 'AWS', password: 'p', endpoint: '123456789012.dkr.ecr.us-east-1.amazonaws.com' });
    assert.equal((await new RegistryAuth(ecr, { now: () => now, registryEndpoint: '127.0.0.1:5000' }).credentials()).endpoint, '127.0.0.1:5000');
  });

  it('passes the abort signal to the SDK call', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(answer('p', new Date(START + HOUR)));
    const controller = new AbortController();
    await new RegistryAuth(ecr).token({ signal: controller.signal });
    const [call] = ecrMock.commandCalls(GetAuthorizationTokenCommand);
    assert.equal((call.args as unknown[] as [unknown, { abortSignal?: AbortSignal }])[1]?.abortSignal, controller.signal);
  });

  it('decodes USER:PASSWORD, a password may contain ":"', () => {
    assert.deepEqual(decodeAuthorizationToken(Buffer.from('AWS:a:b=c').toString('base64')), { username: 'AWS', password: 'a:b=c' });
    assert.throws(() => decodeAuthorizationToken(Buffer.from('no-colon').toString('base64')), /not base64 of USER:PASSWORD/);
  });
});
