/**
 * The readiness rules on an open document, as diagnostics (source "ECR Deploy readiness", code the rule id),
 * and their quick fixes: `"readonlyRootFilesystem": true`, an environment entry moved to `secrets` with a
 * placeholder `valueFrom`, the base image pinned by the digest its registry reports, a suppression comment
 * (Dockerfile) or the rule added to `ecrDeploy.readiness.ignore` (JSON). Every edit is computed on the text as
 * it is when applied, never on the text the diagnostic was made from.
 */
import * as vscode from 'vscode';
import { findNodeAtOffset, getNodeValue, parseTree, type Edit } from 'jsonc-parser';
import type { ReadinessFinding, ReadinessSeverity } from '../../core/readiness/finding';
import { checkDockerfile, finalBaseImage } from '../../core/readiness/dockerfileRules';
import { suppressDockerfileFindings, suppressionComment, withoutIgnored } from '../../core/readiness/suppression';
import { checkTaskDefinition } from '../../core/readiness/taskDefinitionRules';
import { containerAt, moveToSecretsEdits, readonlyRootFilesystemEdits } from '../../core/readiness/taskDefinitionFixes';
import { settings } from '../settings';
import { READINESS_SOURCE, type ReadinessCandidate } from './names';

const SEVERITY: Record<ReadinessSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: ReadinessFinding): vscode.Diagnostic {
  const line = finding.line - 1;
  const start = finding.column - 1;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, Math.max(start + 1, (finding.endColumn ?? finding.column + 1) - 1)), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = READINESS_SOURCE;
  diagnostic.code = finding.rule;
  return diagnostic;
}

export function readinessDiagnosticsFor(document: vscode.TextDocument, kind: ReadinessCandidate): vscode.Diagnostic[] {
  const text = document.getText();
  const file = vscode.workspace.asRelativePath(document.uri);
  const findings = kind === 'dockerfile' ? suppressDockerfileFindings(text, checkDockerfile(text, file)) : checkTaskDefinition(text, file);
  return withoutIgnored(findings, settings.readinessIgnore(document.uri)).map(toDiagnostic);
}

function toWorkspaceEdit(document: vscode.TextDocument, edits: readonly Edit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  return edit;
}

function fix(title: string, diagnostic: vscode.Diagnostic, how: { edit?: vscode.WorkspaceEdit; command?: vscode.Command }, preferred = false): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  if (how.edit) action.edit = how.edit;
  if (how.command) action.command = how.command;
  return action;
}

/** The environment entry whose `"name"` key a diagnostic is on. */
function environmentNameAt(text: string, offset: number): string | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const entry = root && findNodeAtOffset(root, offset + 1)?.parent?.parent;
  const value = entry?.type === 'object' ? (getNodeValue(entry) as { name?: unknown }) : undefined;
  return typeof value?.name === 'string' ? value.name : undefined;
}

/** The first line of the instruction a Dockerfile line belongs to (continuations walk back). */
function instructionStart(document: vscode.TextDocument, line: number): number {
  const escape = /^#\s*escape\s*=\s*`/im.test(document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 5), 0))) ? '`' : '\\';
  let start = line;
  while (start > 0) {
    const previous = document.lineAt(start - 1).text;
    if (previous.trim().startsWith('#') || !previous.trimEnd().endsWith(escape)) break;
    start--;
  }
  return start;
}

export function readinessCodeActions(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
  const text = document.getText();
  const actions: vscode.CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const rule = String(diagnostic.code);
    const offset = document.offsetAt(diagnostic.range.start);
    if (rule === 'taskdef/writable-root-fs') {
      const index = containerAt(text, offset);
      if (index !== undefined) actions.push(fix('Set "readonlyRootFilesystem": true', diagnostic, { edit: toWorkspaceEdit(document, readonlyRootFilesystemEdits(text, index)) }, true));
    } else if (rule === 'taskdef/secret-in-environment') {
      const index = containerAt(text, offset);
      const name = environmentNameAt(text, offset);
      if (index !== undefined && name) actions.push(fix(`Move ${name} to "secrets" (a placeholder valueFrom to replace)`, diagnostic, { edit: toWorkspaceEdit(document, moveToSecretsEdits(text, index, name)) }, true));
    } else if (rule === 'dockerfile/unpinned-base') {
      const base = finalBaseImage(text);
      if (base && !base.fromVariable && base.line - 1 === diagnostic.range.start.line) {
        actions.push(fix(`Pin ${base.image} by the digest its registry reports`, diagnostic, { command: { title: 'Pin by digest', command: 'ecrDeploy.pinBaseImageDigest', arguments: [document.uri, base.line - 1, base.image] } }, true));
      }
    }
    if (rule.startsWith('dockerfile/')) {
      const start = instructionStart(document, diagnostic.range.start.line);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(start, 0), `${suppressionComment(rule, document.lineAt(start).text)}\n`);
      actions.push(fix(`Ignore ${rule} here (# ecr-deploy-ignore)`, diagnostic, { edit }));
    } else if (rule.startsWith('taskdef/')) {
      actions.push(fix(`Ignore ${rule} in this workspace (ecrDeploy.readiness.ignore)`, diagnostic, { command: { title: 'Ignore', command: 'ecrDeploy.ignoreReadinessRule', arguments: [rule] } }));
    }
  }
  return actions;
}
