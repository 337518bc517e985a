/**
 * Parsing of the AWS shared config and credentials files (INI). Pure: the caller reads the files.
 *
 * In the config file profiles are `[profile NAME]` (and `[default]`); in the credentials file they
 * are `[NAME]`. `[sso-session X]` and `[services X]` sections are not profiles.
 */

export type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\uFEFF/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    // An indented line continues a nested block (e.g. `s3 =` followed by `  max_concurrent_requests = 10`).
    if (/^\s/.test(line) && lastKey !== undefined) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    lastKey = trimmed.slice(0, eq).trim().toLowerCase();
    current.set(lastKey, trimmed.slice(eq + 1).trim());
  }
  return sections;
}

export interface ProfileInfo {
  name: string;
  region?: string;
  /** SSO profiles need `aws sso login` when their token expires. */
  usesSso: boolean;
  /** The profile assumes a role (role_arn with source_profile or credential_source). */
  assumesRole: boolean;
  endpointUrl?: string;
}

function profileNameFromConfigSection(section: string): string | undefined {
  if (section === 'default') return 'default';
  const m = /^profile\s+(.+)$/.exec(section);
  return m ? m[1].trim() : undefined;
}

/** Profiles from both files, config values winning for region and sso settings; sorted, `default` first. */
export function listProfiles(configText: string, credentialsText: string): ProfileInfo[] {
  const byName = new Map<string, ProfileInfo>();
  const ensure = (name: string): ProfileInfo => {
    let info = byName.get(name);
    if (!info) {
      info = { name, usesSso: false, assumesRole: false };
      byName.set(name, info);
    }
    return info;
  };
  for (const [section] of parseIni(credentialsText)) ensure(section);
  for (const [section, values] of parseIni(configText)) {
    const name = profileNameFromConfigSection(section);
    if (!name) continue;
    const info = ensure(name);
    const region = values.get('region');
    if (region) info.region = region;
    if (values.has('sso_session') || values.has('sso_start_url')) info.usesSso = true;
    if (values.has('role_arn')) info.assumesRole = true;
    const endpoint = values.get('endpoint_url');
    if (endpoint) info.endpointUrl = endpoint;
  }
  return [...byName.values()].sort((a, b) =>
    a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name),
  );
}
