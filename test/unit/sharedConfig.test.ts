import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { listProfiles, parseIni } from '../../src/core/connection/sharedConfig';

describe('shared config parsing', () => {
  it('reads sections, keys case-insensitively, and skips comments and nested blocks', () => {
    const ini = parseIni('# top\n[default]\nRegion = eu-west-1\n; note\ns3 =\n  max_concurrent_requests = 10\noutput=json\n');
    assert.deepEqual([...ini.get('default')!], [['region', 'eu-west-1'], ['s3', ''], ['output', 'json']]);
  });

  it('lists profiles of both files once, default first, with region, SSO and role facts', () => {
    const config = [
      '[default]', 'region = us-east-1',
      '[profile work]', 'sso_session = corp', 'sso_account_id = 1', 'region = eu-west-1',
      '[profile legacy-sso]', 'sso_start_url = https://x.awsapps.com/start',
      '[profile deployer]', 'role_arn = arn:aws:iam::1:role/deploy', 'source_profile = default', 'endpoint_url = http://localhost:4566',
      '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start',
      '[services local]', 'ecr =', '  endpoint_url = http://x',
    ].join('\n');
    const credentials = '[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n';
    const profiles = listProfiles(config, credentials);
    assert.deepEqual(profiles.map((p) => p.name), ['default', 'ci', 'deployer', 'legacy-sso', 'work']);
    const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
    assert.equal(byName.default.region, 'us-east-1');
    assert.equal(byName.work.usesSso, true);
    assert.equal(byName['legacy-sso'].usesSso, true);
    assert.equal(byName.deployer.assumesRole, true);
    assert.equal(byName.deployer.endpointUrl, 'http://localhost:4566');
    assert.equal(byName.ci.usesSso, false);
    assert.equal(byName.ci.region, undefined);
  });

  it('copes with CRLF line ends, a BOM and empty files', () => {
    assert.deepEqual(listProfiles('\uFEFF[profile a]\r\nregion = us-west-2\r\n', '').map((p) => [p.name, p.region]), [['a', 'us-west-2']]);
    assert.deepEqual(listProfiles('', ''), []);
  });
});
