/**
 * Real ECR returns each image's scan status and findings summary in DescribeImages; moto 5.2.1 keeps
 * them only in DescribeImageScanFindings (TEST-ENVIRONMENT.md). This pass-through proxy in front of
 * moto fills the two DescribeImages fields from moto's own scan results (findings injected with
 * `injectScanFindings` and started with StartImageScan), so the e2e layer can show the tree as ECR
 * users see it. Every other request goes to moto untouched.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(upstream: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host, 'content-length': String(body.byteLength) } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
    });
    forward.on('error', reject);
    forward.end(body);
  });
}

interface ScanFindingsAnswer {
  imageScanStatus?: { status?: string; description?: string };
  imageScanFindings?: {
    imageScanCompletedAt?: unknown;
    vulnerabilitySourceUpdatedAt?: unknown;
    findingSeverityCounts?: Record<string, number>;
    enhancedFindings?: Array<{ severity?: string }>;
  };
}

function summaryOf(findings: ScanFindingsAnswer['imageScanFindings']): Record<string, unknown> | undefined {
  if (!findings) return undefined;
  let counts = findings.findingSeverityCounts;
  if (!counts && findings.enhancedFindings) {
    counts = {};
    for (const f of findings.enhancedFindings) counts[f.severity ?? 'UNDEFINED'] = (counts[f.severity ?? 'UNDEFINED'] ?? 0) + 1;
  }
  return { imageScanCompletedAt: findings.imageScanCompletedAt, vulnerabilitySourceUpdatedAt: findings.vulnerabilitySourceUpdatedAt, findingSeverityCounts: counts ?? {} };
}

export interface ScanSummaryShim {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startScanSummaryShim(motoEndpoint: string): Promise<ScanSummaryShim> {
  const upstream = new URL(motoEndpoint);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = Buffer.concat(chunks);
        const answer = await send(upstream, req.method ?? 'POST', req.url ?? '/', req.headers, body);
        let out = answer.body;
        if (req.headers['x-amz-target'] === `${TARGET_PREFIX}DescribeImages` && answer.status === 200) {
          const listing = JSON.parse(answer.body.toString('utf8')) as { imageDetails?: Array<Record<string, unknown>> };
          const { repositoryName } = JSON.parse(body.toString('utf8')) as { repositoryName: string };
          for (const image of listing.imageDetails ?? []) {
            const question = Buffer.from(JSON.stringify({ repositoryName, imageId: { imageDigest: image.imageDigest } }));
            const headers = { ...req.headers, 'x-amz-target': `${TARGET_PREFIX}DescribeImageScanFindings` };
            const scan = await send(upstream, 'POST', '/', headers, question);
            // Never scanned (ScanNotFoundException): ECR omits the fields too.
            if (scan.status !== 200) continue;
            const findings = JSON.parse(scan.body.toString('utf8')) as ScanFindingsAnswer;
            if (findings.imageScanStatus) image.imageScanStatus = findings.imageScanStatus;
            const summary = summaryOf(findings.imageScanFindings);
            if (summary) image.imageScanFindingsSummary = summary;
          }
          out = Buffer.from(JSON.stringify(listing));
        }
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(out.byteLength) });
        res.end(out);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A DescribeImageScanFindings answer for moto to return after StartImageScan of that image. */
export function scanFindingsResult(repositoryName: string, imageTag: string, counts: Record<string, number>): Record<string, unknown> {
  const severities = Object.entries(counts).flatMap(([severity, n]) => Array.from({ length: n }, (_, i) => ({ name: `CVE-2026-${severity.length}${i}00`, severity, uri: 'https://example.invalid/cve', attributes: [] })));
  return {
    registryId: '123456789012',
    repositoryName,
    imageId: { imageTag },
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: { imageScanCompletedAt: Math.floor(Date.now() / 1000), vulnerabilitySourceUpdatedAt: Math.floor(Date.now() / 1000), findingSeverityCounts: counts, findings: severities },
  };
}

export async function injectScanFindings(motoEndpoint: string, region: string, results: Array<Record<string, unknown>>): Promise<void> {
  const res = await fetch(`${motoEndpoint}/moto-api/static/ecr/scan-finding-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ region, results }) });
  if (!res.ok) throw new Error(`moto refused the scan findings: HTTP ${res.status}`);
}
