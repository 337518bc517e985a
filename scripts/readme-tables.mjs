// Keeps the README's commands and settings tables equal to package.json: `node scripts/readme-tables.mjs`
// rewrites them, `--check` exits 1 when they differ (a unit test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const readmePath = join(root, 'README.md');

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function commandsTable() {
  const hidden = new Set((pkg.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  const keys = new Map((pkg.contributes.keybindings ?? []).map((k) => [k.command, k]));
  const keyCell = (command) => {
    const k = keys.get(command);
    return k ? `\`${k.key}\`${k.mac ? ` (macOS \`${k.mac}\`)` : ''}` : '';
  };
  const rows = pkg.contributes.commands
    .filter((c) => !hidden.has(c.command))
    .map((c) => `| ${cell(`${c.category ? `${c.category}: ` : ''}${c.title}`)} | \`${c.command}\` | ${keyCell(c.command)} |`);
  return ['| Command | ID | Keys |', '| --- | --- | --- |', ...rows].join('\n');
}

function settingsTable() {
  const rows = Object.entries(pkg.contributes.configuration.properties).map(
    ([name, p]) => `| \`${name}\` | \`${JSON.stringify(p.default)}\` | ${cell(p.markdownDescription ?? p.description ?? '')} |`,
  );
  return ['| Setting | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

function replaceBlock(text, name, content) {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> block`);
  return text.replace(re, (_, start, end) => `${start}${content}\n${end}`);
}

const current = readFileSync(readmePath, 'utf8');
const next = replaceBlock(replaceBlock(current, 'commands', commandsTable()), 'settings', settingsTable());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md tables differ from package.json: run `node scripts/readme-tables.mjs`.');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(readmePath, next);
  console.log('README.md tables updated');
}
