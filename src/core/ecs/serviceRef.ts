/** How every layer names an ECS service: by cluster and service (names or ARNs), nothing more. */
export interface ServiceRef {
  cluster: string;
  service: string;
}

/** The account id of an ARN (`arn:aws:ecs:us-east-1:123456789012:service/...` -> `123456789012`). */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}
