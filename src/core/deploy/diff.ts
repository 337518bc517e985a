/**
 * What the dry run shows: the differences between the current revision (as a RegisterTaskDefinition
 * input) and the new one, as paths a reader can follow. Arrays of named objects (containers, secrets,
 * environment) are matched by name, so a reordered list does not read as a change.
 */

export interface Change {
  /** `containerDefinitions[mcp-server].image`, `tags[team].value`, `cpu`. */
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before?: unknown;
  after?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The key that names an element of a list, when every element has a distinct one. */
function namingKey(items: unknown[]): 'name' | 'key' | undefined {
  if (items.length === 0) return undefined;
  for (const key of ['name', 'key'] as const) {
    const names = items.map((i) => (isObject(i) ? i[key] : undefined));
    if (names.every((n) => typeof n === 'string') && new Set(names).size === names.length) return key;
  }
  return undefined;
}

function normalise(value: unknown): Json {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalise(v)]));
  return (value ?? null) as Json;
}

export function diffValues(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  walk(normalise(before), normalise(after), '', changes);
  return changes;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function walk(before: Json | undefined, after: Json | undefined, path: string, out: Change[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) return void out.push({ path, kind: 'added', after });
  if (after === undefined) return void out.push({ path, kind: 'removed', before });
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) walk(before[key], after[key], join(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyBefore = namingKey(before);
    const keyAfter = namingKey(after);
    const key = before.length && after.length ? (keyBefore === keyAfter ? keyBefore : undefined) : (keyBefore ?? keyAfter);
    if (key) {
      const byName = (items: Json[]) => new Map(items.map((i) => [String((i as Record<string, Json>)[key]), i]));
      const b = byName(before);
      const a = byName(after);
      for (const name of [...new Set([...b.keys(), ...a.keys()])]) walk(b.get(name), a.get(name), `${path}[${name}]`, out);
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) walk(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, kind: 'changed', before, after });
}

export function formatChange(change: Change): string {
  const show = (v: unknown) => JSON.stringify(v);
  switch (change.kind) {
    case 'changed':
      return `~ ${change.path}: ${show(change.before)} -> ${show(change.after)}`;
    case 'added':
      return `+ ${change.path}: ${show(change.after)}`;
    case 'removed':
      return `- ${change.path}: ${show(change.before)}`;
  }
}

/** Pretty JSON with stable content for the diff editor (Dates as ISO strings). */
export function toDocument(value: unknown): string {
  return JSON.stringify(normalise(value), null, 2) + '\n';
}
