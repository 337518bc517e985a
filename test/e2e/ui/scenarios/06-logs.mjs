// Tail Logs from the service's context menu: the output channel fills with the service's history and
// the lines a writer keeps adding (as in the demo sandbox); the status bar counts them; Stop ends it.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { contextMenu, expandRow, openActivityView, readOutputChannel, runCommand, waitFor } from '../../../../scripts/lib/workbench.mjs';

const require = createRequire(import.meta.url);
const { createAwsClients } = require('../../../../out/src/aws/clients.js');
const { resolveConnection } = require('../../../../out/src/aws/connection.js');
const { startLogWriter } = require('../../../../out/test/support/logWriter.js');

export const title = 'Tail Logs on the service streams its CloudWatch logs into an output channel, counted in the status bar; Stop ends it';

const CHANNEL = 'ECR Logs: sales-prod-mcp-server-production';

export async function run({ page, world, shot }) {
  const clients = createAwsClients(resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  const writer = startLogWriter(clients.logs, { intervalMs: 600 });
  try {
    for (let i = 0; i < 6; i++) await writer.writeBatch();
    await openActivityView(page, 'ECR Deploy');
    await expandRow(page, 'sales-prod', { timeoutMs: 30_000 });
    await contextMenu(page, 'sales-prod-mcp-server-production', { click: 'Tail Logs' });

    const status = page.locator('[id="ecr-deploy.ecr-deploy.ecrDeploy.logTails"]').first();
    const statusText = await waitFor(async () => {
      const text = (await status.count()) ? (await status.innerText()).trim() : '';
      const count = Number((/: ([\d,]+)/.exec(text)?.[1] ?? '0').replace(/,/g, ''));
      return count >= 10 ? text : '';
    }, { timeoutMs: 30_000, expected: 'the log-tail status-bar item counting events' });
    assert.match(statusText, /sales-prod-mcp-server-production: [\d,]+/);

    const lines = await readOutputChannel(page, CHANNEL);
    assert.match(lines[0], /^── tailing \/ecs\/mcp-server-production streams ecs\/mcp-server\/ since 10m/);
    assert.ok(lines.some((l) => /^\d\d:\d\d:\d\d\.\d{3} mcp-server\/01234567 +INFO Starting quilt-mcp-server v1\.0\.0$/.test(l)), 'the seeded history');
    assert.ok(lines.some((l) => /mcp-server\/(7d3f0c2a|a1b2c3d4) +INFO /.test(l)), 'the live lines');
    assert.ok(!lines.some((l) => l.includes('\x1b') || l.includes('[32m')), 'escape sequences neutralised');
    await shot('logs');

    await runCommand(page, 'ECR Deploy: Stop Log Tail');
    await waitFor(async () => (await status.count()) === 0 || !(await status.isVisible()), { expected: 'the status-bar item to go once no tail runs' });
  } finally {
    await writer.stop();
    clients.destroy();
  }
}
