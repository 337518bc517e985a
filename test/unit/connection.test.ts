import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readProfiles, resolveConnection, sharedConfigPaths } from '../../src/aws/connection';

describe('resolveConnection', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-conn-'));
    fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-west-2\n[profile local]\nregion = eu-west-1\nendpoint_url = http://localhost:4566\n[profile sso]\nsso_session = corp\n');
    fs.writeFileSync(path.join(dir, 'credentials'), '[ci]\naws_access_key_id = x\n');
    env = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), HOME: dir };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name, else ~/.aws', () => {
    assert.deepEqual(readProfiles(env).map((p) => p.name), ['default', 'ci', 'local', 'sso']);
    assert.deepEqual(sharedConfigPaths({ HOME: '/home/u' }), { config: '/home/u/.aws/config', credentials: '/home/u/.aws/credentials' });
  });

  it('uses the default chain and the default profile\'s region when nothing is chosen', () => {
    const c = resolveConnection({}, env);
    assert.equal(c.profile, undefined);
    assert.equal(c.profileLabel, 'default');
    assert.equal(c.region, 'us-west-2');
    assert.equal(c.endpointUrl, undefined);
  });

  it('orders region sources like the AWS CLI: explicit, AWS_REGION, AWS_DEFAULT_REGION, profile', () => {
    assert.equal(resolveConnection({ region: 'ap-south-1', profile: 'local' }, { ...env, AWS_REGION: 'us-east-2' }).region, 'ap-south-1');
    assert.equal(resolveConnection({ profile: 'local' }, { ...env, AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ca-central-1' }).region, 'us-east-2');
    assert.equal(resolveConnection({ profile: 'local' }, { ...env, AWS_DEFAULT_REGION: 'ca-central-1' }).region, 'ca-central-1');
    assert.equal(resolveConnection({ profile: 'local' }, env).region, 'eu-west-1');
    assert.equal(resolveConnection({}, { ...env, AWS_PROFILE: 'local' }).region, 'eu-west-1');
  });

  it('passes the chosen profile\'s endpoint_url to the clients unless something more explicit is set', () => {
    assert.equal(resolveConnection({ profile: 'local' }, env).endpointUrl, 'http://localhost:4566');
    assert.equal(resolveConnection({ profile: 'local', endpointUrl: 'http://127.0.0.1:5000' }, env).endpointUrl, 'http://127.0.0.1:5000');
    const fromEnv = resolveConnection({ profile: 'local' }, { ...env, AWS_ENDPOINT_URL: 'http://env:1' });
    assert.equal(fromEnv.endpointUrl, undefined, 'AWS_ENDPOINT_URL (and its per-service forms) stay with the SDK');
    assert.equal(fromEnv.effectiveEndpoint, 'http://env:1');
  });

  it('knows an SSO profile and tolerates missing files', () => {
    assert.equal(resolveConnection({ profile: 'sso' }, env).profileUsesSso, true);
    const none = resolveConnection({ profile: ' ' }, { HOME: path.join(dir, 'nowhere') });
    assert.equal(none.profile, undefined);
    assert.equal(none.region, undefined);
  });
});
