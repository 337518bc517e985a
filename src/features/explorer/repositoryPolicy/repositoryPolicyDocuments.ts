/**
 * A repository's permissions policy as a JSON document (src/features/explorer/policyDocuments.ts): read with
 * GetRepositoryPolicy, checked on save against the IAM policy grammar (the shipped schema) — a document that
 * does not follow it is never sent — and written with SetRepositoryPolicy. Saving needs a trusted workspace.
 */
import type { AwsSession } from '../../connection/awsSession';
import type { Log } from '../../log';
import { PolicyDocuments, policyDocumentLocation, policyDocumentUri, type PolicyKind, type PolicyLocation } from '../policyDocuments';

/** The grammar checks load with the first document read, saved or opened (dist/repositoryPolicy.js), not at activation. */
const loadPolicyChecks = () => import('./policyChecks');

export const REPOSITORY_POLICY_SCHEME = 'ecrdeploy-repository-policy';
export const REPOSITORY_POLICY_SUFFIX = '.repository-policy.json';

export const UNTRUSTED_POLICY_TEXT = 'This workspace is not trusted: repository policies can be read here but not changed. Trust the workspace to save it.';

const REPOSITORY_POLICY: PolicyKind = {
  scheme: REPOSITORY_POLICY_SCHEME,
  suffix: REPOSITORY_POLICY_SUFFIX,
  noun: 'repository policy',
  deleteCommand: 'Delete Repository Policy',
  writeOperation: 'SetRepositoryPolicy',
  untrustedSave: UNTRUSTED_POLICY_TEXT,
  read: ({ edge, clients }, repositoryName) => edge.ecr.getRepositoryPolicy(clients.ecr, repositoryName),
  write: async ({ edge, clients }, repositoryName, text) => void (await edge.ecr.setRepositoryPolicy(clients.ecr, repositoryName, text)),
  pretty: async (text) => (await loadPolicyChecks()).prettyRepositoryPolicyText(text),
  problems: async (text) => {
    const { parseRepositoryPolicy, describeRepositoryPolicyProblems } = await loadPolicyChecks();
    const parsed = parseRepositoryPolicy(text);
    return parsed.policy ? undefined : describeRepositoryPolicyProblems(parsed.problems);
  },
};

export const repositoryPolicyUri = (location: PolicyLocation) => policyDocumentUri(REPOSITORY_POLICY, location);
export const repositoryPolicyLocation = (uri: Parameters<typeof policyDocumentLocation>[1]) => policyDocumentLocation(REPOSITORY_POLICY, uri);

export class RepositoryPolicyDocuments extends PolicyDocuments {
  constructor(session: AwsSession, log: Log) {
    super(REPOSITORY_POLICY, session, log);
  }
}
