/** What the eager diagnostics and the lazy rules both name, apart so neither imports the other. */
export const READINESS_SOURCE = 'ECR Deploy readiness';
/** Read-only documents of Check Deploy Readiness (the deployed revision, the report): it sets their diagnostics itself. */
export const READINESS_SCHEME = 'ecr-deploy-readiness';

export type ReadinessCandidate = 'dockerfile' | 'taskDefinition';
