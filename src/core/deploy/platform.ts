/**
 * The platform guard: an image built for arm64 (the default on Apple Silicon) fails on an X86_64
 * Fargate task with "exec format error" only after the rollout started. The image's platform comes
 * from its manifest list / OCI index, or from the config blob of a single-platform manifest.
 */
import type { RuntimePlatform } from '@aws-sdk/client-ecs';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const INDEX_MEDIA_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
export const MANIFEST_MEDIA_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];

/** What a manifest document says about platforms, before any blob is read. */
export type ManifestPlatforms =
  | { kind: 'index'; platforms: Platform[] }
  | { kind: 'single'; configDigest: string }
  | { kind: 'unreadable'; reason: string };

export function platformsInManifest(manifestText: string, mediaType?: string): ManifestPlatforms {
  let manifest: { mediaType?: string; manifests?: Array<{ platform?: Partial<Platform> }>; config?: { digest?: string } };
  try {
    manifest = JSON.parse(manifestText) as typeof manifest;
  } catch {
    return { kind: 'unreadable', reason: 'the image manifest is not JSON' };
  }
  const type = manifest.mediaType ?? mediaType;
  if (Array.isArray(manifest.manifests) || (type !== undefined && INDEX_MEDIA_TYPES.includes(type))) {
    const platforms = (manifest.manifests ?? [])
      .map((m) => m.platform)
      // Build attestations are listed as unknown/unknown: they are not runnable images.
      .filter((p): p is Platform => Boolean(p?.os && p.architecture) && p!.os !== 'unknown' && p!.architecture !== 'unknown')
      .map((p) => ({ os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) }));
    return { kind: 'index', platforms };
  }
  if (manifest.config?.digest) return { kind: 'single', configDigest: manifest.config.digest };
  return { kind: 'unreadable', reason: `the manifest (${type ?? 'no media type'}) names neither platforms nor a config blob` };
}

/** The platform of an image config blob (`{"architecture":"amd64","os":"linux",...}`). */
export function platformOfConfig(configText: string): Platform | undefined {
  try {
    const config = JSON.parse(configText) as { os?: string; architecture?: string; variant?: string };
    if (!config.os || !config.architecture) return undefined;
    return { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  } catch {
    return undefined;
  }
}

/** What the task definition runs on; ECS's default when runtimePlatform is absent is X86_64 Linux. */
export function requiredPlatform(runtimePlatform: RuntimePlatform | undefined): Platform {
  const arch = runtimePlatform?.cpuArchitecture === 'ARM64' ? 'arm64' : 'amd64';
  const family = runtimePlatform?.operatingSystemFamily ?? 'LINUX';
  return { os: family.startsWith('WINDOWS') ? 'windows' : 'linux', architecture: arch };
}

export const formatPlatform = (p: Platform) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

/** The result of reading an image's platform: known platforms, or why it could not be read. */
export type ImagePlatformReading = { kind: 'known'; platforms: Platform[]; source: 'index' | 'config' } | { kind: 'unknown'; reason: string };

export type PlatformCheck =
  | { verdict: 'match'; message: string }
  | { verdict: 'mismatch'; message: string }
  /** `brief`: the same in a few words, for a notification (the message, with the registry's answer, goes to the log). */
  | { verdict: 'unknown'; message: string; brief: string };

export function checkPlatform(runtimePlatform: RuntimePlatform | undefined, reading: ImagePlatformReading): PlatformCheck {
  const required = requiredPlatform(runtimePlatform);
  const wanted = formatPlatform(required);
  const declared = runtimePlatform ? `runtimePlatform ${runtimePlatform.operatingSystemFamily ?? 'LINUX'}/${runtimePlatform.cpuArchitecture ?? 'X86_64'}` : 'no runtimePlatform (ECS runs it as X86_64 Linux)';
  if (reading.kind === 'unknown') {
    return { verdict: 'unknown', message: `The image's platform could not be read (${reading.reason}); the task definition needs ${wanted}.`, brief: `Platform not checked (${wanted} needed): the registry did not say.` };
  }
  const matches = reading.platforms.some((p) => p.os === required.os && p.architecture === required.architecture);
  const found = reading.platforms.map(formatPlatform).join(', ') || 'no platform';
  if (matches) return { verdict: 'match', message: `The image provides ${wanted}, as the task definition needs.` };
  return {
    verdict: 'mismatch',
    message: `The image is built for ${found}, but the task definition (${declared}) needs ${wanted}: its tasks would stop with "exec format error". Rebuild with \`docker build --platform ${wanted}\`.`,
  };
}
