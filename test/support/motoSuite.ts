/**
 * The setup of an integration suite on moto: one moto_server for the file, clients through the same
 * factory users get, and the reference world seeded afresh before each test. Call inside `describe`.
 */
import { after, before, beforeEach } from 'node:test';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { startMoto, TEST_AWS_ENV, type MotoServer } from './moto';
import { seedReferenceWorld } from './referenceWorld';

export interface MotoSuite {
  moto: MotoServer;
  clients: AwsClients;
}

export function motoWithReferenceWorld(): MotoSuite {
  const suite = {} as MotoSuite;
  before(async () => {
    suite.moto = await startMoto();
    Object.assign(process.env, TEST_AWS_ENV);
    suite.clients = createAwsClients(resolveConnection({ endpointUrl: suite.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  });
  after(async () => {
    suite.clients?.destroy();
    await suite.moto?.stop();
  });
  beforeEach(async () => {
    await suite.moto.reset();
    await seedReferenceWorld(suite.clients);
  });
  return suite;
}
