/**
 * The SDK-backed part of the AWS edge, as one module. The extension loads it lazily (bundled apart as
 * dist/aws.js) on the first AWS call, so activation never pays for the SDK. Modules that need no SDK
 * (connection) are imported directly.
 */
export { createAwsClients, type AwsClients } from './clients';
export * as ecr from './ecr';
export * as ecs from './ecs';
export { RegistryAuth } from './auth';
export * as pushedImage from './pushedImage';
export * as deploy from './deploy';
export * as logs from './logs';
export * as scan from './scan';
export * as lifecyclePreview from './lifecyclePreview';
export * as serviceDeployments from './serviceDeployments';
export * as metrics from './metrics';
export * as elbv2 from './elbv2';
export * as iam from './iam';
export * as ssm from './ssm';
export * as secretsManager from './secretsManager';
export * as doctorReads from './doctorReads';
