/** Secrets Manager reads for Diagnose Service: DescribeSecret only (metadata), never a secret's value. */
import { DescribeSecretCommand, type DescribeSecretCommandOutput, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isErrorNamed } from '../core/errors/named';
import type { CallOptions } from './ecr';

export type SecretDescription = Pick<DescribeSecretCommandOutput, 'ARN' | 'Name' | 'DeletedDate' | 'KmsKeyId'>;

/** The secret by ARN or name, or undefined when Secrets Manager has none (ResourceNotFoundException). */
export async function describeSecret(secretsManager: SecretsManagerClient, secretId: string, options: CallOptions = {}): Promise<SecretDescription | undefined> {
  try {
    const out = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal: options.signal });
    return { ARN: out.ARN, Name: out.Name, DeletedDate: out.DeletedDate, KmsKeyId: out.KmsKeyId };
  } catch (error) {
    if (isErrorNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}
