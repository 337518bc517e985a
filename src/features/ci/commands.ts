/**
 * Create Release Workflow...: the palette's face of `ecr-deploy init-ci`. Asks for what the workflow
 * needs, with the workspace's answers first (the folder's build repository, where that repository was
 * last deployed, the connection's region, the folder's Dockerfile), writes .github/workflows/release.yml
 * through the same use case and opens it. Untrusted workspaces cannot write it.
 */
import * as vscode from 'vscode';
import type { ReleaseWorkflowInput } from '../../app/ci/index';
import { ECR_DEPLOY_VERSION } from '../../core/version';
import type { CommandTable } from '../commands';
import type { Services } from '../context';

const TITLE = 'Create Release Workflow';

/** The generator (with the YAML serializer and GitHub's workflow parser) loads on first use, never at activation. */
const loadWorkflow = () => import('../../app/ci/index');

async function explainUntrusted(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    'Creating a release workflow is disabled in an untrusted workspace: it writes a file that runs in CI with your AWS role. Trust the workspace to create it.',
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The repository to write .github/workflows/release.yml into' });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function ask(step: number, prompt: string, value: string | undefined, validate: (text: string) => string | undefined, placeHolder?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `${TITLE} (${step}/6)`, prompt, value: value ?? '', placeHolder, ignoreFocusOut: true, validateInput: (text) => validate(text.trim()) });
}

export function ciCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.createReleaseWorkflow': async () => {
      if (!vscode.workspace.isTrusted) return explainUntrusted();
      const folder = await pickFolder();
      if (!folder) {
        void vscode.window.showInformationMessage('Open the folder of your repository first: the release workflow is written into its .github/workflows.');
        return undefined;
      }
      const { resolveWorkflowOptions, releaseWorkflowText, writeReleaseWorkflow, workflowProblems, WORKFLOW_PATH } = await loadWorkflow();
      // Each answer checked by the same rules as init-ci: only the problem about this field is shown.
      const base: ReleaseWorkflowInput = { repository: 'a1', cluster: 'c', service: 's', roleArn: 'arn:aws:iam::123456789012:role/r', region: 'us-east-1', version: ECR_DEPLOY_VERSION };
      const check = (field: keyof ReleaseWorkflowInput, flag: string) => (text: string) => {
        try {
          resolveWorkflowOptions({ ...base, [field]: text });
          return undefined;
        } catch (error) {
          return ((error as { problems?: string[] }).problems ?? []).find((p) => p.includes(flag))?.replace(/^--[a-z-]+ /, '');
        }
      };

      const repository = await ask(1, 'ECR repository the workflow pushes to', services.builds.repositoryFor(folder), check('repository', '--repository'));
      if (repository === undefined) return undefined;
      const target = services.memory.deployTarget(repository.trim());
      const cluster = await ask(2, 'ECS cluster', target?.cluster, check('cluster', '--cluster'));
      if (cluster === undefined) return undefined;
      const service = await ask(3, 'ECS service the workflow deploys', target?.service, check('service', '--service'));
      if (service === undefined) return undefined;
      const roleArn = await ask(4, 'IAM role GitHub assumes with OpenID Connect (no static keys)', undefined, check('roleArn', '--role-arn'), 'arn:aws:iam::123456789012:role/github-release');
      if (roleArn === undefined) return undefined;
      const region = await ask(5, 'AWS region', services.session.connection.region, check('region', 'region'));
      if (region === undefined) return undefined;
      const defaultDockerfile = (await exists(vscode.Uri.joinPath(folder.uri, 'Dockerfile'))) ? 'Dockerfile' : '';
      const dockerfile = await ask(6, 'Dockerfile, relative to the repository (its folder is the build context)', defaultDockerfile, check('dockerfile', '--dockerfile'));
      if (dockerfile === undefined) return undefined;

      const options = resolveWorkflowOptions({ repository, cluster, service, roleArn, region, dockerfile, version: ECR_DEPLOY_VERSION });
      const text = releaseWorkflowText(options);
      const problems = workflowProblems(text);
      if (problems.length) throw new Error(`GitHub's workflow parser rejects the generated workflow: ${problems.join(' ')}`);
      const workflowFile = vscode.Uri.joinPath(folder.uri, ...WORKFLOW_PATH.split('/'));
      let force = false;
      if (await exists(workflowFile)) {
        const replace = await vscode.window.showWarningMessage(`${WORKFLOW_PATH} already exists in ${folder.name}. Replace it?`, { modal: true }, 'Replace');
        if (replace !== 'Replace') return undefined;
        force = true;
      }
      const written = await writeReleaseWorkflow(
        { root: folder.uri.toString(), text, force, join: (root, ...parts) => vscode.Uri.joinPath(vscode.Uri.parse(root), ...parts).toString() },
        {
          exists: (uri) => exists(vscode.Uri.parse(uri)),
          write: async (uri, text) => {
            const file = vscode.Uri.parse(uri);
            await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
            await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
          },
        },
      );
      services.log.info(`${written.replaced ? 'Replaced' : 'Wrote'} ${written.path} (ecr-deploy ${options.version}, ${options.repository} -> ${options.cluster}/${options.service}).`);
      await vscode.window.showTextDocument(vscode.Uri.parse(written.path));
      void vscode.window.showInformationMessage(`Wrote ${WORKFLOW_PATH}. The role needs a trust policy for GitHub's OpenID Connect provider and the permissions listed in the README ("Use it in CI").`);
      return written.path;
    },
  };
}
