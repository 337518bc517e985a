import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { serviceRefOf, type ServiceArg } from '../deploy/deployContext';
import { pickService } from '../deploy/pickers';

export function metricsCommands(services: Services): CommandTable {
  return {
    // Read-only: allowed in untrusted workspaces too.
    'ecrDeploy.showMetrics': async (arg?: ServiceArg) => {
      const ref = serviceRefOf(arg) ?? (await pickService(await services.session.access(), 'Show Metrics'));
      if (ref) services.metricsPanels.show(ref);
    },
  };
}
