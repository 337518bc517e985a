/**
 * Tailing the reference service in the real VS Code: its log group comes from the task definition,
 * the channel shows the seeded history and the lines a writer keeps adding (like the demo sandbox),
 * neutralised, and a stopped tail writes nothing more.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws/clients';
import type { ExtensionApi } from '../../../src/extension';
import type { LogWriter } from '../../support/logWriter';
import { activatedApi, channelText, e2eEnv, waitFor } from './testEnv';

/** A tail polls every few seconds: allow a few polls on a loaded machine. */
const TAIL_WAIT_MS = 20_000;

describe('log tails in VS Code', () => {
  let api: ExtensionApi;
  let clients: AwsClients;
  let writer: LogWriter;

  before(async () => {
    api = await activatedApi();
    // Loaded here, not at the top: the activation test checks that nothing loaded the SDK before it.
    const { createAwsClients } = await import('../../../src/aws/clients');
    const { resolveConnection } = await import('../../../src/aws/connection');
    const { startLogWriter } = await import('../../support/logWriter');
    clients = createAwsClients(resolveConnection({ endpointUrl: e2eEnv('ECR_DEPLOY_E2E_MOTO'), region: 'us-east-1', maxAttempts: 1 }));
    writer = startLogWriter(clients.logs, { intervalMs: 700 });
  });
  after(async () => {
    await writer?.stop();
    clients?.destroy();
    await vscode.commands.executeCommand('ecrDeploy.stopAllLogTails');
  });

  it('tails the demo service from its node: history, live lines neutralised, counts; stop ends it', async () => {
    const [cluster] = (await api.servicesView.getChildren()) ?? [];
    // The cluster also holds the rollout world's blue/green service (first, by name): tail the demo service's row.
    const serviceNodes = (await api.servicesView.getChildren(cluster)) ?? [];
    const serviceLabels = await Promise.all(serviceNodes.map(async (n) => {
      const label = (await api.servicesView.getTreeItem(n)).label;
      return typeof label === 'string' ? label : label?.label;
    }));
    const serviceNode = serviceNodes[serviceLabels.indexOf('sales-prod-mcp-server-production')];
    assert.ok(serviceNode, `the demo service's row among ${JSON.stringify(serviceLabels)}`);
    assert.equal(serviceNode.kind, 'service');

    const id = await vscode.commands.executeCommand<string>('ecrDeploy.tailLogs', serviceNode);
    const tail = api.logTails.get(id)!;
    assert.equal(tail.channelName, 'ECR Logs: sales-prod-mcp-server-production');

    const marker = await writer.writeBatch(['\x1b[31mERROR\x1b[0m e2e marker \x1b]0;title\x07line\n  continued']);
    const text = await waitFor(() => {
      const t = channelText(tail);
      return t?.includes('e2e marker') && t.includes('INFO Starting quilt-mcp-server v1.0.0') ? t : undefined;
    }, 'history and the marker in the channel', TAIL_WAIT_MS);
    assert.match(text, /^── tailing \/ecs\/mcp-server-production streams ecs\/mcp-server\/ since 10m/);
    assert.match(text, /\d\d:\d\d:\d\d\.\d{3} mcp-server\/0123456\d? +INFO Listening on 0\.0\.0\.0:8000/);
    assert.match(text, /mcp-server\/\w{8} ERROR e2e marker line\n {20,}continued\n/);
    assert.ok(!text.includes('\x1b'), 'no escape character in the channel');
    assert.ok(tail.eventCount >= 4, `counted ${tail.eventCount} events`);
    assert.ok(api.logTails.active().includes(tail));
    assert.deepEqual(marker.map((e) => (e.message ?? '').includes('e2e marker')), [true]);

    // Live lines keep coming from the writer while the tail runs.
    const before = tail.eventCount;
    await waitFor(() => tail.eventCount > before + 2, 'more live events', TAIL_WAIT_MS);

    await vscode.commands.executeCommand('ecrDeploy.stopLogTail', id);
    assert.equal(tail.state, 'stopped');
    await writer.writeBatch(['after stop marker']);
    await new Promise((r) => setTimeout(r, 6000));
    tail.show();
    const after = await waitFor(() => {
      const t = channelText(tail);
      return t?.endsWith('── stopped.\n') ? t : undefined;
    }, 'the stop note', TAIL_WAIT_MS);
    assert.ok(!after.includes('after stop marker'), 'a stopped tail writes nothing more');
    assert.ok(!api.logTails.active().includes(tail));
  });

  it('runs several tails at once, each with its own channel, filter and count', async () => {
    const serviceId = await vscode.commands.executeCommand<string>('ecrDeploy.tailLogs', { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' });
    const groupId = await vscode.commands.executeCommand<string>('ecrDeploy.tailLogGroup', '/ecs/mcp-server-production');
    const serviceTail = api.logTails.get(serviceId)!;
    const groupTail = api.logTails.get(groupId)!;
    assert.notEqual(serviceTail.channelName, groupTail.channelName);
    assert.equal(api.logTails.active().length, 2);

    await vscode.commands.executeCommand('ecrDeploy.filterLogTail', groupId, 'Listening');
    groupTail.show();
    const filtered = await waitFor(() => {
      const t = channelText(groupTail);
      return t?.includes('INFO Listening') ? t : undefined;
    }, 'the filtered channel', TAIL_WAIT_MS);
    assert.match(filtered, /filter "Listening"/);
    assert.ok(!filtered.includes('INFO Starting'), 'the filter pattern reached the API');

    await vscode.commands.executeCommand('ecrDeploy.pauseLogTail', serviceId);
    assert.equal(serviceTail.state, 'paused');
    const pausedAt = serviceTail.eventCount;
    await writer.writeBatch(['written while paused']);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(serviceTail.eventCount, pausedAt, 'nothing is shown while paused');
    await vscode.commands.executeCommand('ecrDeploy.resumeLogTail', serviceId);
    serviceTail.show();
    await waitFor(() => channelText(serviceTail)?.includes('written while paused'), 'the paused line after resume', TAIL_WAIT_MS);

    await vscode.commands.executeCommand('ecrDeploy.stopAllLogTails');
    assert.equal(api.logTails.active().length, 0);
  });
});
