/**
 * The Markdown a command appends to `$GITHUB_STEP_SUMMARY` in GitHub Actions, so a run's page shows the
 * verdict without opening the log. Written only when the runner names the file; nothing else writes there.
 */
import * as fs from 'node:fs';
import { shortTaskDefinition } from '../core/deploy/taskDefinition';
import type { CommandContext } from './framework';

export async function appendStepSummary(context: CommandContext, markdown: string): Promise<void> {
  const file = context.env?.GITHUB_STEP_SUMMARY;
  if (file) await fs.promises.appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}

/** Markdown table cells: a `|` or a line break would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The service's page in the ECS console, where its deployments and events are. */
export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  const name = (arnOrName: string) => encodeURIComponent(arnOrName.split('/').pop() ?? arnOrName);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${name(cluster)}/services/${name(service)}/deployments?region=${region}`;
}

export interface UpdateSummary {
  command: 'deploy' | 'rollback';
  region: string;
  cluster: string;
  service: string;
  image?: string;
  previousTaskDefinitionArn: string;
  taskDefinitionArn: string;
  deploymentId?: string;
  outcome: string;
  reason: string;
  rollback?: { taskDefinitionArn: string; outcome?: string; reason: string };
}

export function updateSummaryMarkdown(s: UpdateSummary): string {
  const title = s.command === 'deploy' ? `Deploy to \`${s.cluster}/${s.service}\`` : `Rollback of \`${s.cluster}/${s.service}\``;
  const rows: Array<[string, string]> = [
    ['Verdict', `**${s.outcome}**: ${cell(s.reason.split('\n')[0])}`],
    ...(s.image ? ([['Image', `\`${cell(s.image)}\``]] as Array<[string, string]>) : []),
    ['Revision', `${shortTaskDefinition(s.previousTaskDefinitionArn)} → ${shortTaskDefinition(s.taskDefinitionArn)}`],
    ['Deployment', s.deploymentId ? `\`${s.deploymentId}\`` : '(none reported)'],
    ...(s.rollback
      ? ([['Rolled back to', `${shortTaskDefinition(s.rollback.taskDefinitionArn)}: ${s.rollback.outcome ?? 'not run'}. ${cell(s.rollback.reason)}`]] as Array<[string, string]>)
      : []),
    ['Service', `[open in the ECS console](${serviceConsoleUrl(s.region, s.cluster, s.service)})`],
  ];
  return [`### ${title}`, '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''].join('\n');
}

export interface ValidateSummary {
  region: string;
  cluster: string;
  service: string;
  verdict: string;
  reasons: string[];
  taskDefinitionArn?: string;
  images: Record<string, string>;
  runningCount: number;
  desiredCount: number;
}

export function validateSummaryMarkdown(s: ValidateSummary): string {
  return [
    `### Validation of \`${s.cluster}/${s.service}\``,
    '',
    `**${s.verdict}**: ${cell(s.reasons[0] ?? '')}`,
    '',
    ...s.reasons.slice(1).map((r) => `- ${cell(r)}`),
    '',
    '| | |',
    '| --- | --- |',
    `| Revision | ${s.taskDefinitionArn ? shortTaskDefinition(s.taskDefinitionArn) : '?'} |`,
    ...Object.entries(s.images).map(([container, image]) => `| Image of ${cell(container)} | \`${cell(image)}\` |`),
    `| Tasks | ${s.runningCount}/${s.desiredCount} running |`,
    `| Service | [open in the ECS console](${serviceConsoleUrl(s.region, s.cluster, s.service)}) |`,
    '',
  ].join('\n');
}
