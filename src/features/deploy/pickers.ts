/** The choices of a deploy, as quick picks: service (remembered per repository), container, tag, image, revision. */
import * as vscode from 'vscode';
import type { AwsAccess } from '../../app/ports';
import type { DeployTarget } from '../memory';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { ContainerDefinition, ImageDetail } from '../../aws/deploy';
import { describeRevision, type RevisionSummary } from '../../core/deploy/revisions';
import type { DeploymentRecord } from '../../core/deploy/history';
import { formatAge } from '../../core/text/format';

interface Item<T> extends vscode.QuickPickItem {
  value?: T;
}

async function pick<T>(items: Thenable<Array<Item<T>>> | Array<Item<T>>, placeHolder: string, title?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { placeHolder, title, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
  return chosen?.value;
}

/** Cluster, then service. Offers the remembered target first when there is one. */
export async function pickService({ edge, clients }: AwsAccess, title: string, remembered?: DeployTarget): Promise<ServiceRef | undefined> {
  if (remembered) {
    const choice = await pick<'remembered' | 'other'>(
      [
        { label: `$(history) ${remembered.service}`, description: remembered.cluster, detail: 'Last deployed here from this repository', value: 'remembered' },
        { label: '$(list-selection) Choose another service...', value: 'other' },
      ],
      'Deploy to which service?',
      title,
    );
    if (choice === 'remembered') return { cluster: remembered.cluster, service: remembered.service };
    if (choice !== 'other') return undefined;
  }
  const clusters = edge.ecs.listClusters(clients.ecs).then((list) =>
    list.map((c) => ({ label: c.clusterName ?? '?', description: `${c.activeServicesCount ?? 0} services`, value: c.clusterArn ?? c.clusterName ?? '' })),
  );
  const cluster = await pick(clusters, 'Cluster', title);
  if (!cluster) return undefined;
  const services = edge.ecs.listServices(clients.ecs, cluster).then((list) =>
    list.map((s) => ({ label: s.serviceName ?? '?', description: `${s.runningCount ?? 0}/${s.desiredCount ?? 0} running`, detail: s.taskDefinition?.split('/').pop(), value: s.serviceName ?? '' })),
  );
  const service = await pick(services, 'Service', title);
  return service ? { cluster: cluster.split('/').pop() ?? cluster, service } : undefined;
}

export function pickContainer(candidates: readonly ContainerDefinition[], preferred: ContainerDefinition | undefined, why: string): Promise<string | undefined> {
  const ordered = preferred ? [preferred, ...candidates.filter((c) => c !== preferred)] : [...candidates];
  return pick(
    ordered.map((c) => ({ label: c.name ?? '?', description: c.image, detail: c === preferred ? 'Runs an image from this repository' : c.essential === false ? 'Sidecar (not essential)' : undefined, value: c.name })),
    `Which container gets the new image? (${why})`,
  );
}

/** One image can carry several tags: deploy the one the person means (a version rather than `latest`). */
export async function pickTag(tags: readonly string[]): Promise<string | undefined> {
  if (tags.length <= 1) return tags[0];
  const ordered = [...tags].sort((a, b) => Number(a === 'latest') - Number(b === 'latest'));
  return pick(ordered.map((t) => ({ label: t, value: t })), 'This image has several tags: deploy which one? (the task definition will name it)');
}

export type ImageChoice = { tag: string } | { image: string };

export async function pickImage(images: Thenable<ImageDetail[]>, repositoryName: string): Promise<ImageChoice | undefined> {
  const items = images.then((list) => [
    ...list.flatMap((img) =>
      (img.imageTags ?? []).map<Item<ImageChoice>>((tag) => ({
        label: tag,
        description: `pushed ${formatAge(img.imagePushedAt)}`,
        detail: (img.imageTags ?? []).length > 1 ? `also tagged ${(img.imageTags ?? []).filter((t) => t !== tag).join(', ')}` : undefined,
        value: { tag },
      })),
    ),
    { label: '$(edit) Enter an image URI...', description: 'any registry', value: { image: '' } },
  ]);
  const choice = await pick(items, `Image of ${repositoryName} to deploy`);
  if (!choice || !('image' in choice)) return choice;
  const typed = await vscode.window.showInputBox({ prompt: 'Image to deploy (registry/repository:tag or @sha256:...)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter an image reference') });
  return typed ? { image: typed.trim() } : undefined;
}

export function pickRevision(revisions: readonly RevisionSummary[], history: readonly DeploymentRecord[]): Promise<RevisionSummary | undefined> {
  return pick(
    revisions.map((r) => {
      const last = history.find((h) => h.toTaskDefinitionArn === r.taskDefinitionArn);
      return {
        label: r.label,
        description: describeRevision(r),
        detail: [r.registeredAt ? `registered ${formatAge(new Date(r.registeredAt))}` : 'registration time unknown', last ? `deployed from here ${formatAge(new Date(last.at))}: ${last.result}` : undefined].filter(Boolean).join(' · '),
        value: r,
      };
    }),
    'Roll back to which revision? (newest first)',
  );
}
