import * as fs from 'node:fs';
import * as path from 'node:path';
import * as edge from '../aws/index';
import { countAtLeast, placeScanFindings, readFindings, type ScanResult } from '../app/scan/findings';
import { isErrorNamed } from '../core/errors/named';
import type { ContextReader } from '../core/scan/buildContext';
import type { PlacedFinding } from '../core/scan/placeFindings';
import { imageLabel, normalizeFindings, type ImageIdentity } from '../core/scan/scanFindings';
import { countBySeverity, findingCount, findingsSummary, parseSeverity, SEVERITIES, severityRank } from '../core/scan/severity';
import { annotationLevel, annotationLine } from '../core/ci/githubCommands';
import { findingsToSarif } from '../core/scan/sarif';
import { ECR_DEPLOY_VERSION } from '../core/version';
import { CommandError, requireRegion, toJson, UsageError, type CommandContext, type CommandDefinition } from './framework';
import { appendStepSummary } from './stepSummary';

/** Reads a build context from disk; paths stay `/`-separated and relative to the context. */
export function diskContextReader(contextDir: string): ContextReader {
  const resolve = (relative: string) => path.resolve(contextDir, ...relative.split('/'));
  return {
    async listDirectory(relative) {
      const entries = await fs.promises.readdir(resolve(relative), { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, directory: e.isDirectory() }));
    },
    readText: (relative) => fs.promises.readFile(resolve(relative), 'utf8'),
  };
}

function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The CLI's JSON row: what the issue specifies, `line` 1-based, `file` relative to the context. */
export function findingRow(placed: PlacedFinding) {
  return {
    file: placed.file,
    line: placed.line + 1,
    severity: placed.level,
    code: placed.finding.id,
    package: placed.finding.packageName,
    installedVersion: placed.finding.installedVersion ?? null,
    fixedVersion: placed.finding.fixedVersion ?? null,
    message: placed.message,
  };
}

