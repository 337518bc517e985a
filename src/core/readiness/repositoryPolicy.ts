/**
 * Statements of an ECR repository policy that let anyone in: `Effect: Allow`, `Principal` `*` (or
 * `{"AWS": "*"}`, alone or in a list) and no `Condition` to narrow it. Shared by the readiness rule
 * `repository/public-policy` and the diagnostics of Edit Repository Policy, so both say the same.
 * Positions come from jsonc-parser's tree: `JSON.parse` loses them.
 */
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';

export interface PublicStatement {
  /** Index in `Statement` (a single statement object is index 0). */
  index: number;
  sid?: string;
  /** 1-based line and column of the statement's `Principal` key (of the statement when it has none). */
  line: number;
  column: number;
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    const aws = (principal as Record<string, unknown>).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

/** The public statements of a policy given as text. Malformed JSON gives none (the schema check reports it). */
export function publicPolicyStatements(text: string): PublicStatement[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true });
  if (!root || errors.length) return [];
  const statementNode = findNodeAtLocation(root, ['Statement']);
  if (!statementNode) return [];
  const statements: Node[] = statementNode.type === 'array' ? (statementNode.children ?? []) : [statementNode];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return { line: line + 1, column: offset - lineStarts[line]! + 1 };
  };
  const found: PublicStatement[] = [];
  statements.forEach((node, index) => {
    if (node.type !== 'object') return;
    const member = (key: string) => node.children?.find((property) => property.children?.[0]?.value === key);
    const valueOf = (key: string): unknown => {
      const value = member(key)?.children?.[1];
      return value ? nodeValue(value) : undefined;
    };
    if (valueOf('Effect') !== 'Allow' || valueOf('Condition') !== undefined || !isEveryone(valueOf('Principal'))) return;
    const sid = valueOf('Sid');
    found.push({ index, ...(typeof sid === 'string' ? { sid } : {}), ...position(member('Principal')?.offset ?? node.offset) });
  });
  return found;
}

function nodeValue(node: Node): unknown {
  if (node.type === 'object') return Object.fromEntries((node.children ?? []).map((p) => [p.children?.[0]?.value, p.children?.[1] ? nodeValue(p.children[1]) : undefined]));
  if (node.type === 'array') return (node.children ?? []).map(nodeValue);
  return node.value;
}
