/** Lifecycle preview: ECR's API where the endpoint has it, the core evaluator where it does not. */
import { afterEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeImagesCommand, ECRClient, GetLifecyclePolicyPreviewCommand, StartLifecyclePolicyPreviewCommand } from '@aws-sdk/client-ecr';
import { previewLifecyclePolicy } from '../../src/app/lifecycle/preview';
import type { AwsAccess, AwsEdge } from '../../src/app/ports';
import * as realEdge from '../../src/aws/index';
import type { AwsClients } from '../../src/aws/clients';
import { formatLifecyclePolicy, REFERENCE_LIFECYCLE_POLICY } from '../../src/core/lifecycle/policy';
import { NOW } from '../support/lifecycleExamples';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const policyText = formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY);
const outcome = { imageDigest: 'sha256:a', imageTags: ['pr-1'], imagePushedAt: new Date(1), action: 'expire' as const, appliedRulePriority: 3 };

function fakeEdge(api: () => Promise<unknown>) {
  const local: unknown[][] = [];
  const edge = {
    lifecyclePreview: {
      previewWithApi: api,
      previewUnsupportedReason: realEdge.lifecyclePreview.previewUnsupportedReason,
      previewLocally: async (...args: unknown[]) => {
        local.push(args);
        return { source: 'local', results: [outcome], notEvaluated: [], imagesConsidered: 4 };
      },
    },
  } as unknown as AwsEdge;
  return { access: { edge, clients: { ecr: 'ecr' } } as unknown as AwsAccess, local };
}

describe('previewLifecyclePolicy (fake edge)', () => {
  it('takes the API\'s answer when the endpoint has the preview API', async () => {
    const { access, local } = fakeEdge(async () => [outcome]);
    assert.deepEqual(await previewLifecyclePolicy(access, 'r', policyText), { source: 'api', results: [outcome], notEvaluated: [] });
    assert.deepEqual(local, []);
  });

  it('evaluates locally, with the same request, when the endpoint does not implement the API', async () => {
    const { access, local } = fakeEdge(async () => Promise.reject(Object.assign(new Error('x'), { name: 'UnknownOperationException' })));
    const signal = new AbortController().signal;
    const preview = await previewLifecyclePolicy(access, 'quilt', policyText, { signal });
    assert.deepEqual(preview, { source: 'local', results: [outcome], notEvaluated: [], imagesConsidered: 4, fallbackReason: 'the endpoint does not implement the preview API (UnknownOperationException)' });
    assert.deepEqual(local, [['ecr', 'quilt', policyText, { signal }]]);
  });

  it('does not hide a real failure behind a local evaluation', async () => {
    const { access, local } = fakeEdge(async () => Promise.reject(Object.assign(new Error('timed out'), { name: 'PreviewFailedError' })));
    await assert.rejects(previewLifecyclePolicy(access, 'r', policyText), { name: 'PreviewFailedError' });
    assert.deepEqual(local, []);
  });
});

describe('previewLifecyclePolicy (the real edge on scripted answers)', () => {
  const ecrMock = mockClient(ECRClient);
  const ecr = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const access: AwsAccess = { edge: realEdge, clients: { ecr } as unknown as AwsClients };
  const signal = new AbortController().signal;
  afterEach(() => ecrMock.reset());

  it('falls back to the local evaluator, and says so, when the endpoint answers 500', async () => {
    const serverError = Object.assign(new Error('Internal Server Error'), { name: 'Unknown', $metadata: { httpStatusCode: 500 } });
    ecrMock.on(StartLifecyclePolicyPreviewCommand).rejects(serverError);
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:old', imageTags: ['pr-9'], imagePushedAt: new Date(NOW.getTime() - 5 * 86_400_000) }] });
    const preview = await previewLifecyclePolicy(access, 'r', policyText, { signal, now: NOW });
    assert.equal(preview.source, 'local');
    assert.equal(preview.fallbackReason, 'the endpoint answered the preview API with HTTP 500');
    assert.deepEqual(preview.results.map((r) => [r.imageDigest, r.appliedRulePriority]), [['sha256:old', 3]]);
  });

  it('does not hide a real refusal behind a local evaluation', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    ecrMock.on(StartLifecyclePolicyPreviewCommand).rejects(denied);
    await assert.rejects(previewLifecyclePolicy(access, 'r', policyText, { signal }), { name: 'AccessDeniedException' });
    assert.equal(ecrMock.commandCalls(DescribeImagesCommand).length, 0);
  });

  it('answers with the API when it completes', async () => {
    ecrMock.on(StartLifecyclePolicyPreviewCommand).resolves({ status: 'IN_PROGRESS' });
    ecrMock.on(GetLifecyclePolicyPreviewCommand).resolves({ status: 'COMPLETE', previewResults: [{ imageDigest: 'sha256:b', imageTags: [], imagePushedAt: new Date(2), action: { type: 'EXPIRE' }, appliedRulePriority: 1 }] });
    const preview = await previewLifecyclePolicy(access, 'r', policyText, { signal, pollIntervalMs: 1 });
    assert.equal(preview.source, 'api');
    assert.deepEqual(preview.results.map((r) => r.imageDigest), ['sha256:b']);
  });
});
