/**
 * The ECR edge on scripted answers, for what moto 5.2.1 cannot produce (TEST-ENVIRONMENT.md):
 * nextToken pagination of DescribeRepositories/DescribeImages (moto ignores maxResults), scan status
 * and findings summaries (moto's DescribeImages never returns them), and the lifecycle policy preview
 * API (moto answers 500). Everything moto does answer is covered against moto in test/integration.
 */
import { afterEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyPreviewCommand,
  LifecyclePolicyPreviewInProgressException,
  StartLifecyclePolicyPreviewCommand,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { listImages, listImagesPage, listRepositoriesPage, manifestListChildren } from '../../src/aws/ecr';
import { previewLocally, previewWithApi, PreviewFailedError } from '../../src/aws/lifecyclePreview';
import { compareNewestFirst, imageDescription, imageDetailLines, imageSearchText } from '../../src/core/ecr/imageRow';
import { PagedListing } from '../../src/core/ecr/pagedListing';
import { formatLifecyclePolicy, REFERENCE_LIFECYCLE_POLICY } from '../../src/core/lifecycle/policy';
import { DOCUMENTED_EXAMPLES, NOW } from '../support/lifecycleExamples';

// The SDK's Node 20 deprecation notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const signal = new AbortController().signal;
afterEach(() => ecrMock.reset());

const detail = (n: number, extra: Partial<ImageDetail> = {}): ImageDetail => ({
  imageDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
  imageTags: [`v1.0.${n}`],
  imagePushedAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
  imageSizeInBytes: 45_200_000,
  ...extra,
});

describe('ECR edge: pagination with nextToken (moto does not paginate)', () => {
  it('asks for 1,000 per page and passes the token on', async () => {
    ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'big', nextToken: undefined })
      .resolves({ imageDetails: [detail(1)], nextToken: 'p2' })
      .on(DescribeImagesCommand, { repositoryName: 'big', nextToken: 'p2' })
      .resolves({ imageDetails: [detail(2)], nextToken: 'p3' })
      .on(DescribeImagesCommand, { repositoryName: 'big', nextToken: 'p3' })
      .resolves({ imageDetails: [detail(3)] });
    const first = await listImagesPage(ecr, 'big', { signal });
    assert.equal(first.nextToken, 'p2');
    assert.equal(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input.maxResults, 1000);
    const all = await listImages(ecr, 'big', { signal });
    assert.deepEqual(all.map((i) => i.imageTags?.[0]), ['v1.0.1', 'v1.0.2', 'v1.0.3']);
  });

  it('the view listing reads one API page per "Load more" and shows newest first among what it read', async () => {
    const pages = [Array.from({ length: 1000 }, (_, i) => detail(i)), Array.from({ length: 1000 }, (_, i) => detail(5000 + i)), [detail(9999)]];
    ecrMock.on(DescribeImagesCommand).callsFake((input: { nextToken?: string }) => {
      const index = input.nextToken ? Number(input.nextToken) : 0;
      return { imageDetails: pages[index], nextToken: index + 1 < pages.length ? String(index + 1) : undefined };
    });
    const listing = new PagedListing((token, s) => listImagesPage(ecr, 'big', { nextToken: token, signal: s }), {
      pageSize: 1000,
      compare: compareNewestFirst,
      searchText: imageSearchText,
    });
    await listing.loadMore(signal);
    assert.equal(listing.visible().length, 1000);
    assert.equal(ecrMock.commandCalls(DescribeImagesCommand).length, 1);
    assert.ok(listing.hasMore());
    await listing.loadMore(signal);
    await listing.loadMore(signal);
    assert.equal(ecrMock.commandCalls(DescribeImagesCommand).length, 3);
    assert.equal(listing.visible().length, 2001);
    assert.equal(listing.visible()[0].imageTags?.[0], 'v1.0.9999');
    assert.equal(listing.hasMore(), false);
  });

  it('repositories page the same way', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'a' }], nextToken: 'more' });
    const page = await listRepositoriesPage(ecr, { signal });
    assert.equal(page.nextToken, 'more');
    assert.equal(ecrMock.commandCalls(DescribeRepositoriesCommand)[0].args[0].input.maxResults, 1000);
  });
});

describe('ECR edge: scan status and findings summary (moto never returns them)', () => {
  it('shows the summary a real DescribeImages returns, in the row and the tooltip', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [
        detail(1, {
          imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
          imageScanFindingsSummary: { imageScanCompletedAt: NOW, findingSeverityCounts: { CRITICAL: 2, HIGH: 5, LOW: 1 } },
        }),
        detail(2, { imageScanStatus: { status: 'IN_PROGRESS' } }),
        detail(3, { imageScanStatus: { status: 'ACTIVE' }, imageScanFindingsSummary: { findingSeverityCounts: {} } }),
        detail(4, { imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'UnsupportedImageError: The operating system is not supported' } }),
      ],
    });
    const { items } = await listImagesPage(ecr, 'quilt-mcp-server', { signal });
    const now = new Date(items[0].imagePushedAt!.getTime() + 3 * 86_400_000);
    assert.equal(imageDescription(items[0], now), '3 d ago · 45.2 MB · 2 critical · 5 high · 1 low');
    assert.match(imageDescription(items[1], now), /scanning…$/);
    assert.match(imageDescription(items[2], now), /no findings$/);
    assert.match(imageDescription(items[3], now), /scan unsupported$/);
    assert.ok(imageDetailLines(items[3]).includes('Scan: UNSUPPORTED_IMAGE (UnsupportedImageError: The operating system is not supported)'));
  });
});

