/** What the e2e runner passes to the extension host through the server's environment. */
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';

export const EXTENSION_ID = 'ecr-deploy.ecr-deploy';

export function e2eEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`The e2e runner did not set ${name}`);
  return value;
}

export async function activatedApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

export async function setSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('ecrDeploy').update(name, value, vscode.ConfigurationTarget.Global);
}

/** Waits until the session reports a connection change (after a settings write), with a deadline. */
export function nextConnectionChange(api: ExtensionApi, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no connection change within the deadline'));
    }, timeoutMs);
    const sub = api.session.onDidChange(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

export async function labels(provider: { getChildren(node?: never): vscode.ProviderResult<unknown[]>; getTreeItem(node: never): vscode.TreeItem | Thenable<vscode.TreeItem> }, node?: unknown): Promise<string[]> {
  const children = (await provider.getChildren(node as never)) ?? [];
  const items = await Promise.all(children.map((c) => provider.getTreeItem(c as never)));
  return items.map((i) => (typeof i.label === 'string' ? i.label : (i.label?.label ?? '')));
}

/** The rows under the Repositories view's registry root (the repositories, then "Load more" when there are more). */
export async function repositoryLabels(api: ExtensionApi): Promise<string[]> {
  const [root] = (await api.repositoriesView.getChildren()) ?? [];
  if (!root || root.kind !== 'registry') return [(root && (await api.repositoriesView.getTreeItem(root)).label?.toString()) ?? '(nothing)'];
  return labels(api.repositoriesView, root);
}

/** A workspace-state stand-in, so a test's records leave the real workspace state alone. */
export function memoryState(): vscode.Memento {
  const data = new Map<string, unknown>();
  return { keys: () => [...data.keys()], get: <T>(key: string, fallback?: T) => (data.has(key) ? (data.get(key) as T) : fallback), update: async (key: string, value: unknown) => void data.set(key, value) } as vscode.Memento;
}

/** Polls until the probe gives a value (not undefined or false), or fails naming what it waited for. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The text VS Code holds for a log tail's output channel. Its document appears once the channel is shown, and
 * VS Code flushes a channel's appends to it only while that channel is the visible one.
 */
export function channelText(tail: { channelName: string }): string | undefined {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes(tail.channelName));
  return document?.getText();
}
