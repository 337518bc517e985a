/** The deploy commands on a service: Validate Deployment, Roll Back, Show Events, Show Deployment History. */
import * as vscode from 'vscode';
import { rollback } from '../../app/deploy/rollback';
import { validateService } from '../../app/deploy/validate';
import { logHintOf, registerInputOf, shortTaskDefinition } from '../../core/deploy/taskDefinition';
import { summariseRevision, describeRevision } from '../../core/deploy/revisions';
import type { ServiceVerdict } from '../../core/deploy/serviceHealth';
import { describeDeploymentRecord, type DeploymentRecord } from '../../core/deploy/history';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { deploymentResultIcon } from '../explorer/treeItems';
import { readWithProgress, requireTrust, serviceRefOf, type DeployServices, type ServiceArg } from './deployContext';
import { withCancellableProgress } from '../progress';
import { stopAndRollBack } from './pausedDeployments';
import { needsConfirmation, showDiff } from './deployFlow';
import { pickRevision, pickService } from './pickers';
import { detailsAction, followSettings, followUpdate, showEventsAction, showLogsAction } from './rolloutFollow';
import { formatTimestamp } from '../../core/text/format';
import { showMessage, type MessageAction } from '../messages';

/** Revisions described for the rollback list: a person picks among recent ones; older ones by CLI. */
const ROLLBACK_CHOICES = 20;

async function resolveRef(services: DeployServices, arg: ServiceArg, title: string): Promise<ServiceRef | undefined> {
  return serviceRefOf(arg) ?? pickService(await services.session.access(), title);
}

export async function validateDeployment(services: DeployServices, arg: ServiceArg): Promise<void> {
  const ref = await resolveRef(services, arg, 'Validate Deployment');
  if (!ref) return;
  const access = await services.session.access();
  const { assessment, logHint } = await withCancellableProgress(`Validating ${ref.service}`, (signal) => validateService(access, ref, signal));
  services.log.info(`Validate ${ref.cluster}/${ref.service}: ${assessment.verdict}: ${assessment.reasons.join(' ')}`);
  const headline: Record<ServiceVerdict, string> = { healthy: 'healthy', 'in-progress': 'rolling out', unhealthy: 'NOT healthy', unverified: 'not verified' };
  const images = Object.entries(assessment.images).map(([name, image]) => `${name}=${image.split('/').pop()}`).join(', ');
  const message = `${ref.service} is ${headline[assessment.verdict]}: ${assessment.reasons.join(' ')} Revision ${assessment.taskDefinitionArn ? shortTaskDefinition(assessment.taskDefinitionArn) : '?'}, ${images}.`;
  const severity = assessment.verdict === 'healthy' || assessment.verdict === 'in-progress' ? 'info' : assessment.verdict === 'unverified' ? 'warning' : 'error';
  const actions: MessageAction[] = [showEventsAction(ref)];
  if (assessment.verdict === 'unhealthy') actions.unshift({ title: 'Roll Back', run: () => vscode.commands.executeCommand('ecrDeploy.rollBack', ref) }, showLogsAction(ref, logHint));
  await showMessage(severity, message, ...actions);
}

