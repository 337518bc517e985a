// The parts of the extension bundled apart and required on first use, so that loading dist/extension.js
// (activation) costs only registration. Each part is dist/<bundle>.js; in the extension's bundles an
// `import()` or a `require()` call of its entry (inside a function: the services part is required
// synchronously, on first use) stays a runtime require of that file, and a static import of it is a
// build error (it would pull the part back into the bundle that imports it).
import * as path from 'node:path';

export const LAZY_PARTS = [
  { bundle: 'aws', entry: 'src/aws/index.ts', what: 'the AWS edge (the SDK)', instead: 'use loadAwsEdge()' },
  { bundle: 'ci', entry: 'src/app/ci/index.ts', what: 'the release workflow generator (YAML serializer, workflow parser)', instead: 'import() it' },
  { bundle: 'explorer', entry: 'src/features/explorer/lazy.ts', what: 'the explorer commands and lifecycle policy editing', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'lifecycle', entry: 'src/features/explorer/lifecycle/policyChecks.ts', what: 'the lifecycle policy checks (schema validator, JSON parser)', instead: 'import() it' },
  { bundle: 'build', entry: 'src/features/build/lazy.ts', what: 'the build and push flow', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'deploy', entry: 'src/features/deploy/lazy.ts', what: 'the deploy flow and rollout follow', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'logs', entry: 'src/features/logs/lazy.ts', what: 'log tails', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'scan', entry: 'src/features/scan/lazy.ts', what: 'the scan flow and its diagnostics', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'release', entry: 'src/features/ci/lazy.ts', what: 'Create Release Workflow...', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'metrics', entry: 'src/features/metrics/lazy.ts', what: 'Show Metrics and its panel', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'services', entry: 'src/features/serviceParts.ts', what: 'the long-lived services (views, builds, log tails, scan diagnostics)', instead: 'reach them through Services, whose getters require the part' },
  { bundle: 'readiness', entry: 'src/features/readiness/lazy.ts', what: 'the deploy readiness rules (Dockerfile parser), their quick fixes and Check Deploy Readiness', instead: 'import() it, or add its commands to LAZY_FEATURES' },
  { bundle: 'doctor', entry: 'src/features/doctor/lazy.ts', what: 'Diagnose Service and its report', instead: 'add its commands to LAZY_FEATURES' },
  { bundle: 'repositoryPolicy', entry: 'src/features/explorer/repositoryPolicy/policyChecks.ts', what: 'the repository policy checks (IAM policy grammar validator, JSON parser)', instead: 'import() it' },
];

/** The esbuild plugin that keeps every lazy part out of the bundle being built (`root`: the repository). */
export function lazyPartsPlugin(root) {
  const byModule = new Map(LAZY_PARTS.map((part) => [path.join(root, part.entry.replace(/\.ts$/, '')), part]));
  return {
    name: 'lazy-parts',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const part = byModule.get(path.resolve(args.resolveDir, args.path).replace(/\.ts$/, ''));
        if (!part || args.kind === 'entry-point') return undefined;
        if (args.kind === 'dynamic-import' || args.kind === 'require-call') return { path: `./${part.bundle}.js`, external: true };
        return {
          errors: [{ text: `${path.relative(root, args.importer)} imports ${part.entry} (${part.what}) statically, which puts it back into this bundle: ${part.instead}, so it loads on first use.` }],
        };
      });
    },
  };
}
