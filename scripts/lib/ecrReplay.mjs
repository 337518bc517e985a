// A replay endpoint for ECR's listings, so a listing benchmark measures the client and not the server: it answers
// DescribeRepositories, DescribeImages and ListImages (and GetLifecyclePolicy: none) (JSON 1.1, `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.*`)
// from items recorded once from moto (`recordFromMoto`), and pages like ECR, which moto does not (it ignores
// maxResults): `maxResults` 1-1,000 (default 100, as ECR), a `nextToken` that is opaque, the same for the same
// request, bound to its operation and repository, and absent on the last page. Answers are served from memory,
// serialized once per page, so the endpoint's own cost stays far below any client's.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
/** ECR's limits (API reference, maxResults of each operation) and its default page when maxResults is absent. */
export const ECR_PAGE_LIMITS = { DescribeRepositories: 1000, DescribeImages: 1000, ListImages: 1000 };
export const ECR_DEFAULT_PAGE = 100;

/** ECR's error body (JSON 1.1): the SDK and the AWS CLI read the code from `__type`. */
function fail(res, status, code, message) {
  const body = JSON.stringify({ __type: code, message });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomBytes(8).toString('hex') });
  res.end(body);
}

/**
 * @param {{ repositories: object[], images: Record<string, object[]> }} world  DescribeRepositories' items, and each
 *   repository's DescribeImages items (as the wire has them: dates as epoch seconds), in the order to page them.
 * @returns {Promise<{ endpoint: string, calls: () => Record<string, number>, resetCalls: () => void, stop: () => Promise<void> }>}
 */
export async function startEcrReplay(world) {
  const secret = randomBytes(16);
  const calls = new Map();
  const repositories = world.repositories;
  const byName = new Map(repositories.map((r) => [r.repositoryName, r]));
  // ListImages has one identifier per tag (an untagged image: its digest alone), as ECR lists them.
  const imageIds = new Map(
    Object.entries(world.images).map(([name, details]) => [
      name,
      details.flatMap((d) => (d.imageTags?.length ? d.imageTags.map((imageTag) => ({ imageDigest: d.imageDigest, imageTag })) : [{ imageDigest: d.imageDigest }])),
    ]),
  );

  // Opaque to the client; stable (an HMAC of what it points at, no counter, no clock); bound to its listing.
  const tokenFor = (scope, offset) => {
    const payload = Buffer.from(JSON.stringify([scope, offset])).toString('base64url');
    return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
  };
  const offsetOf = (scope, token) => {
    const [payload, mac] = String(token).split('.');
    if (!payload || mac !== createHmac('sha256', secret).update(payload).digest('base64url')) return undefined;
    const [tokenScope, offset] = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return tokenScope === scope ? offset : undefined;
  };

  const page = (res, operation, input, items, scope, key) => {
    const limit = ECR_PAGE_LIMITS[operation];
    if (input.maxResults !== undefined && (!Number.isInteger(input.maxResults) || input.maxResults < 1 || input.maxResults > limit)) {
      return fail(res, 400, 'InvalidParameterException', `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to ${limit}'`);
    }
    let offset = 0;
    if (input.nextToken !== undefined && input.nextToken !== null) {
      offset = offsetOf(scope, input.nextToken);
      if (offset === undefined) return fail(res, 400, 'InvalidParameterException', 'Invalid parameter: nextToken');
    }
    const size = input.maxResults ?? ECR_DEFAULT_PAGE;
    const end = Math.min(offset + size, items.length);
    const answer = { [key]: items.slice(offset, end) };
    if (end < items.length) answer.nextToken = tokenFor(scope, end);
    const body = JSON.stringify(answer);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomBytes(8).toString('hex') });
    res.end(body);
  };

  const handle = (req, res, text) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    calls.set(operation || target || req.url, (calls.get(operation || target || req.url) ?? 0) + 1);
    let input;
    try {
      input = text ? JSON.parse(text) : {};
    } catch {
      return fail(res, 400, 'SerializationException', 'the request body is not JSON');
    }
    if (operation === 'DescribeRepositories') {
      if (input.repositoryNames?.length) {
        const missing = input.repositoryNames.find((n) => !byName.has(n));
        if (missing) return fail(res, 400, 'RepositoryNotFoundException', `The repository with name '${missing}' does not exist in the registry`);
        return page(res, operation, input, input.repositoryNames.map((n) => byName.get(n)), `${operation}:${input.repositoryNames.join(',')}`, 'repositories');
      }
      return page(res, operation, input, repositories, operation, 'repositories');
    }
    if (operation === 'DescribeImages' || operation === 'ListImages') {
      const name = input.repositoryName;
      if (!byName.has(name)) return fail(res, 400, 'RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry`);
      if (input.imageIds || input.filter) return fail(res, 400, 'InvalidParameterException', 'the replay endpoint answers whole listings only (no imageIds, no filter)');
      const items = operation === 'DescribeImages' ? (world.images[name] ?? []) : (imageIds.get(name) ?? []);
      return page(res, operation, input, items, `${operation}:${name}`, operation === 'DescribeImages' ? 'imageDetails' : 'imageIds');
    }
    // The Repositories view reads a repository's lifecycle policy with its first page of images; the recorded
    // world has none, which ECR says with this error.
    if (operation === 'GetLifecyclePolicy') {
      if (!byName.has(input.repositoryName)) return fail(res, 400, 'RepositoryNotFoundException', `The repository with name '${input.repositoryName}' does not exist in the registry`);
      return fail(res, 400, 'LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${input.repositoryName}'`);
    }
    return fail(res, 400, 'UnknownOperationException', `the replay endpoint does not answer ${target || req.method + ' ' + req.url}`);
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => Object.fromEntries(calls),
    resetCalls: () => calls.clear(),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** One ECR call to moto over the wire, its JSON answer as moto sent it (moto routes by the signature's scope, checks no signature). */
function callMoto(endpoint, operation, input) {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `${TARGET_PREFIX}${operation}`,
          authorization: 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${operation} failed (${res.statusCode}): ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Records the listings of a seeded moto: every repository (DescribeRepositories) and the images of `repositoryNames`
 * (DescribeImages). moto answers each in one response whatever maxResults says; a nextToken is followed anyway.
 */
export async function recordFromMoto(endpoint, repositoryNames) {
  const all = async (operation, input, key) => {
    const items = [];
    let nextToken;
    do {
      const answer = await callMoto(endpoint, operation, { ...input, ...(nextToken ? { nextToken } : {}) });
      items.push(...(answer[key] ?? []));
      nextToken = answer.nextToken;
    } while (nextToken);
    return items;
  };
  const repositories = await all('DescribeRepositories', {}, 'repositories');
  const images = {};
  for (const name of repositoryNames) images[name] = await all('DescribeImages', { repositoryName: name }, 'imageDetails');
  return { repositories, images };
}
