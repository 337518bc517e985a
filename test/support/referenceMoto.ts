/**
 * The usual integration-test frame: one moto_server per test file, the SDK clients users get pointed
 * at it, and the reference world seeded afresh before each test.
 */
import { after, before, beforeEach } from 'node:test';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { startMoto, TEST_AWS_ENV, type MotoServer } from './moto';
import { seedReferenceWorld, type SeededWorld } from './referenceWorld';

export interface ReferenceMoto {
  moto: MotoServer;
  clients: AwsClients;
  /** What the seeding made (repository URI, task definition ARN), fresh before each test. */
  seeded: SeededWorld;
}

/**
 * Registers the hooks in the calling `describe`; the fields are set once `before` has run. `motoEnv`
 * goes to the moto_server process (e.g. MOTO_ECS_SERVICE_RUNNING).
 */
export function useReferenceMoto(motoEnv: Record<string, string> = {}): ReferenceMoto {
  const world = {} as ReferenceMoto;
  before(async () => {
    world.moto = await startMoto(motoEnv);
    Object.assign(process.env, TEST_AWS_ENV);
    world.clients = createAwsClients(resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  });
  after(async () => {
    world.clients?.destroy();
    await world.moto?.stop();
  });
  beforeEach(async () => {
    await world.moto.reset();
    world.seeded = await seedReferenceWorld(world.clients);
  });
  return world;
}
