/**
 * Every `ecr-deploy` command and the flags it takes, for checking workflow files in the editor without loading
 * the CLI. Flags that take a value are listed apart from switches, so a checker knows which word is a value.
 * test/unit/ci.workflowFlags.test.ts holds this equal to the CLI's own command definitions.
 */
export interface CommandFlags {
  /** Long flags that take a value (`--tag v1`, `--tag=v1`). */
  values: readonly string[];
  /** Long flags that take none. */
  switches: readonly string[];
  /** Short flags (`-t`) and the long flag each stands for. */
  shorts: Readonly<Record<string, string>>;
}

export const GLOBAL_FLAGS: CommandFlags = { values: ['profile', 'region', 'endpoint-url', 'output'], switches: ['help'], shorts: { o: 'output', h: 'help' } };

const BUILD = { values: ['repository', 'tag', 'dockerfile', 'context', 'platform', 'build-arg', 'target', 'registry-endpoint', 'container-cli'], switches: [], shorts: { r: 'repository', t: 'tag', f: 'dockerfile' } };
const TARGET = ['cluster', 'service'];
const WATCH = { values: ['timeout', 'poll-interval'], switches: ['no-wait'] };

export const COMMAND_FLAGS: Readonly<Record<string, CommandFlags>> = {
  repos: { values: [], switches: [], shorts: {} },
  images: { values: ['repository', 'filter'], switches: [], shorts: { r: 'repository' } },
  services: { values: ['cluster'], switches: [], shorts: { c: 'cluster' } },
  build: BUILD,
  push: BUILD,
  'build-and-push': BUILD,
  deploy: {
    values: [...TARGET, ...WATCH.values, 'image', 'tag', 'container', 'on-pause', 'verify-minutes'],
    switches: [...WATCH.switches, 'dry-run', 'rollback-on-failure', 'force-new-deployment', 'allow-platform-mismatch'],
    shorts: {},
  },
  validate: { values: TARGET, switches: [], shorts: {} },
  rollback: { values: [...TARGET, ...WATCH.values, 'to-revision'], switches: WATCH.switches, shorts: {} },
  continue: { values: TARGET, switches: ['rollback'], shorts: {} },
  logs: { values: ['cluster', 'service', 'group', 'since', 'filter', 'max-line-length', 'mechanism'], switches: ['follow', 'utc'], shorts: { g: 'group', f: 'follow' } },
  metrics: { values: ['cluster', 'service', 'since', 'period'], switches: ['maximum'], shorts: { c: 'cluster', s: 'service' } },
  findings: { values: ['repository', 'tag', 'digest', 'dockerfile', 'context', 'fail-on'], switches: ['scan'], shorts: {} },
  'init-ci': { values: ['provider', 'repository', 'cluster', 'service', 'role-arn', 'dockerfile', 'dir', 'fail-on'], switches: ['pull-requests', 'force'], shorts: {} },
  check: { values: ['dockerfile', 'task-definition', 'cluster', 'service', 'repository', 'fail-on', 'ignore'], switches: [], shorts: {} },
  doctor: { values: ['cluster', 'service'], switches: [], shorts: { c: 'cluster', s: 'service' } },
};