async function fetchResult(context: CommandContext, image: ImageIdentity, startScan: boolean): Promise<ScanResult> {
  const clients = edge.createAwsClients(context.connection);
  try {
    let announced = false;
    return await readFindings(
      { image, startScan },
      {
        access: { edge, clients },
        signal: context.signal,
        onAlreadyScannedToday: (scanned) =>
          context.stderr(`ecr-deploy findings: ${imageLabel(scanned)} was already scanned today (ECR allows one scan a day); reading that scan.\n`),
        onStatus: (status, waitedFor) => {
          if (announced || status === 'COMPLETE' || status === 'ACTIVE') return;
          announced = true;
          context.stderr(`ecr-deploy findings: waiting for the scan of ${imageLabel(waitedFor)} (${status})...\n`);
        },
      },
    );
  } catch (error) {
    if (isErrorNamed(error, 'ImageNotScannedError')) throw new CommandError(`${error.message} Run again with --scan, or push with scan on push on.`);
    if (isErrorNamed(error, 'ScanUnavailableError', 'ScanTimeoutError', 'ScanNotStartedError')) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

export const findingsCommand: CommandDefinition = {
  name: 'findings',
  summary: 'Map an image\'s ECR scan findings to the lines of its Dockerfile and dependency manifests.',
  usage: 'findings --repository R (--tag T | --digest D) [--dockerfile F] [--context DIR] [--fail-on SEVERITY] [--scan] [--output json|text|sarif]',
  extraOutputs: ['sarif'],
  options: {
    repository: { type: 'string' },
    tag: { type: 'string' },
    digest: { type: 'string' },
    dockerfile: { type: 'string' },
    context: { type: 'string' },
    'fail-on': { type: 'string' },
    scan: { type: 'boolean' },
  },
  optionHelp: [
    ['--repository R', 'ECR repository name'],
    ['--tag T | --digest D', 'The image, by tag or by digest'],
    ['--dockerfile F', 'The Dockerfile (default: Dockerfile in the context)'],
    ['--context DIR', 'Build context with the dependency manifests (default: the Dockerfile\'s folder, else .)'],
    ['--fail-on SEVERITY', `Exit 1 when a finding is at or above: ${SEVERITIES.join(', ').toLowerCase()}`],
    ['--scan', 'Start a scan first (StartImageScan) and wait for it'],
    ['--output sarif', 'SARIF 2.1.0 for GitHub code scanning, paths relative to the repository (GITHUB_WORKSPACE, else the current folder)'],
  ],
  async run(context) {
    requireRegion(context);
    const repositoryName = stringOption(context, 'repository');
    const imageTag = stringOption(context, 'tag');
    const imageDigest = stringOption(context, 'digest');
    if (!repositoryName) throw new UsageError('--repository is required.');
    if (Boolean(imageTag) === Boolean(imageDigest)) throw new UsageError('give the image with exactly one of --tag or --digest.');
    const failOnText = stringOption(context, 'fail-on');
    const failOn = failOnText === undefined ? undefined : parseSeverity(failOnText);
    if (failOnText !== undefined && !failOn) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ').toLowerCase()}, not "${failOnText}".`);

    const dockerfileOption = stringOption(context, 'dockerfile');
    const contextDir = path.resolve(stringOption(context, 'context') ?? (dockerfileOption ? path.dirname(dockerfileOption) : '.'));
    const dockerfile = path.resolve(dockerfileOption ?? path.join(contextDir, 'Dockerfile'));
    if (!fs.existsSync(dockerfile)) throw new CommandError(`no Dockerfile at ${dockerfile}: pass --dockerfile (and --context for the build context).`);

    const result = await fetchResult(context, { repositoryName, imageTag, imageDigest }, context.values.scan === true);
    const { placed, truncated } = await placeScanFindings(normalizeFindings(result), {
      reader: diskContextReader(contextDir),
      dockerfile: path.relative(contextDir, dockerfile).split(path.sep).join('/'),
    });

    const env = context.env ?? {};
    // Paths as the repository sees them: the context's place under the workspace, then the file in it.
    const repositoryRoot = path.resolve(env.GITHUB_WORKSPACE || '.');
    const contextPrefix = path.relative(repositoryRoot, contextDir).split(path.sep).join('/');
    const inRepository = (file: string) => (contextPrefix && !contextPrefix.startsWith('..') ? `${contextPrefix}/${file}` : file);
    const counted = findingsSummary(countBySeverity(placed.map((p) => p.finding.severity)));
    if (context.output === 'json') {
      context.stdout(toJson(placed.map(findingRow)));
    } else if (context.output === 'sarif') {
      context.stdout(toJson(findingsToSarif(placed, { toolVersion: ECR_DEPLOY_VERSION, contextPrefix: contextPrefix.startsWith('..') ? '' : contextPrefix })));
    } else {
      for (const p of placed) context.stdout(`${p.file}:${p.line + 1}: ${p.level}: ${p.message}\n`);
      if (env.GITHUB_ACTIONS === 'true') {
        for (const p of placed) context.stdout(annotationLine({ level: annotationLevel(p.level), file: inRepository(p.file), line: p.line + 1, title: p.finding.id, message: p.message }));
      }
      context.stdout(`${counted} in ${imageLabel(result.image)}, scan ${result.status}.\n`);
    }
    const failing = failOn ? countAtLeast(placed, failOn) : 0;
    if (env.GITHUB_STEP_SUMMARY) {
      const verdict = failOn ? (failing > 0 ? `failed: ${findingCount(failing)} at or above ${failOn.toLowerCase()}` : `passed (fail on ${failOn.toLowerCase()})`) : 'no gate';
      const worstFirst = [...placed].sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity));
      const rows = worstFirst.slice(0, 50).map((p) => `| ${p.finding.severity.toLowerCase()} | ${p.finding.id} | ${p.finding.packageName} | \`${inRepository(p.file)}:${p.line + 1}\` |`);
      const summary = [
        `### Scan findings of \`${imageLabel(result.image)}\``,
        '',
        `**${verdict}** · ${counted} · scan ${result.status}`,
        '',
        ...(rows.length ? ['| Severity | Finding | Package | Where |', '| --- | --- | --- | --- |', ...rows, ...(placed.length > 50 ? [`\n…and ${placed.length - 50} more.`] : [])] : []),
        '',
      ].join('\n');
      await appendStepSummary(context, summary);
    }
    if (truncated) context.stderr(`ecr-deploy findings: the build context has more files than are read; some manifests may be missing.\n`);
    if (failOn && failing > 0) {
      context.stderr(`ecr-deploy findings: ${findingCount(failing)} at or above ${failOn.toLowerCase()}.\n`);
      return 1;
    }
    return 0;
  },
};
