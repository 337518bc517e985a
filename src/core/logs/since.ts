/**
 * "Since" as users type it: a duration back from now (`30s`, `10m`, `1h`, `2d`, `1w`, `1h30m`) or a
 * point in time (ISO 8601 such as `2026-11-27T10:00:00Z`, `2026-11-27 10:00` in local time, or epoch
 * seconds / milliseconds).
 */

export type SinceResult = { ok: true; startTime: number } | { ok: false; message: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w)/g;

/** Milliseconds, or undefined when `text` is not a duration; may exceed any real span (see parseSince). */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!DURATION.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(DURATION_PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/**
 * A duration that reaches back before 1970 names no time at all (`99999999999999999999d` is 1e20 days,
 * beyond exact arithmetic): it is refused rather than clamped, because it is a typo or a probe, not a
 * request. A long but real span (`1000w`) is kept; the tail clamps it to what the log group can hold.
 */
function checkSpan(duration: number, now: number, text: string): SinceResult {
  if (!Number.isSafeInteger(duration) || duration > now) {
    const maxDays = Math.floor(now / UNIT_MS.d);
    return { ok: false, message: `"${text}" reaches back before 1970-01-01: a duration can be at most ${maxDays}d (CloudWatch Logs keeps events at most 10 years, 3653d).` };
  }
  return { ok: true, startTime: now - duration };
}

export function parseSince(text: string, now: number): SinceResult {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: 'Since is empty: give a duration such as 10m or 1h, or a time such as 2026-11-27T10:00:00Z.' };
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return checkSpan(duration, now, trimmed);
  if (/^\d+$/.test(trimmed)) {
    // Ten or fewer digits are epoch seconds (until 2286); more are milliseconds.
    const value = Number(trimmed);
    return checkPast(trimmed.length <= 10 ? value * 1000 : value, now, trimmed);
  }
  // `2026-11-27 10:00` is read like ISO with a T; a date-time without a zone is local time, as in ISO.
  const parsed = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(trimmed) ? trimmed.replace(' ', 'T') : trimmed);
  if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    return { ok: false, message: `"${trimmed}" is neither a duration (30s, 10m, 1h, 2d, 1w, 1h30m) nor a time (2026-11-27T10:00:00Z, 2026-11-27 10:00, epoch seconds).` };
  }
  return checkPast(parsed, now, trimmed);
}

function checkPast(startTime: number, now: number, text: string): SinceResult {
  if (startTime > now) return { ok: false, message: `"${text}" is in the future: since must be a time in the past.` };
  return { ok: true, startTime };
}
