/**
 * Repository policies over the wire against moto: the AWS edge's GetRepositoryPolicy, SetRepositoryPolicy and
 * DeleteRepositoryPolicy round trip, with the grammar check and the public-statement test on what comes back.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import * as ecr from '../../src/aws/ecr';
import { parseRepositoryPolicy } from '../../src/core/repositoryPolicy/policy';
import { formatRepositoryPolicy, pullOnlyPolicy } from '../../src/core/repositoryPolicy/template';
import { publicPolicyStatements } from '../../src/core/readiness/repositoryPolicy';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';

const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

describe('repository policy round trip against moto', () => {
  const world = useReferenceMoto();

  it('no policy reads as none; set stores the text; get reads it back; delete removes it, and a second delete is a no-op', async () => {
    const name = REFERENCE.repository;
    assert.equal(await ecr.getRepositoryPolicy(world.clients.ecr, name), undefined);
    const text = formatRepositoryPolicy(pullOnlyPolicy(ROLE));
    assert.deepEqual(parseRepositoryPolicy(text).problems, []);
    await ecr.setRepositoryPolicy(world.clients.ecr, name, text);
    const stored = await ecr.getRepositoryPolicy(world.clients.ecr, name);
    assert.deepEqual(JSON.parse(stored!), JSON.parse(text));
    // Read with the plain SDK too: what the edge returns is what ECR holds.
    const raw = await world.clients.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }));
    assert.equal(raw.policyText, stored);
    assert.deepEqual(publicPolicyStatements(stored!), []);

    // Setting it again with a public statement replaces it (safe to send twice), and the public test finds it.
    const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] }, null, 2);
    await ecr.setRepositoryPolicy(world.clients.ecr, name, open);
    await ecr.setRepositoryPolicy(world.clients.ecr, name, open);
    const replaced = await ecr.getRepositoryPolicy(world.clients.ecr, name);
    assert.deepEqual(publicPolicyStatements(replaced!).map((s) => s.sid), ['Everyone']);

    assert.equal(await ecr.deleteRepositoryPolicy(world.clients.ecr, name), true);
    assert.equal(await ecr.getRepositoryPolicy(world.clients.ecr, name), undefined);
    assert.equal(await ecr.deleteRepositoryPolicy(world.clients.ecr, name), false, 'nothing left to delete: not an error');
  });

  it('a repository that does not exist fails with ECR\'s error, not as "no policy"', async () => {
    await assert.rejects(ecr.getRepositoryPolicy(world.clients.ecr, 'no-such-repository'), (e: Error) => e.name === 'RepositoryNotFoundException');
  });
});
