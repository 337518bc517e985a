/**
 * The `ecr-deploy` task definition (contributes.taskDefinitions): what users write in tasks.json and
 * what the task provider offers. A definition comes from a file the user (or a repository) wrote, so
 * every field is checked here before anything runs.
 */
import { repositoryNameProblem } from '../ecr/inputRules';

export const BUILD_TASK_TYPE = 'ecr-deploy';

export type BuildTaskAction = 'build' | 'push' | 'buildAndPush';

export interface BuildTaskDefinition {
  type: typeof BUILD_TASK_TYPE;
  action: BuildTaskAction;
  /** ECR repository name. */
  repository: string;
  tags: string[];
  /** Relative to the workspace folder; default `Dockerfile`. */
  dockerfile?: string;
  /** Relative to the workspace folder; default the Dockerfile's folder. */
  context?: string;
  platform?: string;
  buildArgs?: Record<string, string>;
  target?: string;
}

export type ParsedDefinition = { definition: BuildTaskDefinition; problem?: undefined } | { definition?: undefined; problem: string };

const ACTIONS: readonly string[] = ['build', 'push', 'buildAndPush'];

function optionalString(raw: Record<string, unknown>, key: string): string | undefined | { problem: string } {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : { problem: `"${key}" must be a string.` };
}

/** Checks the shape and names of a definition; the tags, paths and arguments are checked with the build request. */
export function parseBuildTaskDefinition(raw: unknown): ParsedDefinition {
  if (!raw || typeof raw !== 'object') return { problem: 'The task has no definition.' };
  const r = raw as Record<string, unknown>;
  const action = r.action ?? 'buildAndPush';
  if (typeof action !== 'string' || !ACTIONS.includes(action)) return { problem: `"action" must be one of ${ACTIONS.join(', ')}, not ${JSON.stringify(action)}.` };
  if (typeof r.repository !== 'string' || !r.repository) return { problem: 'Set "repository" to the name of an ECR repository.' };
  const nameProblem = repositoryNameProblem(r.repository);
  if (nameProblem) return { problem: nameProblem };
  const tags = typeof r.tags === 'string' ? [r.tags] : r.tags;
  if (!Array.isArray(tags) || !tags.length || !tags.every((t): t is string => typeof t === 'string')) return { problem: 'Set "tags" to one or more tags, for example ["dev"].' };
  const fields: Record<string, string | undefined> = {};
  for (const key of ['dockerfile', 'context', 'platform', 'target']) {
    const value = optionalString(r, key);
    if (typeof value === 'object') return value;
    fields[key] = value;
  }
  let buildArgs: Record<string, string> | undefined;
  if (r.buildArgs !== undefined && r.buildArgs !== null) {
    if (typeof r.buildArgs !== 'object' || Array.isArray(r.buildArgs)) return { problem: '"buildArgs" must be an object of NAME: "value".' };
    buildArgs = {};
    for (const [name, value] of Object.entries(r.buildArgs as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return { problem: `The build argument ${name} must be a string.` };
      buildArgs[name] = String(value);
    }
  }
  return {
    definition: {
      type: BUILD_TASK_TYPE,
      action: action as BuildTaskAction,
      repository: r.repository,
      tags: [...tags],
      ...(fields.dockerfile ? { dockerfile: fields.dockerfile } : {}),
      ...(fields.context ? { context: fields.context } : {}),
      ...(fields.platform ? { platform: fields.platform } : {}),
      ...(buildArgs ? { buildArgs } : {}),
      ...(fields.target ? { target: fields.target } : {}),
    },
  };
}

/** The build context when none is given: the Dockerfile's own folder, as `docker build` users expect. */
export function defaultContext(dockerfile: string): string {
  const slash = Math.max(dockerfile.lastIndexOf('/'), dockerfile.lastIndexOf('\\'));
  return slash > 0 ? dockerfile.slice(0, slash) : '.';
}

const ACTION_TITLES: Record<BuildTaskAction, string> = { build: 'Build', push: 'Push', buildAndPush: 'Build and Push' };

/** `Build and Push services/api/Dockerfile to quilt-mcp-server:dev` */
export function buildTaskName(definition: Pick<BuildTaskDefinition, 'action' | 'repository' | 'tags' | 'dockerfile'>): string {
  const image = `${definition.repository}:${definition.tags.join(',')}`;
  return definition.action === 'push' ? `Push ${image}` : `${ACTION_TITLES[definition.action]} ${definition.dockerfile ?? 'Dockerfile'} to ${image}`;
}
