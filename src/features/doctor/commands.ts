import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { serviceRefOf, type ServiceArg } from '../deploy/deployContext';
import { pickService } from '../deploy/pickers';
import { DiagnosisPanels } from './diagnosePanel';

export function doctorCommands(services: Services): CommandTable {
  const panels = new DiagnosisPanels(services);
  return {
    // Read-only: allowed in untrusted workspaces too. Returns the report (the e2e suite reads it).
    'ecrDeploy.diagnoseService': async (arg?: ServiceArg) => {
      const ref = serviceRefOf(arg) ?? (await pickService(await services.session.access(), 'Diagnose Service'));
      return ref ? panels.diagnose(ref) : undefined;
    },
  };
}
