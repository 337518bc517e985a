/**
 * Runs one job of a GitHub Actions workflow the way the runner does, for the steps a test can run here:
 * each `run:` step in order, in `bash --noprofile --norc -eo pipefail` (GitHub's default shell on Linux), with
 * the workflow's, the job's and the step's `env`, the runner's own variables (GITHUB_*, a fresh GITHUB_OUTPUT per
 * step, one GITHUB_STEP_SUMMARY), `${{ }}` expressions the job uses, and `if:` conditions with the implicit
 * success(). `uses:` steps cannot run here (no network, no action runtime): the caller says what each would
 * have left in the environment. An expression or condition this runner does not know fails the run, so a
 * change to the generated workflow cannot pass unread.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  run?: string;
}

interface Workflow {
  env?: Record<string, unknown>;
  jobs: Record<string, { env?: Record<string, unknown>; steps: Step[] }>;
}

export interface StepRun {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** What the step printed, stdout and stderr interleaved. */
  output: string;
  exitCode?: number;
}

export interface JobRun {
  steps: StepRun[];
  summary: string;
}

export interface RunJobOptions {
  job: string;
  /** The event that triggered the run (`push`, `pull_request`...) and its payload. */
  eventName: string;
  event?: { pull_request?: { number: number } };
  /** The checkout: the steps' working directory and GITHUB_WORKSPACE. */
  workspace: string;
  /** The runner's temp directory, for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
  runnerTemp: string;
  /** The machine's environment plus what the runner and the `uses:` steps would set (GITHUB_SHA, credentials...). */
  env: Record<string, string>;
  /** Called for each `uses:` step; throws if the step is not one the test expects. */
  onAction(step: Step): void;
  timeoutMs?: number;
}

function stringValues(values: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const block = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (block) {
      const end = lines.indexOf(block[2], i + 1);
      outputs[block[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = lines[i].indexOf('=');
    if (eq > 0) outputs[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
  }
  return outputs;
}

function runBash(script: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

export async function runWorkflowJob(workflow: Workflow, options: RunJobOptions): Promise<JobRun> {
  const job = workflow.jobs[options.job];
  if (!job) throw new Error(`no job ${options.job}`);
  const summaryFile = path.join(options.runnerTemp, 'step-summary.md');
  fs.writeFileSync(summaryFile, '');
  const workflowEnv = { ...stringValues(workflow.env), ...stringValues(job.env) };
  const outcomes = new Map<string, StepRun['outcome']>();
  const outputs = new Map<string, Record<string, string>>();
  const runs: StepRun[] = [];
  let failed = false;

  const expression = (expr: string): string => {
    let m: RegExpExecArray | null;
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return outputs.get(m[1])?.[m[2]] ?? '';
    if ((m = /^steps\.([\w-]+)\.outcome$/.exec(expr))) return outcomes.get(m[1]) ?? '';
    if ((m = /^env\.(\w+)$/.exec(expr))) return workflowEnv[m[1]] ?? '';
    if (expr === 'github.event.pull_request.number') return String(options.event?.pull_request?.number ?? '');
    throw new Error(`the test runner does not know the expression \${{ ${expr} }}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => expression(expr));
  const condition = (text: string | undefined): boolean => {
    if (text === undefined) return !failed;
    const expr = text.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
    if (expr === 'always()') return true;
    const m = /^github\.event_name\s*(==|!=)\s*'([\w-]+)'$/.exec(expr);
    if (m) return !failed && (m[1] === '==') === (options.eventName === m[2]);
    throw new Error(`the test runner does not know the condition if: ${text}`);
  };

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.id ?? `step ${index + 1}`;
    if (!condition(step.if)) {
      runs.push({ name, outcome: 'skipped', output: '' });
      if (step.id) outcomes.set(step.id, 'skipped');
      continue;
    }
    if (step.uses) {
      options.onAction(step);
      runs.push({ name, outcome: 'success', output: `(action ${step.uses}: its effect is in the test's environment)` });
      if (step.id) outcomes.set(step.id, 'success');
      continue;
    }
    const outputFile = path.join(options.runnerTemp, `output-${index}`);
    fs.writeFileSync(outputFile, '');
    const env = {
      ...options.env,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: options.runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...Object.fromEntries(Object.entries(workflowEnv).map(([k, v]) => [k, substitute(v)])),
      ...Object.fromEntries(Object.entries(stringValues(step.env)).map(([k, v]) => [k, substitute(v)])),
    };
    const { code, output } = await runBash(substitute(step.run ?? ''), options.workspace, env, options.timeoutMs ?? 300_000);
    const outcome = code === 0 ? 'success' : 'failure';
    runs.push({ name, outcome, output, exitCode: code });
    if (step.id) {
      outcomes.set(step.id, outcome);
      outputs.set(step.id, readOutputs(outputFile));
    }
    if (outcome === 'failure') failed = true;
  }
  return { steps: runs, summary: fs.readFileSync(summaryFile, 'utf8') };
}
