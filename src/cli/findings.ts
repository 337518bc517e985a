import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAwsClients, scan } from '../aws/index';
import { readBuildContext, type ContextReader } from '../core/scan/buildContext';
import { placeFindings, type PlacedFinding } from '../core/scan/placeFindings';
import { imageLabel, normalizeFindings, type ImageIdentity } from '../core/scan/scanFindings';
import { atLeast, countBySeverity, formatSeverityCounts, parseSeverity, SEVERITIES } from '../core/scan/severity';
import { plural } from '../core/text/format';
import { CommandError, requireRegion, toJson, UsageError, type CommandContext, type CommandDefinition } from './framework';

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

async function fetchResult(context: CommandContext, image: ImageIdentity, startScan: boolean): Promise<scan.ScanResult> {
  const clients = createAwsClients(context.connection);
  try {
    let justStarted = false;
    if (startScan) {
      const started = await scan.startImageScan(clients.ecr, image, { signal: context.signal });
      if (started.alreadyScannedToday) context.stderr(`ecr-deploy findings: ${imageLabel(image)} was already scanned today (ECR allows one scan a day); reading that scan.\n`);
      justStarted = !started.alreadyScannedToday;
      image = started.image;
    }
    let announced = false;
    return await scan.waitForScanFindings(clients.ecr, image, {
      signal: context.signal,
      scanJustStarted: justStarted,
      onStatus: (status) => {
        if (announced || status === 'COMPLETE' || status === 'ACTIVE') return;
        announced = true;
        context.stderr(`ecr-deploy findings: waiting for the scan of ${imageLabel(image)} (${status})...\n`);
      },
    });
  } catch (error) {
    if (error instanceof scan.ImageNotScannedError) throw new CommandError(`${error.message} Run again with --scan, or push with scan on push on.`);
    if (error instanceof scan.ScanUnavailableError || error instanceof scan.ScanTimeoutError) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

export const findingsCommand: CommandDefinition = {
  name: 'findings',
  summary: 'Map an image\'s ECR scan findings to the lines of its Dockerfile and dependency manifests.',
  usage: 'findings --repository R (--tag T | --digest D) [--dockerfile F] [--context DIR] [--fail-on SEVERITY] [--scan] [--output json|text]',
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
    const buildContext = await readBuildContext(diskContextReader(contextDir), path.relative(contextDir, dockerfile).split(path.sep).join('/'));
    const { placed } = placeFindings(normalizeFindings(result), buildContext);

    if (context.output === 'json') {
      context.stdout(toJson(placed.map(findingRow)));
    } else {
      for (const p of placed) context.stdout(`${p.file}:${p.line + 1}: ${p.level}: ${p.message}\n`);
      context.stdout(`${placed.length} findings (${formatSeverityCounts(countBySeverity(placed.map((p) => p.finding.severity)))}) in ${imageLabel(result.image)}, scan ${result.status}.\n`);
    }
    if (buildContext.truncated) context.stderr(`ecr-deploy findings: the build context has more files than are read; some manifests may be missing.\n`);
    if (failOn) {
      const failing = placed.filter((p) => atLeast(p.finding.severity, failOn)).length;
      if (failing > 0) {
        context.stderr(`ecr-deploy findings: ${plural(failing, 'finding')} at or above ${failOn.toLowerCase()}.\n`);
        return 1;
      }
    }
    return 0;
  },
};
