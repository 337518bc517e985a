/**
 * A workflow file checked by GitHub's own parser (@actions/workflow-parser) before it is written: the
 * problems GitHub would report (unknown keys, bad `on:`, a step with neither `run` nor `uses`...).
 */
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

export function workflowProblems(text: string, name = 'release.yml'): string[] {
  const parsed = parseWorkflow({ name, content: text }, new NoOperationTraceWriter());
  return parsed.context.errors.getErrors().map((e) => e.message);
}
