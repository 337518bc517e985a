/**
 * The one `*` matcher: ECR's WILDCARD repository filters, lifecycle `tagPatternList` entries and the
 * protected-service globs. `*` is any run of characters, `/` included (AWS's own examples of
 * repository filters: `myapp/*` matches every repository under `myapp/`); with `singleCharacter`, `?` is
 * exactly one character. Every other character is literal and the whole text must match.
 *
 * Not picomatch: its globs are path globs (`?` and `*` stop at `/` unless `bash` is set, `*` refuses
 * `.`/`..` segments, and `[ ] { } ( ) !` become syntax), which is not what AWS or the setting mean.
 */
export interface WildcardOptions {
  /** Compare without regard to case (the protected-services setting). */
  caseInsensitive?: boolean;
  /** `?` stands for one character (globs); otherwise it is literal (AWS filters and tag patterns). */
  singleCharacter?: boolean;
}

export function wildcardToRegExp(pattern: string, options: WildcardOptions = {}): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?' && options.singleCharacter) source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, options.caseInsensitive ? 'i' : '');
}

export function wildcardMatches(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  return wildcardToRegExp(pattern, options).test(text);
}
