import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/cliProcess';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    keybindings: Array<{ command: string; key: string; mac?: string; when?: string }>;
    menus: { commandPalette: Array<{ command: string; when?: string }> };
  };
}

describe('package.json keybindings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const { commands, keybindings, menus } = manifest.contributes;

  it('each runs a contributed command from the palette, with a key for Linux/Windows and one for macOS, none twice', () => {
    assert.ok(keybindings.length >= 5);
    const hidden = new Set(menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
    for (const k of keybindings) {
      assert.ok(commands.some((c) => c.command === k.command), `${k.command} is contributed`);
      assert.ok(!hidden.has(k.command), `${k.command} runs without a tree node`);
      assert.match(k.key, /^ctrl\+alt\+e [a-z]$/);
      assert.equal(k.mac, k.key.replace('ctrl', 'cmd'));
    }
    assert.equal(new Set(keybindings.map((k) => k.key)).size, keybindings.length);
  });

  it('what an untrusted workspace may not do has no key there either', () => {
    for (const k of keybindings) {
      const gated = /isWorkspaceTrusted/.test(menus.commandPalette.find((m) => m.command === k.command)?.when ?? '') || k.command === 'ecrDeploy.buildAndPush';
      assert.equal(/isWorkspaceTrusted/.test(k.when ?? ''), gated, k.command);
    }
  });
});
