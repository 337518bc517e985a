import { after, before, beforeEach } from 'node:test';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { seedReferenceWorld, type SeededWorld } from './referenceWorld';
import { startMoto, TEST_AWS_ENV, type MotoServer } from './moto';

export interface SeededMoto {
  readonly moto: MotoServer;
  readonly clients: AwsClients;
  /** The reference world, seeded afresh before each test. */
  readonly world: SeededWorld;
}

/**
 * For an integration test file: one moto_server for the file (with `extraEnv` on the server process,
 * e.g. MOTO_ECS_SERVICE_RUNNING), reset and reseeded with the reference world before each test.
 */
export function seededMotoPerTest(extraEnv: Record<string, string> = {}): SeededMoto {
  const state = {} as { moto: MotoServer; clients: AwsClients; world: SeededWorld };
  before(async () => {
    state.moto = await startMoto(extraEnv);
    Object.assign(process.env, TEST_AWS_ENV);
    state.clients = createAwsClients(resolveConnection({ endpointUrl: state.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  });
  after(async () => {
    state.clients?.destroy();
    await state.moto?.stop();
  });
  beforeEach(async () => {
    await state.moto.reset();
    state.world = await seedReferenceWorld(state.clients);
  });
  return {
    get moto() {
      return state.moto;
    },
    get clients() {
      return state.clients;
    },
    get world() {
      return state.world;
    },
  };
}
