/** The status-bar item `profile · region`, and the pickers behind it. */
import * as vscode from 'vscode';
import { readProfiles } from '../../aws/connection';
import { isValidRegion, KNOWN_REGIONS } from '../../core/connection/regions';
import { updateSetting } from '../settings';
import type { AwsSession } from './awsSession';

export class ConnectionStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ecrDeploy.connection', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: AwsSession) {
    this.item.name = 'ECR Deploy: AWS Connection';
    this.item.command = 'ecrDeploy.switchConnection';
    // Shown at once with a text that needs no file read; the profile and region a tick later, once activate()
    // has returned (resolving them reads the shared config files), so activation at startup stays cheap.
    this.item.text = '$(cloud) AWS';
    this.item.tooltip = 'AWS connection\n\nClick to switch profile or region.';
    this.item.show();
    const renderSoon = setImmediate(() => this.render());
    this.subscriptions = [session.onDidChange(() => this.render()), { dispose: () => clearImmediate(renderSoon) }];
  }

  private render(): void {
    const c = this.session.connection;
    this.item.text = `$(cloud) ${c.profileLabel} · ${c.region ?? 'no region'}`;
    const endpoint = c.effectiveEndpoint ? `\n\nEndpoint: ${c.effectiveEndpoint}` : '';
    this.item.tooltip = `AWS profile "${c.profileLabel}", region ${c.region ?? '(none set)'}${endpoint}\n\nClick to switch profile or region.`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

export async function switchConnection(): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(account) Switch Profile...', action: 'profile' as const },
      { label: '$(globe) Switch Region...', action: 'region' as const },
    ],
    { title: 'ECR Deploy: AWS Connection' },
  );
  if (pick?.action === 'profile') await selectProfile();
  if (pick?.action === 'region') await selectRegion();
}

/** With an argument (tests, keybindings) the profile is set without asking. */
export async function selectProfile(profile?: string): Promise<void> {
  if (typeof profile !== 'string') {
    const profiles = readProfiles();
    const items: Array<vscode.QuickPickItem & { value: string }> = [
      { label: '$(key) Default credential chain', description: 'environment variables, then the default profile', value: '' },
      ...profiles.map((p) => ({
        label: p.name,
        description: [p.region, p.usesSso ? 'SSO' : undefined, p.assumesRole ? 'assume role' : undefined].filter(Boolean).join(' · '),
        value: p.name,
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'AWS Profile',
      placeHolder: profiles.length ? 'Profiles from the shared config and credentials files' : 'No profiles found in ~/.aws/config or ~/.aws/credentials',
      matchOnDescription: true,
    });
    if (!picked) return;
    profile = picked.value;
  }
  await updateSetting('profile', profile);
}

export async function selectRegion(region?: string): Promise<void> {
  if (typeof region !== 'string') {
    const quickPick = vscode.window.createQuickPick();
    quickPick.title = 'AWS Region';
    quickPick.placeholder = 'Pick a region or type its code (e.g. eu-west-1)';
    quickPick.items = KNOWN_REGIONS.map((r) => ({ label: r }));
    region = await new Promise<string | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.label ?? quickPick.value.trim()));
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.dispose();
    if (!region) return;
  }
  if (!isValidRegion(region)) {
    void vscode.window.showErrorMessage(`"${region}" is not an AWS region code (for example us-east-1).`);
    return;
  }
  await updateSetting('region', region);
}
