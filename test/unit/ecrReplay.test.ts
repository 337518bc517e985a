/**
 * The listing benchmark's replay endpoint (scripts/lib/ecrReplay.mjs) pages like ECR: maxResults within ECR's
 * limits, 100 by default, opaque stable tokens bound to their listing, no nextToken on the last page. Read with
 * the real ECR client over HTTP, as the benchmark's clients read it.
 */
import { after, before, describe, it } from 'node:test';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import { REPO_ROOT } from '../support/cliProcess';

interface Replay {
  endpoint: string;
  calls(): Record<string, number>;
  resetCalls(): void;
  stop(): Promise<void>;
}
type ReplayModule = { startEcrReplay(world: { repositories: object[]; images: Record<string, object[]> }): Promise<Replay> };

// The module is ES (.mjs) and this test compiles to CommonJS, whose import() TypeScript would turn into require().
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<ReplayModule>;

const REPOSITORIES = 2345;
const IMAGES = 2500;
const repositories = [
  ...Array.from({ length: REPOSITORIES - 1 }, (_, i) => ({ repositoryName: `service-${String(i).padStart(4, '0')}`, registryId: '123456789012' })),
  { repositoryName: 'big', registryId: '123456789012' },
];
const images = Array.from({ length: IMAGES }, (_, i) => ({
  imageDigest: `sha256:${i.toString(16).padStart(64, '0')}`,
  imageTags: i % 10 === 0 ? [] : i % 3 === 0 ? [`v${i}`, `latest-${i}`] : [`v${i}`],
  imagePushedAt: 1_700_000_000 + i,
  imageSizeInBytes: 1000 + i,
}));

describe('ECR replay endpoint (listing benchmark)', () => {
  let replay: Replay;
  let ecr: ECRClient;
  before(async () => {
    const { startEcrReplay } = await importModule(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'lib', 'ecrReplay.mjs')).href);
    replay = await startEcrReplay({ repositories, images: { big: images, 'service-0000': [] } });
    ecr = new ECRClient({ endpoint: replay.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    ecr.destroy();
    await replay.stop();
  });

  it('pages DescribeRepositories by maxResults, in order, every item once, and the last page has no nextToken', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 1000, nextToken }));
      sizes.push(page.repositories?.length ?? 0);
      seen.push(...(page.repositories ?? []).map((r) => r.repositoryName ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(sizes, [1000, 1000, 345]);
    assert.deepEqual(seen, repositories.map((r) => r.repositoryName));
  });

  it('answers 100 per page when maxResults is absent, as ECR does', async () => {
    const page = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big' }));
    assert.equal(page.imageDetails?.length, 100);
    assert.ok(page.nextToken);
    assert.equal(page.imageDetails?.[0].imagePushedAt?.getTime(), 1_700_000_000_000, 'dates go over the wire as epoch seconds');
  });

  it('gives the same opaque token for the same request, and the token continues where the page ended', async () => {
    const first = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 1000 }));
    const again = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 1000 }));
    assert.equal(first.imageDetails?.length, 1000);
    assert.equal(first.nextToken, again.nextToken);
    assert.doesNotMatch(first.nextToken ?? '', /1000/, 'the token does not show the offset');
    const second = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 1000, nextToken: first.nextToken }));
    assert.equal(second.imageDetails?.[0].imageDigest, images[1000].imageDigest);
    const last = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 1000, nextToken: second.nextToken }));
    assert.equal(last.imageDetails?.length, 500);
    assert.equal(last.nextToken, undefined);
  });

  it('lists one image id per tag (an untagged image by its digest) in ListImages, paged the same way', async () => {
    const ids: Array<{ imageDigest?: string; imageTag?: string }> = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ecr.send(new ListImagesCommand({ repositoryName: 'big', maxResults: 1000, nextToken }));
      ids.push(...(page.imageIds ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    const expected = images.flatMap((i) => (i.imageTags.length ? i.imageTags : [undefined]));
    assert.equal(ids.length, expected.length);
    assert.equal(pages, Math.ceil(expected.length / 1000));
    assert.equal(ids.filter((i) => i.imageTag === undefined).length, IMAGES / 10);
  });

  it('refuses maxResults over 1,000 or under 1, a token of another listing or a forged one, and an unknown repository', async () => {
    await assert.rejects(ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 1001 })), { name: 'InvalidParameterException' });
    await assert.rejects(ecr.send(new DescribeRepositoriesCommand({ maxResults: 0 })), { name: 'InvalidParameterException' });
    const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: 10 }));
    await assert.rejects(ecr.send(new ListImagesCommand({ repositoryName: 'big', nextToken: images.nextToken })), { name: 'InvalidParameterException' });
    await assert.rejects(ecr.send(new DescribeRepositoriesCommand({ nextToken: `${images.nextToken}x` })), { name: 'InvalidParameterException' });
    await assert.rejects(ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })), { name: 'RepositoryNotFoundException' });
    const empty = await ecr.send(new DescribeImagesCommand({ repositoryName: 'service-0000', maxResults: 1000 }));
    assert.deepEqual([empty.imageDetails, empty.nextToken], [[], undefined]);
  });

  it('counts the calls by operation', async () => {
    replay.resetCalls();
    await ecr.send(new DescribeRepositoriesCommand({ maxResults: 5 }));
    await ecr.send(new ListImagesCommand({ repositoryName: 'big', maxResults: 5 }));
    assert.deepEqual(replay.calls(), { DescribeRepositories: 1, ListImages: 1 });
  });
});
