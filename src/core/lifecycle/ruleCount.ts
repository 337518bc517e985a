/**
 * How many rules a stored lifecycle policy has, for a tree row. Apart from policy.ts because the
 * Repositories view renders this at first display, and policy.ts brings the schema validator, which
 * only editing needs (bundled apart with it, dist/explorer.js).
 */
import { plural } from '../text/format';

/** "3 rules" / "1 rule"; "set" for text that is not JSON, "not set" for none. */
export function ruleCountText(policyText: string | undefined): string {
  if (!policyText) return 'not set';
  try {
    const rules = (JSON.parse(policyText) as { rules?: unknown[] }).rules;
    const n = Array.isArray(rules) ? rules.length : 0;
    return plural(n, 'rule');
  } catch {
    return 'set';
  }
}