export async function rollBack(services: DeployServices, arg: (ServiceArg & { toTaskDefinitionArn?: string }) | undefined): Promise<void> {
  if (!(await requireTrust('Rolling back'))) return;
  const ref = await resolveRef(services, arg, 'Roll Back');
  if (!ref) return;
  const access = await services.session.access();
  const { edge, clients } = access;
  const to = arg && 'toTaskDefinitionArn' in arg && arg.toTaskDefinitionArn ? { taskDefinitionArn: arg.toTaskDefinitionArn } : undefined;
  // Mid-deployment, rolling back means stopping that deployment: ECS then returns to the revision it ran before.
  if (!to) {
    const current = await readWithProgress(`Reading ${ref.service}`, (signal) => edge.ecs.describeService(clients.ecs, ref.cluster, ref.service, { signal }));
    if (current?.currentServiceDeployment && current.deployments?.some((d) => d.rolloutState === 'IN_PROGRESS')) {
      const choice = await vscode.window.showWarningMessage(`A deployment of ${ref.service} is under way. Stop it and roll back to the revision that ran before?`, { modal: true }, 'Stop and Roll Back');
      if (choice === 'Stop and Roll Back') await stopAndRollBack(services, ref);
      return;
    }
  }
  let logHint: string | undefined;
  const outcome = await rollback(access, ref, to, followSettings('rollback'), {
    read: readWithProgress,
    async chooseRevision({ family, service, describe }) {
      const summaries = await withCancellableProgress(`Listing revisions of ${family}`, (signal) => describe(ROLLBACK_CHOICES, signal));
      return (await pickRevision(summaries, services.deployHistory.forService(service.serviceArn ?? '')))?.taskDefinitionArn;
    },
    async confirm({ ref: target, current, target: chosen }) {
      const [now, then] = await withCancellableProgress('Reading both revisions', (signal) =>
        Promise.all([edge.ecs.describeTaskDefinition(clients.ecs, current, { signal }), edge.ecs.describeTaskDefinition(clients.ecs, chosen, { signal })]),
      );
      logHint = logHintOf(then);
      const { ask, isProtected, pattern } = needsConfirmation(target);
      if (!ask) return true;
      await showDiff(
        services,
        { name: `${shortTaskDefinition(current).replace(':', '-')}.json`, value: registerInputOf(now).input },
        { name: `${shortTaskDefinition(chosen).replace(':', '-')}.json`, value: registerInputOf(then).input },
        `${shortTaskDefinition(current)} ↔ ${shortTaskDefinition(chosen)} (rollback)`,
      );
      const detail = [
        `Now: ${describeRevision(summariseRevision(now.taskDefinition))}`,
        `Back to: ${describeRevision(summariseRevision(then.taskDefinition))}`,
        isProtected ? `${target.service} matches the protected services pattern "${pattern}".` : '',
      ].filter(Boolean);
      const answer = await vscode.window.showWarningMessage(`Roll ${target.service} back from ${shortTaskDefinition(current)} to ${shortTaskDefinition(chosen)}?`, { modal: true, detail: detail.join('\n\n') }, 'Roll Back');
      return answer === 'Roll Back';
    },
    follow: (prepared, run) =>
      followUpdate(services, { kind: 'rollback', ref: prepared.ref, service: prepared.service, target: { taskDefinitionArn: prepared.target }, what: shortTaskDefinition(prepared.target), logHint }, run),
  });
  if (outcome.kind === 'nothing') void vscode.window.showInformationMessage(outcome.message);
}

export async function showServiceEvents(services: DeployServices, arg: ServiceArg): Promise<void> {
  const ref = await resolveRef(services, arg, 'Show Events');
  if (!ref) return;
  const { edge, clients } = await services.session.access();
  const service = await withCancellableProgress(`Reading events of ${ref.service}`, (signal) => edge.ecs.requireService(clients.ecs, ref.cluster, ref.service, { signal }));
  const events = [...(service.events ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  const lines = [
    `Service events of ${ref.cluster}/${ref.service}, newest first (ECS keeps the last 100).`,
    `Read ${formatTimestamp(new Date())}. Deployments now: ${(service.deployments ?? []).map((d) => `${d.status} ${d.id} ${shortTaskDefinition(d.taskDefinition ?? '')} ${d.rolloutState ?? ''}`.trim()).join('; ') || 'none'}.`,
    '',
    ...(events.length ? events.map((e) => `${formatTimestamp(e.createdAt)}  ${e.message ?? ''}`) : ['(no events)']),
  ];
  const uri = services.deployDocuments.put(`events/${ref.cluster}/${ref.service}.log`, lines.join('\n') + '\n');
  await vscode.window.showTextDocument(uri, { preview: true });
}

export function historyLabel(record: DeploymentRecord): { label: string; description: string; detail: string } {
  const text = describeDeploymentRecord(record);
  return { label: `$(${deploymentResultIcon(record.result)}) ${text.title}`, description: text.summary, detail: record.reason ?? '' };
}

export async function showDeploymentHistory(services: DeployServices, arg: ServiceArg): Promise<void> {
  const ref = await resolveRef(services, arg, 'Deployment History');
  if (!ref) return;
  const serviceArn = arg && 'kind' in arg && arg.kind === 'service' ? arg.service.serviceArn : undefined;
  const records = services.deployHistory.all().filter((r) => (serviceArn ? r.serviceArn === serviceArn : r.service === ref.service && r.cluster === ref.cluster));
  if (!records.length) {
    void vscode.window.showInformationMessage(`No deployments of ${ref.service} from this workspace yet.`);
    return;
  }
  const chosen = await vscode.window.showQuickPick(
    records.map((r) => ({ ...historyLabel(r), record: r })),
    { title: `Deployment history of ${ref.service}`, placeHolder: 'Newest first. Pick one to read its verdict in full.', matchOnDescription: true, matchOnDetail: true },
  );
  if (chosen) await detailsAction(services, chosen.record, describeDeploymentRecord(chosen.record).title).run();
}
