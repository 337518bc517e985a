/**
 * Scan results as ECR answers them, injected into moto (`POST /moto-api/static/ecr/scan-finding-results`,
 * TEST-ENVIRONMENT.md section 1): builders for basic and enhanced findings, and the reference image's
 * findings, which the integration tests, the e2e suite and the demo sandbox all use.
 *
 * moto hands an injected result to the first DescribeImageScanFindings of each distinct `imageId` it is
 * asked with (by tag, by digest), and answers a fixed placeholder once its queue is empty: a result is
 * injected once per way the image may be asked for. It answers only after a StartImageScan of the image.
 */
import { DescribeImagesCommand, StartImageScanCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { REFERENCE } from './referenceWorld';

/** Timestamps as the JSON protocol carries them: epoch seconds. */
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface BasicFindingSpec {
  id: string;
  severity: string;
  packageName: string;
  packageVersion: string;
  description: string;
}

export function basicFinding(spec: BasicFindingSpec) {
  return {
    name: spec.id,
    description: spec.description,
    uri: `https://security-tracker.debian.org/tracker/${spec.id}`,
    severity: spec.severity,
    attributes: [
      { key: 'package_version', value: spec.packageVersion },
      { key: 'package_name', value: spec.packageName },
      { key: 'CVSS2_VECTOR', value: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      { key: 'CVSS2_SCORE', value: '7.5' },
    ],
  };
}

export interface EnhancedFindingSpec {
  id: string;
  severity: string;
  title?: string;
  description: string;
  packageName: string;
  version: string;
  release?: string;
  epoch?: number;
  fixedInVersion?: string;
  packageManager: string;
  filePath?: string;
  score?: number;
}

export function enhancedFinding(spec: EnhancedFindingSpec, image: { repositoryName: string; imageDigest: string; imageTags: string[] }) {
  const now = new Date();
  return {
    awsAccountId: '123456789012',
    description: spec.description,
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${spec.id.toLowerCase()}-${spec.packageName}`,
    firstObservedAt: epochSeconds(new Date(now.getTime() - 3 * 86_400_000)),
    lastObservedAt: epochSeconds(now),
    updatedAt: epochSeconds(now),
    packageVulnerabilityDetails: {
      cvss: [{ baseScore: spec.score ?? 7.5, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', source: 'NVD', version: '3.1' }],
      referenceUrls: [`https://nvd.nist.gov/vuln/detail/${spec.id}`],
      source: spec.packageManager === 'OS' ? 'DEBIAN_BOOKWORM' : 'NVD',
      sourceUrl: `https://nvd.nist.gov/vuln/detail/${spec.id}`,
      vendorSeverity: spec.severity,
      vulnerabilityId: spec.id,
      vulnerablePackages: [
        {
          arch: spec.packageManager === 'OS' ? 'X86_64' : undefined,
          epoch: spec.epoch ?? 0,
          filePath: spec.filePath,
          name: spec.packageName,
          packageManager: spec.packageManager,
          release: spec.release,
          sourceLayerHash: 'sha256:6a1e4b3c0f5d8e2a9b7c4d1e0f3a6b9c2d5e8f1a4b7c0d3e6f9a2b5c8d1e4f7a',
          version: spec.version,
          fixedInVersion: spec.fixedInVersion ?? 'NotAvailable',
        },
      ],
    },
    remediation: { recommendation: { text: spec.fixedInVersion ? `Upgrade ${spec.packageName} to ${spec.fixedInVersion}.` : 'None provided' } },
    resources: [
      {
        details: { awsEcrContainerImage: { architecture: 'amd64', imageHash: image.imageDigest, imageTags: image.imageTags, platform: 'DEBIAN_12', registry: '123456789012', repositoryName: image.repositoryName } },
        id: `arn:aws:ecr:us-east-1:123456789012:repository/${image.repositoryName}/${image.imageDigest}`,
        type: 'AWS_ECR_CONTAINER_IMAGE',
      },
    ],
    score: spec.score ?? 7.5,
    severity: spec.severity,
    status: 'ACTIVE',
    title: spec.title ?? `${spec.id} - ${spec.packageName}`,
    type: 'PACKAGE_VULNERABILITY',
    fixAvailable: spec.fixedInVersion ? 'YES' : 'NO',
    exploitAvailable: 'NO',
  };
}

export type BasicFinding = ReturnType<typeof basicFinding>;
export type EnhancedFinding = ReturnType<typeof enhancedFinding>;

function severityCounts(severities: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of severities) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** A full DescribeImageScanFindings answer for one image. */
export function scanResponse(
  image: { repositoryName: string; imageDigest: string; imageTag?: string },
  results: { findings?: BasicFinding[]; enhancedFindings?: EnhancedFinding[] },
  status = results.enhancedFindings ? 'ACTIVE' : 'COMPLETE',
) {
  const all = [...(results.findings ?? []), ...(results.enhancedFindings ?? [])];
  return {
    registryId: '123456789012',
    repositoryName: image.repositoryName,
    imageId: { imageDigest: image.imageDigest, ...(image.imageTag ? { imageTag: image.imageTag } : {}) },
    imageScanStatus: { status, description: status === 'ACTIVE' ? 'Continuous scan is selected for image.' : 'The scan was completed successfully.' },
    imageScanFindings: {
      imageScanCompletedAt: epochSeconds(new Date()),
      vulnerabilitySourceUpdatedAt: epochSeconds(new Date()),
      findingSeverityCounts: severityCounts(all.map((f) => f.severity)),
      ...results,
    },
  };
}

/** Queues results in moto; each is answered once per distinct imageId asked (see the header). */
export async function injectScanResults(endpoint: string, results: unknown[], { region = 'us-east-1', copies = 3 } = {}): Promise<void> {
  const body = { region, results: results.flatMap((r) => Array.from({ length: copies }, () => r)) };
  const res = await fetch(`${endpoint}/moto-api/static/ecr/scan-finding-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`moto refused the scan results: HTTP ${res.status} ${await res.text()}`);
}

/** The image's digest and tags, as moto stores them. */
export async function describeImage(ecr: ECRClient, repositoryName: string, imageTag: string): Promise<{ repositoryName: string; imageDigest: string; imageTags: string[] }> {
  const out = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }));
  const detail = out.imageDetails?.[0];
  if (!detail?.imageDigest) throw new Error(`${repositoryName}:${imageTag} is not in the registry`);
  return { repositoryName, imageDigest: detail.imageDigest, imageTags: detail.imageTags ?? [imageTag] };
}

type ImageFacts = Awaited<ReturnType<typeof describeImage>>;

/**
 * What Amazon Inspector reports for the reference Dockerfile (test/fixtures/demo-workspace): OS
 * packages the RUN line installs, Python packages of pyproject.toml and uv.lock, and packages of the
 * uv base image. Real CVE ids and fix versions, as of the vulnerabilities' publication.
 */
export function referenceEnhancedFindings(image: ImageFacts): EnhancedFinding[] {
  const site = 'app/.venv/lib/python3.12/site-packages';
  const specs: EnhancedFindingSpec[] = [
    { id: 'CVE-2023-45853', severity: 'CRITICAL', score: 9.8, packageName: 'zlib1g-dev', epoch: 1, version: '1.2.13.dfsg', release: '1', packageManager: 'OS', description: 'MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_64 via a long filename, comment, or extra field.' },
    { id: 'CVE-2024-2398', severity: 'HIGH', score: 8.6, packageName: 'libcurl4-openssl-dev', version: '7.88.1', release: '10+deb12u5', fixedInVersion: '0:7.88.1-10+deb12u6', packageManager: 'OS', description: 'When an application tells libcurl it wants to allow HTTP/2 server push, and the amount of received headers for the push surpasses the maximum allowed limit (1000), libcurl aborts the server push. When aborting, libcurl inadvertently does not free all the previously allocated headers and instead leaks the memory.' },
    { id: 'CVE-2025-43859', severity: 'CRITICAL', score: 9.1, packageName: 'h11', version: '0.14.0', fixedInVersion: '0.16.0', packageManager: 'PYTHONPKG', filePath: `${site}/h11-0.14.0.dist-info/METADATA`, description: 'h11 is a Python implementation of HTTP/1.1. Prior to version 0.16.0, a leniency in h11\'s parsing of line terminators in chunked-coding message bodies can lead to request smuggling vulnerabilities under certain conditions.' },
    { id: 'CVE-2024-35195', severity: 'MEDIUM', score: 5.6, packageName: 'requests', version: '2.31.0', fixedInVersion: '2.32.0', packageManager: 'PYTHONPKG', filePath: `${site}/requests-2.31.0.dist-info/METADATA`, description: 'Requests is a HTTP library. Prior to 2.32.0, when making requests through a Requests `Session`, if the first request is made with `verify=False` to disable cert verification, all subsequent requests to the same host will continue to ignore cert verification regardless of changes to the value of `verify`.' },
    { id: 'CVE-2024-34064', severity: 'MEDIUM', score: 5.4, packageName: 'Jinja2', version: '3.1.3', fixedInVersion: '3.1.4', packageManager: 'PYTHONPKG', filePath: `${site}/jinja2-3.1.3.dist-info/METADATA`, description: 'Jinja is an extensible templating engine. The `xmlattr` filter in affected versions of Jinja accepts keys containing non-attribute characters.' },
    { id: 'CVE-2024-37891', severity: 'MEDIUM', score: 4.4, packageName: 'urllib3', version: '2.2.1', fixedInVersion: '2.2.2, 1.26.19', packageManager: 'PYTHONPKG', filePath: `${site}/urllib3-2.2.1.dist-info/METADATA`, description: 'urllib3 is a user-friendly HTTP client library for Python. When using urllib3\'s proxy support with `ProxyManager`, the `Proxy-Authorization` header is only sent to the configured proxy, as expected.' },
    { id: 'CVE-2023-4911', severity: 'HIGH', score: 7.8, packageName: 'glibc', version: '2.36', release: '9+deb12u1', fixedInVersion: '0:2.36-9+deb12u3', packageManager: 'OS', description: 'A buffer overflow was discovered in the GNU C Library\'s dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable.' },
    { id: 'CVE-2024-5535', severity: 'LOW', score: 3.7, packageName: 'openssl', version: '3.0.13', release: '1~deb12u1', fixedInVersion: '0:3.0.14-1~deb12u1', packageManager: 'OS', description: 'Issue summary: Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash or memory contents to be sent to the peer.' },
    { id: 'CVE-2005-2541', severity: 'INFORMATIONAL', score: 0, packageName: 'tar', version: '1.34+dfsg', release: '1.2+deb12u1', packageManager: 'OS', description: 'Tar 1.15.1 does not properly warn the user when extracting setuid or setgid files, which may allow local users or remote attackers to gain privileges.' },
  ];
  return specs.map((spec) => enhancedFinding(spec, image));
}

/** Basic scanning's view of an older image: package names and versions only, no fixes. */
export function referenceBasicFindings(): BasicFinding[] {
  return [
    basicFinding({ id: 'CVE-2024-2398', severity: 'HIGH', packageName: 'curl', packageVersion: '7.88.1-10+deb12u5', description: 'When an application tells libcurl it wants to allow HTTP/2 server push, libcurl inadvertently does not free all the previously allocated headers.' }),
    basicFinding({ id: 'CVE-2023-45853', severity: 'CRITICAL', packageName: 'zlib', packageVersion: '1:1.2.13.dfsg-1', description: 'MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_64.' }),
    basicFinding({ id: 'CVE-2024-5535', severity: 'LOW', packageName: 'openssl', packageVersion: '3.0.13-1~deb12u1', description: 'Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash.' }),
  ];
}

export interface InjectedReferenceScans {
  latest: ImageFacts;
  dev: ImageFacts;
}

/**
 * Injects the reference findings for `quilt-mcp-server` (enhanced for `latest`/`v1.0.0`, basic for
 * `dev`) and, unless told not to, starts the scans as scan on push would have, so the findings are
 * there to show at once. A later StartImageScan of those images the same day answers
 * LimitExceededException, as AWS does.
 */
export async function injectReferenceScanFindings(endpoint: string, ecr: ECRClient, { startScans = true, region = 'us-east-1' } = {}): Promise<InjectedReferenceScans> {
  const latest = await describeImage(ecr, REFERENCE.repository, 'latest');
  const dev = await describeImage(ecr, REFERENCE.repository, 'dev');
  await injectScanResults(
    endpoint,
    [
      scanResponse({ ...latest, imageTag: 'latest' }, { enhancedFindings: referenceEnhancedFindings(latest) }),
      scanResponse({ ...dev, imageTag: 'dev' }, { findings: referenceBasicFindings() }),
    ],
    { region },
  );
  if (startScans) {
    for (const image of [latest, dev]) {
      await ecr.send(new StartImageScanCommand({ repositoryName: image.repositoryName, imageId: { imageDigest: image.imageDigest } }));
    }
  }
  return { latest, dev };
}
