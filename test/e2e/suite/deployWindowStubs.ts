/**
 * Stands in for the person in front of the deploy commands: answers quick picks, the dry run's review and modal dialogs,
 * records every notification and progress message, and can press Cancel on the progress. Restores
 * the real window functions afterwards.
 */
import * as vscode from 'vscode';

export interface Shown {
  level: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
  modal: boolean;
  detail?: string;
}

export interface WindowScript {
  /** Picks the quick-pick item whose label contains this text (in order of the calls). */
  picks?: string[];
  /** Answers of modal dialogs and notifications, by a regexp on the message; undefined dismisses. */
  answer?: (shown: Shown) => string | undefined;
  /** Presses Cancel on the progress notification after this many reports. */
  cancelAfterReports?: number;
  /** How the dry run's review is answered (its Deploy / Cancel title actions): Deploy unless told. */
  review?: 'deploy' | 'cancel' | 'close';
}

export interface WindowRecorder {
  shown: Shown[];
  progress: Array<{ title: string; message: string }>;
  restore(): void;
  /** Waits until a notification matching `re` was shown. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<Shown>;
}

type Win = typeof vscode.window;

export function scriptWindow(script: WindowScript = {}): WindowRecorder {
  const win = vscode.window as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  const replace = (name: keyof Win, fn: unknown) => {
    saved.set(name, win[name]);
    win[name] = fn;
  };
  const recorder: WindowRecorder = {
    shown: [],
    progress: [],
    restore() {
      for (const [name, fn] of saved) win[name] = fn;
    },
    async waitFor(re, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = recorder.shown.find((s) => re.test(s.message));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no notification matching ${re}; shown: ${JSON.stringify(recorder.shown.map((s) => s.message))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  const picks = [...(script.picks ?? [])];
  const message = (level: Shown['level']) => async (text: string, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null && !('title' in (rest[0] as object)) ? (rest.shift() as vscode.MessageOptions) : undefined;
    const items = rest.map((r) => (typeof r === 'string' ? r : (r as vscode.MessageItem).title));
    const shown: Shown = { level, message: text, items, modal: Boolean(options?.modal), detail: options?.detail };
    recorder.shown.push(shown);
    return script.answer?.(shown);
  };
  replace('showInformationMessage', message('info'));
  replace('showWarningMessage', message('warning'));
  replace('showErrorMessage', message('error'));
  replace('showQuickPick', async (items: Thenable<vscode.QuickPickItem[]> | vscode.QuickPickItem[]) => {
    const list = await items;
    const want = picks.shift();
    if (want === undefined) throw new Error(`unexpected quick pick: ${list.map((i) => i.label).join(' | ')}`);
    const found = list.find((i) => i.label.includes(want));
    if (!found) throw new Error(`no quick-pick item "${want}" in: ${list.map((i) => i.label).join(' | ')}`);
    return found;
  });
  replace('withProgress', async (options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) => {
    const source = new vscode.CancellationTokenSource();
    let reports = 0;
    // A person reads the diff, then presses Deploy or Cancel in its title bar: the same commands.
    if (/^Review: /.test(options.title ?? '')) {
      const command = { deploy: 'ecrDeploy.deployReviewed', cancel: 'ecrDeploy.cancelReview', close: 'workbench.action.closeActiveEditor' }[script.review ?? 'deploy'];
      setTimeout(() => void vscode.commands.executeCommand(command), 100);
    }
    const progress = {
      report: ({ message }: { message?: string }) => {
        recorder.progress.push({ title: options.title ?? '', message: message ?? '' });
        reports++;
        if (script.cancelAfterReports !== undefined && reports >= script.cancelAfterReports && options.cancellable) source.cancel();
      },
    };
    try {
      return await task(progress, source.token);
    } finally {
      source.dispose();
    }
  });
  return recorder;
}
