/**
 * A repository's lifecycle policy as a JSON document (src/features/explorer/policyDocuments.ts): read with
 * GetLifecyclePolicy, checked on save as ECR checks it, written with PutLifecyclePolicy.
 */
import type { AwsSession } from '../../connection/awsSession';
import type { Log } from '../../log';
import { PolicyDocuments, policyDocumentLocation, policyDocumentUri, type PolicyKind, type PolicyLocation } from '../policyDocuments';

/** The policy checks load with the first document read or saved (dist/lifecycle.js), not at activation. */
const loadPolicyChecks = () => import('./policyChecks');

export const LIFECYCLE_SCHEME = 'ecrdeploy-lifecycle';
export const LIFECYCLE_SUFFIX = '.lifecycle-policy.json';

export type { PolicyLocation } from '../policyDocuments';

const LIFECYCLE_POLICY: PolicyKind = {
  scheme: LIFECYCLE_SCHEME,
  suffix: LIFECYCLE_SUFFIX,
  noun: 'lifecycle policy',
  deleteCommand: 'Delete Lifecycle Policy',
  writeOperation: 'PutLifecyclePolicy',
  read: ({ edge, clients }, repositoryName) => edge.ecr.getLifecyclePolicy(clients.ecr, repositoryName),
  write: async ({ edge, clients }, repositoryName, text) => void (await edge.ecr.putLifecyclePolicy(clients.ecr, repositoryName, text)),
  pretty: async (text) => (await loadPolicyChecks()).prettyPolicyText(text),
  problems: async (text) => {
    const { parseLifecyclePolicy, describeProblems } = await loadPolicyChecks();
    const parsed = parseLifecyclePolicy(text);
    return parsed.policy ? undefined : describeProblems(parsed.problems);
  },
};

export const lifecyclePolicyUri = (location: PolicyLocation) => policyDocumentUri(LIFECYCLE_POLICY, location);
export const policyLocation = (uri: Parameters<typeof policyDocumentLocation>[1]) => policyDocumentLocation(LIFECYCLE_POLICY, uri);

export class LifecyclePolicyDocuments extends PolicyDocuments {
  constructor(session: AwsSession, log: Log) {
    super(LIFECYCLE_POLICY, session, log);
  }
}
