/**
 * The mechanical fixes of task-definition findings, as text edits (jsonc-parser's `modify`, which keeps the
 * file's formatting): the editor's quick fixes apply them. Each returns no edit when the finding no longer
 * applies (the file changed since).
 */
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type Edit, type FormattingOptions, type JSONPath, type Node } from 'jsonc-parser';
import { taskDefinitionNode } from './taskDefinitionRules';

export type { Edit } from 'jsonc-parser';

function locate(text: string): { root: Node; prefix: JSONPath; taskDefinition: Node } | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const taskDefinition = taskDefinitionNode(root);
  if (!root || !taskDefinition) return undefined;
  return { root, taskDefinition, prefix: taskDefinition === root ? [] : ['taskDefinition'] };
}

/** The index of the container whose object holds the offset (a finding's place), if any. */
export function containerAt(text: string, offset: number): number | undefined {
  const found = locate(text);
  const containers = found && findNodeAtLocation(found.taskDefinition, ['containerDefinitions'])?.children;
  const index = containers?.findIndex((c) => offset >= c.offset && offset <= c.offset + c.length);
  return index === undefined || index < 0 ? undefined : index;
}

function formatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** `"readonlyRootFilesystem": true` on container `index`. */
export function readonlyRootFilesystemEdits(text: string, index: number): Edit[] {
  const found = locate(text);
  if (!found) return [];
  return modify(text, [...found.prefix, 'containerDefinitions', index, 'readonlyRootFilesystem'], true, { formattingOptions: formatting(text) });
}

/** The ARN a moved secret starts with, for the user to replace: it names where to put it. */
export function placeholderValueFrom(name: string): string {
  return `arn:aws:secretsmanager:REGION:ACCOUNT:secret:${name}`;
}

/**
 * Moves environment entry `name` of container `index` to its `secrets` with a placeholder `valueFrom`: the
 * value itself is dropped from the file (it is the secret), the user stores it in Secrets Manager.
 */
export function moveToSecretsEdits(text: string, index: number, name: string): Edit[] {
  const found = locate(text);
  if (!found) return [];
  const containerPath = [...found.prefix, 'containerDefinitions', index];
  const environment = findNodeAtLocation(found.root, [...containerPath, 'environment']);
  const entryIndex = environment?.children?.findIndex((e) => e.type === 'object' && (getNodeValue(e) as { name?: unknown }).name === name) ?? -1;
  if (entryIndex < 0) return [];
  const options = { formattingOptions: formatting(text) };
  // Both edits against one text: apply the removal, then add the secret to the result, and return one edit of the whole span.
  const removed = applyEdits(text, modify(text, [...containerPath, 'environment', entryIndex], undefined, options));
  const secrets = findNodeAtLocation(parseTree(removed, [], { allowTrailingComma: true })!, [...containerPath, 'secrets']);
  const secret = { name, valueFrom: placeholderValueFrom(name) };
  const added = applyEdits(removed, modify(removed, [...containerPath, 'secrets', ...(secrets?.type === 'array' ? [secrets.children?.length ?? 0] : [])], secrets?.type === 'array' ? secret : [secret], { ...options, isArrayInsertion: secrets?.type === 'array' }));
  return [singleEdit(text, added)];
}

/** One edit that turns `before` into `after`: the span between their common prefix and suffix. */
function singleEdit(before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}
