/**
 * Bundled apart as dist/repositoryPolicy.js, loaded when a repository policy document is first read, saved or
 * opened: the IAM policy grammar checks (the precompiled schema validator), the public-statement test the
 * readiness rule shares, and the JSON parser that places their diagnostics.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { publicPolicyStatements } from '../../../core/readiness/repositoryPolicy';
import { parseRepositoryPolicy } from '../../../core/repositoryPolicy/policy';

export { describeRepositoryPolicyProblems, parseRepositoryPolicy, prettyRepositoryPolicyText } from '../../../core/repositoryPolicy/policy';

export const PUBLIC_POLICY_RULE = 'repository/public-policy';

/** The range of a location's key (or its value, for the policy itself and list items), where a person looks. */
function rangeAt(document: vscode.TextDocument, tree: Node | undefined, location: ReadonlyArray<string | number>): vscode.Range {
  let node: Node | undefined;
  for (let n = location.length; n >= 0 && !node; n--) node = tree && findNodeAtLocation(tree, [...location.slice(0, n)]);
  if (!node) return new vscode.Range(0, 0, 0, 1);
  // A property's value: mark its key ("Effect") rather than a long object.
  const target = node.parent?.type === 'property' && typeof location[location.length - 1] === 'string' ? node.parent.children![0] : node;
  const start = document.positionAt(target.offset);
  const end = document.positionAt(target.offset + target.length);
  return start.line === end.line ? new vscode.Range(start, end) : new vscode.Range(start, document.lineAt(start.line).range.end);
}

/** The grammar's problems, each on the line it is about, and every public statement as `repository/public-policy`. */
export function repositoryPolicyDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  const text = document.getText();
  if (!text.trim()) return [];
  const tree = parseTree(text);
  const diagnostics = parseRepositoryPolicy(text).problems.map((p) => {
    const d = new vscode.Diagnostic(rangeAt(document, tree, p.location), `${p.path} ${p.message}`, vscode.DiagnosticSeverity.Error);
    d.source = 'ECR repository policy';
    return d;
  });
  for (const statement of publicPolicyStatements(text)) {
    const line = document.lineAt(Math.min(document.lineCount - 1, statement.line - 1));
    const name = statement.sid ? `Statement "${statement.sid}"` : `Statement ${statement.index + 1}`;
    const d = new vscode.Diagnostic(
      new vscode.Range(line.lineNumber, statement.column - 1, line.lineNumber, line.range.end.character),
      `${name} allows anyone (Principal "*") with no Condition: every AWS account can use this repository. Name the roles or accounts, or add a Condition such as "aws:PrincipalOrgID".`,
      vscode.DiagnosticSeverity.Error,
    );
    d.source = 'ECR repository policy';
    d.code = PUBLIC_POLICY_RULE;
    diagnostics.push(d);
  }
  return diagnostics;
}
