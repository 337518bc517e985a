// Identifiers shaped like the ones ECS hands out.
import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet, length) {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** `ecs-svc/` and 19 digits, the form of a service deployment id in DescribeServices. */
export const deploymentId = () => `ecs-svc/${pick('123456789', 1)}${pick('0123456789', 18)}`;
/** A task id: 32 hex digits. */
export const taskId = () => randomBytes(16).toString('hex');
/** The last part of a service deployment ARN (21 characters). */
export const serviceDeploymentId = () => pick(ALNUM, 21);
/** The last part of a service revision ARN (19 digits). */
export const serviceRevisionId = () => `${pick('123456789', 1)}${pick('0123456789', 18)}`;
/** A lifecycle hook id, like `ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw` in the ECS guide. */
export const hookId = (targetType) => `ecs-${targetType === 'PAUSE' ? 'pause' : 'lambda'}-${randomBytes(32).toString('base64url')}`;
export const uuid = () => randomUUID();
