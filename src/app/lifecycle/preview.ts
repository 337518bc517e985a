/**
 * Lifecycle preview, for every shell: ECR's own preview API where the endpoint has it, else the core
 * evaluator over the repository's images; the answer says which of the two spoke, and why.
 */
import type { LifecyclePreview, PreviewOptions } from '../../aws/lifecyclePreview';
import type { AwsAccess } from '../ports';

export type { LifecyclePreview };

export async function previewLifecyclePolicy(access: AwsAccess, repositoryName: string, lifecyclePolicyText: string, options: PreviewOptions = {}): Promise<LifecyclePreview> {
  const { lifecyclePreview } = access.edge;
  const ecr = access.clients.ecr;
  try {
    return { source: 'api', results: await lifecyclePreview.previewWithApi(ecr, repositoryName, lifecyclePolicyText, options), notEvaluated: [] };
  } catch (error) {
    const reason = lifecyclePreview.previewUnsupportedReason(error);
    if (!reason) throw error;
    return { ...(await lifecyclePreview.previewLocally(ecr, repositoryName, lifecyclePolicyText, options)), fallbackReason: reason };
  }
}
