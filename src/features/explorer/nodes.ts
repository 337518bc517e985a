/** Tree nodes of the two views. Each node knows how it looks; loading lives in the providers. */
import * as vscode from 'vscode';
import type { Repository } from '../../aws/ecr';
import type { Cluster, Service } from '../../aws/ecs';
import type { DescribedError } from '../../core/awsErrors';

export interface RepositoryNode {
  kind: 'repository';
  repository: Repository;
}
export interface ClusterNode {
  kind: 'cluster';
  cluster: Cluster;
}
export interface ServiceNode {
  kind: 'service';
  cluster: Cluster;
  service: Service;
}
/** Stands in for children that could not be listed, or for "nothing here": a tree never lies by being empty. */
export interface MessageNode {
  kind: 'message';
  label: string;
  detail?: string;
  error?: DescribedError;
}

export type ExplorerNode = RepositoryNode | ClusterNode | ServiceNode | MessageNode;

export function treeItemFor(node: ExplorerNode): vscode.TreeItem {
  switch (node.kind) {
    case 'repository': {
      const r = node.repository;
      const item = new vscode.TreeItem(r.repositoryName ?? '?', vscode.TreeItemCollapsibleState.None);
      item.id = `repository:${r.repositoryArn}`;
      item.contextValue = 'repository';
      item.iconPath = new vscode.ThemeIcon('package');
      item.description = r.imageScanningConfiguration?.scanOnPush ? 'scan on push' : undefined;
      item.tooltip = new vscode.MarkdownString(`**${r.repositoryName}**\n\n${r.repositoryUri}\n\nCreated ${r.createdAt?.toLocaleString() ?? 'unknown'}`);
      return item;
    }
    case 'cluster': {
      const c = node.cluster;
      const item = new vscode.TreeItem(c.clusterName ?? '?', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `cluster:${c.clusterArn}`;
      item.contextValue = 'cluster';
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.description = [c.activeServicesCount ? `${c.activeServicesCount} services` : undefined, c.status].filter(Boolean).join(' · ');
      item.tooltip = c.clusterArn;
      return item;
    }
    case 'service': {
      const s = node.service;
      const item = new vscode.TreeItem(s.serviceName ?? '?', vscode.TreeItemCollapsibleState.None);
      item.id = `service:${s.serviceArn}`;
      item.contextValue = 'service';
      item.iconPath = new vscode.ThemeIcon('symbol-event');
      item.description = `${s.runningCount ?? 0}/${s.desiredCount ?? 0} running · ${s.status ?? ''}`;
      item.tooltip = new vscode.MarkdownString(`**${s.serviceName}**\n\nTask definition: ${s.taskDefinition ?? 'unknown'}\n\n${s.serviceArn}`);
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.contextValue = node.error ? 'error' : 'message';
      item.description = node.detail;
      item.tooltip = node.error ? `${node.error.message}${node.error.code ? `\n\n(${node.error.code})` : ''}` : node.detail;
      item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
      if (node.error) item.command = { title: 'Show Error', command: 'ecrDeploy.showErrorDetails', arguments: [node.error] };
      return item;
    }
  }
}
