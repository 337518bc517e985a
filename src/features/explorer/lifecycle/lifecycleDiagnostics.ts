/**
 * Conflicts between rules in an open lifecycle policy (two rules with one priority, two rules for
 * untagged images, an "any" rule that is not last, the same prefixes twice), as diagnostics while
 * typing. The JSON schema covers the shape of each rule; these need the whole policy.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { parseLifecyclePolicy } from '../../../core/lifecycle/policy';
import { LIFECYCLE_SCHEME, LIFECYCLE_SUFFIX } from './lifecycleDocuments';

export function isLifecyclePolicyDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === LIFECYCLE_SCHEME || document.uri.path.endsWith(LIFECYCLE_SUFFIX);
}

/** The range of the n-th rule's `"rulePriority"` key (else the rule), where a person looks for the rule. */
function ruleRange(document: vscode.TextDocument, ruleIndex: number): vscode.Range {
  const tree = parseTree(document.getText());
  const rule = tree && findNodeAtLocation(tree, ['rules', ruleIndex]);
  const key = rule && findNodeAtLocation(rule, ['rulePriority'])?.parent?.children?.[0];
  const node = key ?? rule;
  if (!node) return new vscode.Range(0, 0, 0, 1);
  return new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length));
}

export class LifecycleDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ecr-lifecycle-policy');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  check(document: vscode.TextDocument): void {
    if (!isLifecyclePolicyDocument(document)) return;
    const { problems } = parseLifecyclePolicy(document.getText());
    const diagnostics = problems
      .filter((p) => p.betweenRules)
      .map((p) => {
        const index = Number(/^rules\[(\d+)\]/.exec(p.path)?.[1] ?? 0);
        const diagnostic = new vscode.Diagnostic(ruleRange(document, index), `${p.path}: ${p.message}`, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'ECR lifecycle policy';
        return diagnostic;
      });
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