describe('ECR edge: manifest lists', () => {
  it('reads the children of manifest lists so the evaluator never expires them', async () => {
    const index = detail(9, { imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' });
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageManifest: JSON.stringify({ manifests: [{ digest: 'sha256:amd64', platform: { os: 'linux', architecture: 'amd64' } }, { digest: 'sha256:arm64' }] }) }],
    });
    const children = await manifestListChildren(ecr, 'r', [detail(1), index], { signal });
    assert.deepEqual([...children], ['sha256:amd64', 'sha256:arm64']);
    assert.deepEqual(ecrMock.commandCalls(BatchGetImageCommand)[0].args[0].input.imageIds, [{ imageDigest: index.imageDigest }]);
    assert.equal((await manifestListChildren(ecr, 'r', [detail(1)], { signal })).size, 0);
    assert.equal(ecrMock.commandCalls(BatchGetImageCommand).length, 1, 'no call when there is no manifest list');
  });
});

const policyText = formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY);

describe('ECR edge: lifecycle policy preview API (moto answers 500)', () => {
  it('starts, polls until COMPLETE, and reads every page of results', async () => {
    ecrMock.on(StartLifecyclePolicyPreviewCommand).resolves({ status: 'IN_PROGRESS' });
    ecrMock
      .on(GetLifecyclePolicyPreviewCommand, { nextToken: undefined })
      .resolvesOnce({ status: 'IN_PROGRESS' })
      .resolves({
        status: 'COMPLETE',
        previewResults: [{ imageDigest: 'sha256:b', imageTags: ['pr-1'], imagePushedAt: new Date(2), action: { type: 'EXPIRE' }, appliedRulePriority: 3 }],
        nextToken: 't2',
      })
      .on(GetLifecyclePolicyPreviewCommand, { nextToken: 't2' })
      .resolves({ status: 'COMPLETE', previewResults: [{ imageDigest: 'sha256:a', imageTags: [], imagePushedAt: new Date(1), action: { type: 'EXPIRE' }, appliedRulePriority: 1 }] });
    const results = await previewWithApi(ecr, 'quilt-mcp-server', policyText, { signal, pollIntervalMs: 1 });
    assert.deepEqual(results.map((r) => [r.imageDigest, r.appliedRulePriority, r.action]), [['sha256:a', 1, 'expire'], ['sha256:b', 3, 'expire']]);
    assert.equal(ecrMock.commandCalls(StartLifecyclePolicyPreviewCommand)[0].args[0].input.lifecyclePolicyText, policyText);
    assert.equal(ecrMock.commandCalls(GetLifecyclePolicyPreviewCommand).length, 3);
  });

  it('waits for a preview already running, then starts its own', async () => {
    ecrMock
      .on(StartLifecyclePolicyPreviewCommand)
      .rejectsOnce(new LifecyclePolicyPreviewInProgressException({ message: 'in progress', $metadata: {} }))
      .resolves({ status: 'IN_PROGRESS' });
    ecrMock.on(GetLifecyclePolicyPreviewCommand).resolves({ status: 'COMPLETE', previewResults: [] });
    assert.deepEqual(await previewWithApi(ecr, 'r', policyText, { signal, pollIntervalMs: 1 }), []);
    assert.equal(ecrMock.commandCalls(StartLifecyclePolicyPreviewCommand).length, 2);
  });

  it('reports a FAILED preview instead of an empty result', async () => {
    ecrMock.on(StartLifecyclePolicyPreviewCommand).resolves({});
    ecrMock.on(GetLifecyclePolicyPreviewCommand).resolves({ status: 'FAILED' });
    await assert.rejects(previewWithApi(ecr, 'r', policyText, { signal, pollIntervalMs: 1 }), (e: Error) => e instanceof PreviewFailedError && /FAILED/.test(e.message));
  });

  it('stops polling when cancelled', async () => {
    const abort = new AbortController();
    ecrMock.on(StartLifecyclePolicyPreviewCommand).resolves({});
    ecrMock.on(GetLifecyclePolicyPreviewCommand).callsFake(() => {
      abort.abort();
      return { status: 'IN_PROGRESS' };
    });
    await assert.rejects(previewWithApi(ecr, 'r', policyText, { signal: abort.signal, pollIntervalMs: 50 }), { name: 'AbortError' });
  });
});

describe('lifecycle preview: the API and the local evaluator agree on the same data', () => {
  // The preview API is scripted with the outcome AWS documents for each example (the API is what
  // moto cannot run); the local path reads the same images through DescribeImages and evaluates.
  for (const example of DOCUMENTED_EXAMPLES) {
    it(example.name, async () => {
      ecrMock.on(StartLifecyclePolicyPreviewCommand).resolves({ status: 'IN_PROGRESS' });
      ecrMock.on(GetLifecyclePolicyPreviewCommand).resolves({
        status: 'COMPLETE',
        previewResults: example.expected.map((e) => {
          const image = example.images.find((i) => i.imageDigest === e.imageDigest)!;
          return { imageDigest: e.imageDigest, imageTags: [...(image.imageTags ?? [])], imagePushedAt: image.imagePushedAt, action: { type: 'EXPIRE' }, appliedRulePriority: e.appliedRulePriority };
        }),
      });
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: example.images.map((i) => ({ ...i, imageTags: [...(i.imageTags ?? [])] })) });
      const text = JSON.stringify(example.policy);
      const fromApi = await previewWithApi(ecr, 'examples', text, { signal, pollIntervalMs: 1 });
      const local = await previewLocally(ecr, 'examples', text, { signal, now: NOW });
      const key = (r: { imageDigest: string; appliedRulePriority: number; imageTags: string[] }) => `${r.imageDigest} rule ${r.appliedRulePriority} [${r.imageTags.join(',')}]`;
      assert.deepEqual(local.results.map(key), fromApi.map(key));
      assert.equal(local.imagesConsidered, example.images.length);
    });
  }
});
