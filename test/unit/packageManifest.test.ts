import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
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

describe('package.json for the marketplace', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { icon: string; version: string; categories: string[]; galleryBanner: { color: string; theme: string } };

  it('has a 128 px PNG icon, a banner, and categories the marketplace knows', () => {
    const png = fs.readFileSync(path.join(REPO_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    // The marketplace's category list (vsce rejects others).
    const known = ['Azure', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization'];
    assert.deepEqual(manifest.categories.filter((c) => !known.includes(c)), []);
  });

  it('the CHANGELOG tells this version', () => {
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});

describe('the package ships what its pages show', () => {
  it('every image the README and the walkthrough show is in the VSIX (vsce ls), so they resolve on the details page', () => {
    const listed = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const packaged = new Set(listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { icon: string; contributes: { walkthroughs: Array<{ steps: Array<{ media: { image: string } }> }> } };
    const readmeImages = [...fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    const shown = [manifest.icon, ...readmeImages, ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image))];
    assert.ok(readmeImages.length >= 10, `README images found: ${readmeImages.length}`);
    assert.deepEqual([...new Set(shown)].filter((image) => !packaged.has(image)), []);
  });
});
