/**
 * The usual integration-test frame: one moto_server per test file, the SDK clients users get pointed
 * at it, and the reference world seeded afresh before each test.
 */
import { after, before, beforeEach } from 'node:test';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { startMoto, TEST_AWS_ENV, type MotoServer } from './moto';
import { seedReferenceWorld } from './referenceWorld';

export interface ReferenceMoto {
  moto: MotoServer;
  clients: AwsClients;
}

/** Registers the hooks in the calling `describe`; the fields are set once `before` has run. */
export function useReferenceMoto(): ReferenceMoto {
  const world = {} as ReferenceMoto;
  before(async () => {
    world.moto = await startMoto();
    Object.assign(process.env, TEST_AWS_ENV);
    world.clients = createAwsClients(resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  });
  after(async () => {
    world.clients?.destroy();
    await world.moto?.stop();
  });
  beforeEach(async () => {
    await world.moto.reset();
    await seedReferenceWorld(world.clients);
  });
  return world;
}
