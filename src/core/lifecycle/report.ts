/** A lifecycle policy preview as a Markdown report: what would go, by which rule, and who said so. */
import { formatAge, formatTimestamp, plural, shortDigest } from '../text/format';
import type { LifecycleEvaluation, LifecycleOutcome } from './evaluator';
import type { LifecyclePolicy } from './policy';
import { sortTags } from '../ecr/tagPolicy';

export interface PreviewReportInput {
  repositoryName: string;
  region: string;
  source: 'api' | 'local';
  fallbackReason?: string;
  results: LifecycleOutcome[];
  notEvaluated: LifecycleEvaluation['notEvaluated'];
  imagesConsidered?: number;
  policy?: LifecyclePolicy;
  /** Whether the previewed text is the saved policy or an unsaved draft. */
  draft: boolean;
  now: Date;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function lifecyclePreviewReport(input: PreviewReportInput): string {
  const describe = (priority: number) => input.policy?.rules.find((r) => r.rulePriority === priority)?.description;
  const lines = [`# Lifecycle policy preview: ${input.repositoryName}`, ''];
  lines.push(`Region ${input.region} · ${input.draft ? 'unsaved draft from the editor' : 'the saved policy'} · ${formatTimestamp(input.now)}`, '');
  if (input.source === 'api') {
    lines.push("Source: Amazon ECR's lifecycle policy preview.");
  } else {
    lines.push(
      `Source: evaluated by ECR Deploy over ${plural(input.imagesConsidered ?? 0, 'image')}, because ${input.fallbackReason ?? 'the preview API is not available'}.`,
      "It follows ECR's documented evaluation rules; ECR's own preview is used wherever the endpoint offers it.",
    );
  }
  lines.push('');
  const expiring = input.results.filter((r) => r.action === 'expire').length;
  const transitioning = input.results.length - expiring;
  if (!input.results.length) {
    lines.push('**No image would be affected.**');
  } else {
    lines.push(`**${plural(expiring, 'image')} would expire**${transitioning ? `, ${transitioning} would move to archive` : ''}.`, '');
    lines.push('| Rule | Action | Tags | Digest | Pushed |', '|---|---|---|---|---|');
    for (const r of input.results) {
      const rule = describe(r.appliedRulePriority);
      lines.push(
        `| ${r.appliedRulePriority}${rule ? ` ${cell(rule)}` : ''} | ${r.action} | ${cell(r.imageTags.length ? sortTags(r.imageTags).join(', ') : '<untagged>')} | \`${shortDigest(r.imageDigest, 16)}\` | ${formatTimestamp(r.imagePushedAt)} (${formatAge(r.imagePushedAt, input.now)}) |`,
      );
    }
  }
  if (input.notEvaluated.length) {
    lines.push('', 'Rules not evaluated here (their tag selections still protect images from later rules):');
    for (const n of input.notEvaluated) lines.push(`- rule ${n.rulePriority}: ${n.reason}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Where a repository's preview report lives (one per repository and region: a new preview replaces it). */
export function lifecyclePreviewPath(repositoryName: string, region: string): string {
  return `/${region}/${repositoryName} lifecycle preview`;
}
