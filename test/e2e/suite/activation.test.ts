import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './testEnv';

describe('activation', () => {
  it('activates from its contributions without a network call and without loading the AWS SDK', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'extension present');
    assert.equal(extension.isActive, false, 'nothing activated the extension before this test: its activation events are views, commands and the task type only');

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

    const awsBundle = path.join(extension.extensionPath, 'dist', 'aws.js');
    assert.ok(fs.existsSync(awsBundle), 'the AWS edge is bundled apart');
    assert.ok(!Object.keys(require.cache).includes(awsBundle), 'dist/aws.js (the SDK) is not loaded by activate()');
    assert.ok(!Object.keys(require.cache).some((k) => k.includes(`${path.sep}@aws-sdk${path.sep}`)), 'no @aws-sdk module is loaded');
  });

  it('registers every command that package.json declares', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared = (extension.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });
});
