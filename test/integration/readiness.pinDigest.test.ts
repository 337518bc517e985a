/**
 * The digest the pin quick fix writes, read from Debian's docker-registry over HTTP: an anonymous registry (as
 * public registries answer pulls) gives the manifest's digest; one that wants a login gives a clear "pin it by
 * hand"; an unknown tag its HTTP status. The image is put through the registry's own upload API.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manifestDigest } from '../../src/docker/manifestDigest';
import { startRegistry, type TestRegistry } from '../support/docker';

const sha256 = (body: string | Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

async function putImage(registry: string, repository: string, tag: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
  const configDigest = sha256(config);
  const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  assert.equal(start.status, 202, 'upload started');
  const location = new URL(start.headers.get('location')!, `http://${registry}`);
  location.searchParams.set('digest', configDigest);
  const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: config });
  assert.equal(put.status, 201, 'config blob stored');
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers: [] });
  const stored = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  assert.equal(stored.status, 201, `manifest stored: ${await stored.text()}`);
  return sha256(manifest);
}

describe('pin a base image by digest: the registry\'s answer', () => {
  let dir: string;
  let open: TestRegistry;
  let locked: TestRegistry;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-pin-'));
    [open, locked] = await Promise.all([startRegistry(path.join(dir, 'open'), { anonymous: true }), startRegistry(path.join(dir, 'locked'))]);
  });
  after(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the digest of a tag from an anonymous registry: the sha256 of the stored manifest', async () => {
    const expected = await putImage(open.endpoint, 'team/base', '1.4');
    assert.equal(await manifestDigest(`${open.endpoint}/team/base:1.4`), expected);
    // A reference already by digest reads the same manifest.
    assert.equal(await manifestDigest(`${open.endpoint}/team/base@${expected}`), expected);
  });

  it('a registry that wants a login, and an unknown tag, fail with one clear line', async () => {
    await assert.rejects(manifestDigest(`${locked.endpoint}/team/base:1.4`), (error: Error) => error.name === 'RegistryApiError' && /HTTP 401 .*pin it by hand/.test(error.message));
    await assert.rejects(manifestDigest(`${open.endpoint}/team/base:9.9`), /answered HTTP 404 for team\/base:9\.9/);
  });
});
