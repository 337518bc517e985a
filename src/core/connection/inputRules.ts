/**
 * The rules the AWS names, ARNs and endpoints a person types must follow, checked before anything is
 * sent: a value AWS would refuse (or a newline that would be sent and echoed as it is) is refused here,
 * as bad usage, with the rule it broke. Values are shown back JSON-quoted, so a control character is
 * seen as `\n` rather than breaking the line.
 */
import { quoteForMessage } from '../ecr/inputRules';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** AWS region codes: `us-east-1`, `us-gov-west-1`, `cn-northwest-1`, `us-isob-east-1`. */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
/** ECS cluster, service and container names: letters, digits, "_" and "-", at most 255. */
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PARTITION = 'aws(?:-[a-z]+)*';
const ECS_ARN = new RegExp(`^arn:${PARTITION}:ecs:[a-z0-9-]+:\\d{12}:(cluster|service)/([A-Za-z0-9_/-]+)$`);
const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`);
const LOG_GROUP = /^[A-Za-z0-9._\-/#]{1,512}$/;

/** Undefined when `value` has no control character; else the rule, naming the option. */
export function controlCharacterProblem(option: string, value: string): string | undefined {
  return CONTROL.test(value) ? `--${option} ${quoteForMessage(value)} contains a line break or control character; AWS names and values have none.` : undefined;
}

export function regionProblem(region: string): string | undefined {
  return REGION.test(region) ? undefined : `--region ${quoteForMessage(region)} is not an AWS region code such as us-east-1 or eu-west-2.`;
}

export function profileProblem(profile: string): string | undefined {
  if (!profile.trim()) return '--profile cannot be empty.';
  if (profile.length > 128 || /[[\]]/.test(profile) || profile !== profile.trim()) {
    return `--profile ${quoteForMessage(profile)} is not a profile name of the shared config files (no brackets, no leading or trailing spaces, at most 128 characters).`;
  }
  return undefined;
}

/** An endpoint override: an http(s) URL with a host and nothing secret in it. */
export function endpointUrlProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `--endpoint-url ${quoteForMessage(endpoint)} is not a URL; write it as http(s)://host[:port], for example https://ecs.us-east-1.amazonaws.com.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--endpoint-url ${quoteForMessage(endpoint)} must start with http:// or https://.`;
  if (!url.hostname) return `--endpoint-url ${quoteForMessage(endpoint)} names no host.`;
  // A user:password in the URL would be sent in the clear and echoed in messages.
  if (url.username || url.password) return '--endpoint-url must not carry a user name or password.';
  return undefined;
}

/** A cluster or service as ECS takes it: a name, or the ARN of that kind of resource. */
export function ecsResourceProblem(kind: 'cluster' | 'service', value: string): string | undefined {
  if (ECS_NAME.test(value)) return undefined;
  const arn = ECS_ARN.exec(value);
  if (arn && arn[1] === kind) return undefined;
  if (value.startsWith('arn:')) return `--${kind} ${quoteForMessage(value)} is not an ECS ${kind} ARN (arn:aws:ecs:REGION:ACCOUNT:${kind}/...).`;
  return `--${kind} ${quoteForMessage(value)} is not a ${kind} name: letters, digits, "_" and "-", at most 255 characters, or its ARN.`;
}

export function containerNameProblem(value: string): string | undefined {
  return ECS_NAME.test(value) ? undefined : `--container ${quoteForMessage(value)} is not a container name: letters, digits, "_" and "-", at most 255 characters.`;
}

export function roleArnProblem(value: string): string | undefined {
  return IAM_ROLE_ARN.test(value) ? undefined : `--role-arn ${quoteForMessage(value)} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).`;
}

export function logGroupProblem(value: string): string | undefined {
  return LOG_GROUP.test(value) ? undefined : `--group ${quoteForMessage(value)} is not a log group name: letters, digits and "._-/#", at most 512 characters.`;
}

/**
 * A number of seconds within the bounds a command can wait or poll: Node's timers overflow past
 * about 24.8 days (a longer wait fires at once: a hot loop).
 */
export function secondsProblem(option: string, raw: string, bounds: { min: number; max: number }): string | undefined {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) return `--${option} must be a positive number of seconds, not ${quoteForMessage(raw)}.`;
  if (value < bounds.min || value > bounds.max) return `--${option} must be between ${bounds.min} and ${bounds.max} seconds, not ${quoteForMessage(raw)}.`;
  return undefined;
}
