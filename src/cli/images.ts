// The ECR or ECS edge and the clients, not ../aws/index: this command loads no other SDK package.
import { createAwsClients } from '../aws/clients';
import * as ecr from '../aws/ecr';
import { formatBytes, formatTimestamp, shortDigest } from '../core/text/format';
import { compareNewestFirst, imageLabel, imageSearchText } from '../core/ecr/imageRow';
import { scanSummaryText } from '../core/scan/summary';
import { requireRegion, table, toJson, UsageError, type CommandDefinition } from './framework';

export const imagesCommand: CommandDefinition = {
  name: 'images',
  summary: 'List the images of an ECR repository, newest push first (every page).',
  usage: 'images --repository NAME [--filter TEXT] [--output json|text]',
  options: { repository: { type: 'string', short: 'r' }, filter: { type: 'string' } },
  optionHelp: [
    ['-r, --repository NAME', 'Repository to list (required)'],
    ['--filter TEXT', 'Only images with a tag containing TEXT (case-insensitive; <untagged> for untagged images)'],
  ],
  async run(context) {
    requireRegion(context);
    const repositoryName = context.values.repository;
    if (typeof repositoryName !== 'string' || !repositoryName) throw new UsageError('--repository is required.');
    const filter = typeof context.values.filter === 'string' ? context.values.filter.toLowerCase() : '';
    const clients = createAwsClients(context.connection);
    try {
      const images = (await ecr.listImages(clients.ecr, repositoryName, { signal: context.signal }))
        .filter((image) => !filter || imageSearchText(image).toLowerCase().includes(filter))
        .sort(compareNewestFirst);
      if (context.output === 'json') {
        context.stdout(
          toJson(
            images.map((i) => ({
              imageDigest: i.imageDigest,
              imageTags: i.imageTags ?? [],
              imagePushedAt: i.imagePushedAt,
              imageSizeInBytes: i.imageSizeInBytes,
              imageManifestMediaType: i.imageManifestMediaType,
              ...(i.artifactMediaType ? { artifactMediaType: i.artifactMediaType } : {}),
              ...(i.lastRecordedPullTime ? { lastRecordedPullTime: i.lastRecordedPullTime } : {}),
              ...(i.imageScanStatus ? { imageScanStatus: i.imageScanStatus } : {}),
              ...(i.imageScanFindingsSummary ? { imageScanFindingsSummary: i.imageScanFindingsSummary } : {}),
            })),
          ),
        );
        return;
      }
      context.stdout(
        table(
          ['TAGS', 'PUSHED', 'SIZE', 'SCAN', 'DIGEST'],
          images.map((i) => [imageLabel(i), formatTimestamp(i.imagePushedAt), formatBytes(i.imageSizeInBytes), scanSummaryText(i.imageScanStatus, i.imageScanFindingsSummary) ?? '-', shortDigest(i.imageDigest, 16)]),
        ),
      );
    } finally {
      clients.destroy();
    }
  },
};
