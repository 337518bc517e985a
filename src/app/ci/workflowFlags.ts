/**
 * `ecr-deploy` calls in a workflow file's `run:` steps, checked against the commands and flags the CLI has: a
 * misspelt flag fails the job only when it runs, after the build; here it is a diagnostic on its line. The
 * YAML is parsed (the `yaml` package) to find the `run:` scripts; each script is split into words the way a
 * shell splits them, well enough to find commands, flags and their values (quotes, `\` line continuations,
 * `;`, `&&`, `||`, `|` and comments).
 */
import { isMap, isPair, isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { COMMAND_FLAGS, GLOBAL_FLAGS, type CommandFlags } from '../../core/ci/cliFlags';

export interface WorkflowFlagProblem {
  /** 0-based, in the workflow file. */
  line: number;
  column: number;
  length: number;
  message: string;
}

interface Word {
  text: string;
  /** 0-based line and column in the script. */
  line: number;
  column: number;
  length: number;
}

/** The script's commands, each a list of words; a separator or an unescaped newline ends a command. */
function shellCommands(script: string): Word[][] {
  const commands: Word[][] = [];
  let current: Word[] = [];
  let word: Word | undefined;
  let line = 0;
  let column = 0;
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (word) current.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (current.length) commands.push(current);
    current = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    const start = { line, column };
    if (c === '\n') {
      line++;
      column = 0;
    } else {
      column++;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      else if (word) word.text += c;
      if (word) word.length = word.line === line ? column - word.column : word.length;
      continue;
    }
    if (c === '\\' && script[i + 1] === '\n') {
      endWord();
      i++;
      line++;
      column = 0;
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&') {
      endCommand();
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    if (c === '#' && !word) {
      const end = script.indexOf('\n', i);
      i = (end < 0 ? script.length : end) - 1;
      continue;
    }
    word ??= { text: '', line: start.line, column: start.column, length: 0 };
    if (c === '"' || c === "'") quote = c;
    else word.text += c;
    word.length = column - word.column;
  }
  endCommand();
  return commands;
}

const ECR_DEPLOY_WORD = /(^|\/)ecr-deploy(@\S+)?$/;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function closest(wanted: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates.map((c) => ({ c, d: editDistance(wanted, c) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= Math.max(2, Math.floor(wanted.length / 3)) ? ranked[0].c : undefined;
}

/** Problems of one `ecr-deploy` call: `words` start after the word that names ecr-deploy. */
function callProblems(words: Word[]): Array<{ word: Word; message: string }> {
  const problems: Array<{ word: Word; message: string }> = [];
  let i = 0;
  const takesValue = (flags: CommandFlags, name: string) => flags.values.includes(name);
  // Global flags may come before the command.
  while (i < words.length && words[i].text.startsWith('-')) {
    const name = words[i].text.replace(/^--?/, '').split('=')[0];
    const long = GLOBAL_FLAGS.shorts[name] ?? name;
    i += takesValue(GLOBAL_FLAGS, long) && !words[i].text.includes('=') ? 2 : 1;
  }
  const commandWord = words[i];
  if (!commandWord || commandWord.text.includes('$')) return problems;
  const flags = COMMAND_FLAGS[commandWord.text];
  if (!flags) {
    const suggestion = closest(commandWord.text, Object.keys(COMMAND_FLAGS));
    problems.push({ word: commandWord, message: `ecr-deploy has no command "${commandWord.text}"${suggestion ? `: did you mean ${suggestion}?` : ''}` });
    return problems;
  }
  const command = commandWord.text;
  const values = [...flags.values, ...GLOBAL_FLAGS.values];
  const switches = [...flags.switches, ...GLOBAL_FLAGS.switches];
  const shorts = { ...GLOBAL_FLAGS.shorts, ...flags.shorts };
  for (i++; i < words.length; i++) {
    const text = words[i].text;
    if (text === '--') break;
    if (text.startsWith('--')) {
      const [name, inline] = [text.slice(2).split('=')[0], text.includes('=')];
      if (values.includes(name)) {
        if (!inline) i++;
      } else if (!switches.includes(name) && !name.includes('$')) {
        const suggestion = closest(name, [...values, ...switches]);
        problems.push({ word: words[i], message: `ecr-deploy ${command} has no --${name}${suggestion ? `: did you mean --${suggestion}?` : ''}` });
      }
    } else if (/^-[A-Za-z]$/.test(text)) {
      const long = shorts[text[1]];
      if (!long) problems.push({ word: words[i], message: `ecr-deploy ${command} has no ${text}` });
      else if (values.includes(long)) i++;
    }
  }
  return problems;
}

/** Whether a word runs ecr-deploy: the command itself, `npx ecr-deploy@V`, or a variable the workflow set to one. */
function runsEcrDeploy(text: string, variables: ReadonlyMap<string, string>): boolean {
  if (ECR_DEPLOY_WORD.test(text)) return true;
  const variable = /^\$\{?(\w+)\}?$/.exec(text);
  return Boolean(variable && /\becr-deploy\b/.test(variables.get(variable[1]) ?? ''));
}

/** `env:` maps anywhere in the workflow (workflow, job, step): a variable that names ecr-deploy is followed. */
function envVariables(doc: ReturnType<typeof parseDocument>): Map<string, string> {
  const variables = new Map<string, string>();
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'env' || !isMap(pair.value)) return;
      for (const item of pair.value.items) {
        if (isPair(item) && isScalar(item.key) && isScalar(item.value)) variables.set(String(item.key.value), String(item.value.value));
      }
    },
  });
  return variables;
}

/** The 0-based line of each script line in the file: found in order from the scalar's own line. */
function placeScript(text: string, fileLines: string[], scalar: Scalar, script: string): Array<{ line: number; column: number }> {
  const startLine = text.slice(0, scalar.range?.[0] ?? 0).split('\n').length - 1;
  let cursor = startLine;
  return script.split('\n').map((scriptLine) => {
    for (let l = cursor; l < fileLines.length && scriptLine.trim(); l++) {
      const column = fileLines[l].indexOf(scriptLine);
      if (column >= 0) {
        cursor = l + 1;
        return { line: l, column };
      }
    }
    return { line: startLine, column: -1 };
  });
}

export function workflowFlagProblems(text: string): WorkflowFlagProblem[] {
  if (!text.includes('ecr-deploy')) return [];
  const doc = parseDocument(text);
  const variables = envVariables(doc);
  const fileLines = text.split('\n');
  const problems: WorkflowFlagProblem[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'run' || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
      const script = pair.value.value;
      const placed = placeScript(text, fileLines, pair.value, script);
      for (const words of shellCommands(script)) {
        const at = words.findIndex((w) => runsEcrDeploy(w.text, variables));
        if (at < 0) continue;
        for (const { word, message } of callProblems(words.slice(at + 1))) {
          const where = placed[word.line];
          // A line that could not be found (a quoted scalar with escapes): the scalar's line, whole.
          problems.push(where.column >= 0 ? { line: where.line, column: where.column + word.column, length: word.length, message } : { line: where.line, column: 0, length: fileLines[where.line]?.length ?? 0, message });
        }
      }
    },
  });
  return problems;
}
