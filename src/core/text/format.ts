/** Sizes and ages as people read them in a tree row: short, stable in width, never "NaN". */

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Decimal units, as `docker images` prints them (ECR reports compressed layer sizes in bytes). */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '? B';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(bytes)} B`;
  // One decimal below 100 keeps "45.2 MB" precise and "312 MB" short.
  const text = value < 100 ? value.toFixed(1) : Math.round(value).toString();
  return `${text} ${SIZE_UNITS[unit]}`;
}

/** `1 image`, `3 images`; `pluralWord` where adding an "s" is wrong (`2 repositories`). */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "12 d ago", "4 mo ago", "2 y ago"; a future time reads "in the future". */
export function formatAge(when: Date | undefined, now: Date = new Date()): string {
  if (!when || Number.isNaN(when.getTime())) return 'unknown time';
  const elapsed = now.getTime() - when.getTime();
  // Clock skew between the machine and AWS makes fresh pushes look slightly in the future.
  if (elapsed < -MINUTE) return 'in the future';
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 60 * DAY) return `${Math.floor(elapsed / DAY)} d ago`;
  if (elapsed < 365 * DAY) return `${Math.floor(elapsed / (30 * DAY))} mo ago`;
  return `${Math.floor(elapsed / (365 * DAY))} y ago`;
}

/**
 * How every moment is shown: UTC (`2026-12-01 21:35:42 UTC`, the CLI's default: logs of CI jobs compare
 * across machines) or the person's locale and time zone (the extension's default). The extension sets it
 * once from `ecrDeploy.logs.timestampsInUtc`, so tooltips, verdicts, reports and log lines agree.
 */
type TimestampStyle = { utc: boolean; locale?: string };
let timestampStyle: () => TimestampStyle = () => ({ utc: true });

/** Asked on every call, so a changed setting applies at once without a listener. */
export function setTimestampStyle(style: () => TimestampStyle): void {
  timestampStyle = style;
}

/** A moment in the one format of this process (see setTimestampStyle). */
export function formatTimestamp(when: Date | undefined): string {
  if (!when || Number.isNaN(when.getTime())) return 'unknown';
  const style = timestampStyle();
  if (style.utc) return when.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return when.toLocaleString(style.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** `sha256:0123456789ab…` → `sha256:0123456789ab`: enough to tell images apart in a row. */
export function shortDigest(digest: string | undefined, length = 12): string {
  if (!digest) return '?';
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return `${algorithm ? `${algorithm}:` : ''}${hex.slice(0, length)}`;
}

/** A duration as progress and verdicts show it: `45 s`, `2 min`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
