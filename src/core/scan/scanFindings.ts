/**
 * ECR's two shapes of scan result as one: basic scanning's `findings` (package in `attributes`) and
 * enhanced scanning's `enhancedFindings` (Amazon Inspector: one or more `vulnerablePackages`, fix
 * versions, file paths). One Finding per vulnerable package, each with the message users read.
 */
import type { EnhancedImageScanFinding, ImageScanFinding } from '@aws-sdk/client-ecr';
import { shortDigest } from '../text/format';
import { normalizeSeverity, type Severity } from './severity';

export interface Finding {
  /** The vulnerability id, usually a CVE. */
  id: string;
  url?: string;
  severity: Severity;
  packageName: string;
  installedVersion?: string;
  fixedVersion?: string;
  title: string;
  /** Enhanced scanning: where in the image the package was found. */
  filePath?: string;
  /** Enhanced scanning: `OS`, `PYTHONPKG`, `NPM`, `GOMOD`, ... */
  packageManager?: string;
}

/** A version Inspector reports when none fixes the issue. */
const NO_FIX = /^(notavailable|none|n\/a|)$/i;

function attribute(finding: ImageScanFinding, key: string): string | undefined {
  return finding.attributes?.find((a) => a.key === key)?.value || undefined;
}

/** The first sentence of a description, short enough for one line of the Problems panel. */
export function firstSentence(text: string | undefined, max = 160): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(flat)?.[0] ?? flat;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  // End on a whole word unless that would throw most of the text away.
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** Inspector titles often only repeat the id and package (`CVE-2024-1 - openssl`): then the description says more. */
function titleOf(id: string, title: string | undefined, description: string | undefined): string {
  const t = (title ?? '').trim();
  if (t && !t.toUpperCase().startsWith(id.toUpperCase())) return t;
  return firstSentence(description) || t;
}

function displayVersion(version: string | undefined): string | undefined {
  if (!version || NO_FIX.test(version.trim())) return undefined;
  // Epoch 0 is the default: `0:7.88.1-10+deb12u8` reads as `7.88.1-10+deb12u8`.
  return version.trim().replace(/^0:/, '');
}

function fromBasic(finding: ImageScanFinding): Finding {
  const id = finding.name ?? 'UNKNOWN';
  return {
    id,
    url: finding.uri,
    severity: normalizeSeverity(finding.severity),
    packageName: attribute(finding, 'package_name') ?? '',
    installedVersion: attribute(finding, 'package_version'),
    title: titleOf(id, undefined, finding.description),
  };
}

function fromEnhanced(finding: EnhancedImageScanFinding): Finding[] {
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId ?? finding.title?.split(/\s/)[0] ?? 'UNKNOWN';
  const url = details?.sourceUrl || details?.referenceUrls?.[0] || finding.remediation?.recommendation?.url;
  const base = { id, url, severity: normalizeSeverity(finding.severity), title: titleOf(id, finding.title, finding.description) };
  const packages = details?.vulnerablePackages?.length ? details.vulnerablePackages : [{}];
  return packages.map((p) => {
    const version = p.version ? `${p.epoch ? `${p.epoch}:` : ''}${p.version}${p.release ? `-${p.release}` : ''}` : undefined;
    return {
      ...base,
      packageName: p.name ?? '',
      installedVersion: version,
      fixedVersion: displayVersion(p.fixedInVersion),
      filePath: p.filePath || undefined,
      packageManager: p.packageManager || undefined,
    };
  });
}

/** Both result shapes, one Finding per vulnerable package; a package reported by both counts once. */
export function normalizeFindings(results: { findings?: readonly ImageScanFinding[]; enhancedFindings?: readonly EnhancedImageScanFinding[] }): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  // Enhanced first: when both shapes name one package, the enhanced one knows the fix.
  for (const finding of [...(results.enhancedFindings ?? []).flatMap(fromEnhanced), ...(results.findings ?? []).map(fromBasic)]) {
    const key = `${finding.id}|${finding.packageName.toLowerCase()}|${finding.installedVersion ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding);
  }
  return out;
}

/** `<CVE> <package> <installed version> (fixed in <version> | no fix yet): <title>` */
export function findingMessage(finding: Finding): string {
  const fix = finding.fixedVersion ? `fixed in ${finding.fixedVersion}` : 'no fix yet';
  const head = `${finding.id} ${finding.packageName || '(unknown package)'} ${finding.installedVersion ?? '(version unknown)'} (${fix})`;
  return finding.title ? `${head}: ${finding.title}` : head;
}

export interface ImageIdentity {
  repositoryName: string;
  imageTag?: string;
  imageDigest?: string;
}

/** `repository:tag` when a tag is known, else `repository@sha256:1a2b3c4d`: for status lines and messages. */
export function shortImageLabel(image: ImageIdentity): string {
  if (image.imageTag) return `${image.repositoryName}:${image.imageTag}`;
  return image.imageDigest ? `${image.repositoryName}@${shortDigest(image.imageDigest, 8)}` : image.repositoryName;
}

/** `repository:tag@digest`, leaving out what is not known. */
export function imageLabel(image: ImageIdentity): string {
  return `${image.repositoryName}${image.imageTag ? `:${image.imageTag}` : ''}${image.imageDigest ? `@${image.imageDigest}` : ''}`;
}
