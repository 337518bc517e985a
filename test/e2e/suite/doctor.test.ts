/**
 * Diagnose Service inside the real extension host, against the e2e world's local AWS: a service whose task
 * definition names a tag that was never pushed and a log group that does not exist. The command runs the
 * checks, opens the report panel and returns the report; the problems are the two that were broken.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DoctorReport } from '../../../src/app/doctor/report';
import { activatedApi, e2eEnv, waitFor } from './testEnv';

// A cluster of its own: the explorer and views suites count the services of sales-prod.
const CLUSTER = 'staging-doctor';
const SERVICE = 'doctor-broken';

describe('Diagnose Service on a broken service', () => {
  before(async () => {
    await activatedApi();
    const ecsSdk = await import('@aws-sdk/client-ecs');
    const ecs = new ecsSdk.ECSClient({ region: 'us-east-1', endpoint: e2eEnv('ECR_DEPLOY_E2E_MOTO'), maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      await ecs.send(new ecsSdk.CreateClusterCommand({ clusterName: CLUSTER }));
      const td = await ecs.send(
        new ecsSdk.RegisterTaskDefinitionCommand({
          family: SERVICE,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          containerDefinitions: [
            {
              name: 'app',
              image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:never-pushed',
              essential: true,
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/doctor-broken', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
            },
          ],
        }),
      );
      await ecs.send(
        new ecsSdk.CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: SERVICE,
          taskDefinition: td.taskDefinition!.taskDefinitionArn,
          desiredCount: 0,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'] } },
        }),
      );
    } finally {
      ecs.destroy();
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports the missing image and the missing log group as problems, in a panel of its own', async () => {
    const report = await vscode.commands.executeCommand<DoctorReport | undefined>('ecrDeploy.diagnoseService', { cluster: CLUSTER, service: SERVICE });
    assert.ok(report, 'the command returns the report');
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    assert.equal(status['image-exists'], 'problem');
    assert.match(report.checks.find((c) => c.id === 'image-exists')!.message, /quilt-mcp-server has no image never-pushed/);
    assert.equal(status['log-group-exists'], 'problem', JSON.stringify(report.checks.find((c) => c.id === 'log-group-exists')));
    assert.equal(report.checks.length, 7);
    // The workbench tells the extension host about a new tab a moment after the panel is made.
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const panel = await waitFor(() => tabs().find((t) => t.label === `Diagnosis: ${SERVICE} (problems)`), 'a tab for the report panel');
    assert.ok(panel.input instanceof vscode.TabInputWebview, 'the report is a webview');

    // Diagnosing the same service again reads again into the same panel, not a second one.
    const again = await vscode.commands.executeCommand<DoctorReport | undefined>('ecrDeploy.diagnoseService', { cluster: CLUSTER, service: SERVICE });
    assert.equal(again?.checks.find((c) => c.id === 'image-exists')?.status, 'problem');
    assert.equal(tabs().filter((t) => t.label.startsWith(`Diagnosis: ${SERVICE}`)).length, 1);
  });
});
