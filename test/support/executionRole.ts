/**
 * The reference world's task execution role, as the reference workflow sets it up: `ecsTaskExecutionRole`,
 * trusted by ECS tasks, with the pull and logs permissions of AmazonECSTaskExecutionRolePolicy (moto has AWS's
 * managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES, so a customer-managed copy of its statement is
 * attached) and an inline policy to read the service's secret. With it the healthy demo service passes Diagnose
 * Service; without it every diagnosis would report a missing role.
 */
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';

export const EXECUTION_ROLE = 'ecsTaskExecutionRole';

export async function seedExecutionRole(iam: IAMClient, secretName: string): Promise<string> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const role = await iam.send(new CreateRoleCommand({ RoleName: EXECUTION_ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const executionPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  };
  const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'ECSTaskExecutionRolePolicy', PolicyDocument: JSON.stringify(executionPolicy) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: EXECUTION_ROLE, PolicyArn: policy.Policy!.Arn }));
  const readSecret = { Version: '2012-10-17', Statement: [{ Sid: 'ReadServiceSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretName}*` }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: EXECUTION_ROLE, PolicyName: 'read-service-secret', PolicyDocument: JSON.stringify(readSecret) }));
  return role.Role!.Arn!;
}
