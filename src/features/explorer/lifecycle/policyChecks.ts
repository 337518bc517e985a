/**
 * Bundled apart as dist/lifecycle.js, loaded when a lifecycle policy document is first read, saved or
 * opened: the policy checks (the precompiled schema validator) and the JSON parser that places their
 * diagnostics. The document provider and the diagnostics collection stay registered at activation.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { parseLifecyclePolicy } from '../../../core/lifecycle/policy';

export { describeProblems, parseLifecyclePolicy, prettyPolicyText } from '../../../core/lifecycle/policy';

/** The range of the n-th rule's `"rulePriority"` key (else the rule), where a person looks for the rule. */
function ruleRange(document: vscode.TextDocument, ruleIndex: number): vscode.Range {
  const tree = parseTree(document.getText());
  const rule = tree && findNodeAtLocation(tree, ['rules', ruleIndex]);
  const key = rule && findNodeAtLocation(rule, ['rulePriority'])?.parent?.children?.[0];
  const node = key ?? rule;
  if (!node) return new vscode.Range(0, 0, 0, 1);
  return new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length));
}

/** Conflicts between the rules of the document's policy, each at the rule it names. */
export function ruleConflictDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  const { problems } = parseLifecyclePolicy(document.getText());
  return problems
    .filter((p) => p.betweenRules)
    .map((p) => {
      const index = Number(/^rules\[(\d+)\]/.exec(p.path)?.[1] ?? 0);
      const diagnostic = new vscode.Diagnostic(ruleRange(document, index), `${p.path}: ${p.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'ECR lifecycle policy';
      return diagnostic;
    });
}
