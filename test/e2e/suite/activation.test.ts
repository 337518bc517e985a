import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { EXTENSION_ID } from './testEnv';

describe('activation', () => {
  it('activates from its contributions without a network call and without loading the AWS SDK', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'extension present');
    // Opening any JSON or Dockerfile document activates the extension (the readiness checks recognise task
    // definitions by content), and VS Code itself may open one while the host starts: then activation already
    // happened. Watching the sockets needs activation still to come; either way, the SDK (dist/aws.js, the only
    // code that reaches AWS) must not be loaded, which the assertions after this block check.
    if (!extension.isActive) {
      const connects: string[] = [];
      const originalConnect = net.Socket.prototype.connect;
      // Every TCP connection (http, https, the SDK's agents) goes through Socket#connect.
      net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
        connects.push(JSON.stringify(args[0]));
        return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
      } as typeof originalConnect;
      const started = process.hrtime.bigint();
      try {
        await extension.activate();
      } finally {
        net.Socket.prototype.connect = originalConnect;
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`      activate() took ${ms.toFixed(1)} ms`);
      assert.deepEqual(connects, [], 'activate() opened no connection');
    } else {
      console.log(`      already active (a document VS Code opened at startup): ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ') || 'none open now'}`);
    }

    const awsBundle = path.join(extension.extensionPath, 'dist', 'aws.js');
    assert.ok(fs.existsSync(awsBundle), 'the AWS edge is bundled apart');
    assert.ok(!Object.keys(require.cache).includes(awsBundle), 'dist/aws.js (the SDK) is not loaded by activate()');
    assert.ok(!Object.keys(require.cache).some((k) => k.includes(`${path.sep}@aws-sdk${path.sep}`)), 'no @aws-sdk module is loaded');

    // Each feature's code is its own bundle (scripts/lib/lazyParts.mjs), loaded on first use only.
    const dist = path.join(extension.extensionPath, 'dist');
    const featureBundles = fs.readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'extension.js' && f !== 'cli.js');
    assert.ok(featureBundles.includes('deploy.js') && featureBundles.includes('explorer.js'), `feature bundles next to dist/extension.js: ${featureBundles.join(', ')}`);
    assert.deepEqual(featureBundles.filter((f) => Object.keys(require.cache).includes(path.join(dist, f))), [], 'activate() loaded no feature bundle');
  });

  it('gives each lazily loaded feature exactly the commands registered for it', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    const { LAZY_FEATURES, tableMismatch } = await import('../../../src/features/commands');
    const mismatches = [];
    for (const [feature, { ids, load }] of Object.entries(LAZY_FEATURES)) mismatches.push(tableMismatch(feature, ids, (await load()).commands(extension.exports)));
    assert.deepEqual(mismatches.filter(Boolean), []);
  });

  it('registers every command that package.json declares', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared = (extension.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });
});

describe('first run', () => {
  it('offers a walkthrough whose steps run registered commands, show images that ship, and opens from Get Started', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const [walkthrough] = extension.packageJSON.contributes.walkthroughs as Array<{ id: string; steps: Array<{ id: string; description: string; media: { image: string; altText: string } }> }>;
    assert.ok(walkthrough, 'a walkthrough is contributed');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['connect', 'browse', 'build', 'deploy', 'logs', 'findings']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough.steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
      assert.ok(linked.length, `step ${step.id} has a button`);
      assert.deepEqual(linked.filter((c) => !registered.has(c)), [], `step ${step.id} links only to registered commands`);
      assert.ok(fs.existsSync(path.join(extension.extensionPath, step.media.image)), `${step.media.image} ships in the package`);
      assert.ok(step.media.altText.length > 10, `step ${step.id} describes its image`);
    }
    // The command the welcome view and the palette offer opens it (VS Code rejects an unknown walkthrough id).
    await vscode.commands.executeCommand('ecrDeploy.openWalkthrough');
  });
});
