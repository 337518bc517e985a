/**
 * Repositories: the registry, its repositories (a page of 1,000 at a time), and under each
 * repository its lifecycle policy and its images, newest push first, a page at a time, with an
 * optional tag filter. Pages read are kept until a refresh, so "Load more", a filter or a redraw
 * cost no call for what was already read.
 */
import * as vscode from 'vscode';
import type { ImageDetail, Repository } from '../../aws/ecr';
import { plural } from '../../core/text/format';
import { compareNewestFirst, imageSearchText } from '../../core/ecr/imageRow';
import { PagedListing } from '../../core/ecr/pagedListing';
import { withReadScan, type ReadScanLike } from '../../core/scan/summary';
import { repositoryFigures, type RepositoryFigures } from '../../core/ecr/repositoryFigures';
import type { AwsAccess } from '../../app/ports';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';
import { settings } from '../settings';
import { ExplorerProvider } from './explorerProvider';
import { keptNode, type ExplorerNode, type ImageNode, type LifecyclePolicyNode, type LoadMoreNode, type MessageNode, type RegistryNode, type RepositoryNode } from './nodes';
import { imageItem, lifecyclePolicyItem, loadMoreItem, registryItem, repositoryItem } from './treeItems';
import { abortSignalOf } from '../progress';

type Listing<T> = PagedListing<T>;

/** What the scan feature read, as the view asks for it (src/features/scan/scanDiagnostics.ts). */
export interface ScanReads {
  readScanOf(repositoryName: string, imageDigest: string | undefined): ReadScanLike | undefined;
  readonly onDidRead: vscode.Event<string>;
}

/**
 * Repositories whose first page of images is read as soon as their rows are listed, for the image count and
 * size on each row (expanding one then costs no call); rows beyond these count once expanded.
 */
const FIGURES_READ_AHEAD = 100;
/** DescribeImages calls in flight while reading ahead: a large registry is not read all at once. */
const FIGURES_CONCURRENCY = 4;

const byName = (a: Repository, b: Repository) => (a.repositoryName ?? '').localeCompare(b.repositoryName ?? '');

/** One entry per digest: an endpoint that lists an image once per tag must not show it twice. */
function mergeByDigest(images: ImageDetail[]): ImageDetail[] {
  const byDigest = new Map<string, ImageDetail>();
  for (const image of images) {
    const known = byDigest.get(image.imageDigest ?? '');
    if (!known) byDigest.set(image.imageDigest ?? '', image);
    else if (image.imageTags?.length) byDigest.set(image.imageDigest ?? '', { ...known, imageTags: [...new Set([...(known.imageTags ?? []), ...image.imageTags])] });
  }
  return [...byDigest.values()];
}

export class RepositoriesView extends ExplorerProvider {
  private repositories: Listing<Repository> | undefined;
  private registry: RegistryNode | undefined;
  private readonly images = new Map<string, Listing<ImageDetail>>();
  /** Lifecycle policy text by repository ARN; null: none; absent: not read yet. */
  private readonly lifecyclePolicies = new Map<string, string | null>();
  /** Tag filters by repository ARN; they survive refreshes. */
  private readonly filters = new Map<string, string>();
  /** Repository nodes by ARN as last given to VS Code, so a change by name finds the node to redraw. */
  private readonly repositoryNodes = new Map<string, RepositoryNode>();
  private readonly platforms = new Map<string, string[] | undefined>();
  /** The scans the extension read (Show Scan Findings, after a push): an image row shows them when DescribeImages does not. */
  private scanReads: ScanReads | undefined;

  constructor(session: AwsSession, log: Log) {
    super(session, log);
  }

  /** Image rows show the scans `reads` holds, and are redrawn (from memory, no AWS call) when it reads one. */
  showScanReads(reads: ScanReads): vscode.Disposable {
    this.scanReads = reads;
    return reads.onDidRead((repositoryName) => {
      const node = this.repositoryNode(repositoryName);
      if (node) this.redrawChildren(node);
    });
  }

  private pageSize(): number {
    return settings.explorerPageSize();
  }

  protected async load(node: ExplorerNode | undefined, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    if (!node) return [await this.loadRegistry(access, signal)];
    if (node.kind === 'registry') return this.repositoryRows(node, access, signal);
    if (node.kind === 'repository') return this.repositoryChildren(node, access, signal);
    return [];
  }

  private repositoryListing(access: AwsAccess): Listing<Repository> {
    this.repositories ??= new PagedListing((nextToken, signal) => access.edge.ecr.listRepositoriesPage(access.clients.ecr, { nextToken, signal }), {
      pageSize: this.pageSize(),
      compare: byName,
      searchText: (r) => r.repositoryName ?? '',
    });
    return this.repositories;
  }

  /** The root row. Reading the first page of repositories here tells the account without another call. */
  private async loadRegistry(access: AwsAccess, signal: AbortSignal): Promise<RegistryNode> {
    const listing = this.repositoryListing(access);
    if (!listing.hasStarted) await listing.loadMore(signal);
    const registryId = listing.visible()[0]?.registryId ?? (await access.edge.ecr.registryId(access.clients.ecr, { signal }));
    this.registry = { kind: 'registry', registryId, region: this.session.connection.region ?? '' };
    return this.registry;
  }

  private async repositoryRows(registry: RegistryNode, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    const listing = this.repositoryListing(access);
    if (!listing.hasStarted) {
      // Only when reading them with the registry row failed: the row counts the repositories, so redraw it too.
      await listing.loadMore(signal);
      this.redrawWhenSettled(registry);
    }
    const rows: ExplorerNode[] = listing
      .visible()
      .map((repository) => keptNode(this.repositoryNodes, repository.repositoryArn ?? '', { kind: 'repository', repository } satisfies RepositoryNode));
    if (listing.hasMore()) rows.push({ kind: 'loadMore', parent: registry, shown: rows.length } satisfies LoadMoreNode);
    void this.readFiguresAhead(rows.filter((r): r is RepositoryNode => r.kind === 'repository').slice(0, FIGURES_READ_AHEAD), access);
    return rows;
  }

  /** The first page of images of each row not read yet, a few at a time; each row is redrawn with its figures. */
  private async readFiguresAhead(nodes: RepositoryNode[], access: AwsAccess): Promise<void> {
    const signal = this.viewSignal;
    const queue = nodes.filter((node) => !this.imageListing(node.repository, access).hasStarted);
    const worker = async () => {
      for (let node = queue.shift(); node && !signal.aborted; node = queue.shift()) {
        try {
          await this.imageListing(node.repository, access).loadMore(signal);
          // The rows were just delivered to VS Code, and others may still be: redraw once the view is quiet.
          this.redrawWhenSettled(node);
        } catch (error) {
          // The row just has no figures; expanding it reads (and reports) again.
          if (!signal.aborted) this.log.debug(`Counting the images of ${node.repository.repositoryName}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: FIGURES_CONCURRENCY }, worker));
  }

  private imageListing(repository: Repository, access: AwsAccess): Listing<ImageDetail> {
    const key = repository.repositoryArn ?? '';
    let listing = this.images.get(key);
    if (!listing) {
      const name = repository.repositoryName ?? '';
      listing = new PagedListing((nextToken, signal) => access.edge.ecr.listImagesPage(access.clients.ecr, name, { nextToken, signal }), {
        pageSize: this.pageSize(),
        compare: compareNewestFirst,
        searchText: imageSearchText,
      });
      listing.setFilter(this.filters.get(key) ?? '');
      this.images.set(key, listing);
    }
    return listing;
  }

  private async repositoryChildren(node: RepositoryNode, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    const arn = node.repository.repositoryArn ?? '';
    const listing = this.imageListing(node.repository, access);
    const knewPolicy = this.lifecyclePolicies.has(arn);
    // The policy and the first page are read together: one round trip for the user.
    const firstPage = async () => {
      // The first page may be on its way already (read ahead for the row's figures): wait for it rather than show none.
      await listing.settled();
      if (!listing.hasStarted) await listing.loadMore(signal);
    };
    const [policy] = await Promise.all([
      knewPolicy ? this.lifecyclePolicies.get(arn) : access.edge.ecr.getLifecyclePolicy(access.clients.ecr, node.repository.repositoryName ?? '', { signal }),
      firstPage(),
    ]);
    if (!knewPolicy) {
      this.lifecyclePolicies.set(arn, policy ?? null);
      // The repository's own row shows the policy state: redraw it once its children are in place.
      this.redrawWhenSettled(node);
    }
    const rows: ExplorerNode[] = [{ kind: 'lifecyclePolicy', repository: node.repository } satisfies LifecyclePolicyNode];
    const images = mergeByDigest(listing.visible());
    rows.push(...images.map((image): ImageNode => ({ kind: 'image', repository: node.repository, image })));
    if (listing.hasMore()) rows.push({ kind: 'loadMore', parent: node, shown: images.length } satisfies LoadMoreNode);
    else if (!images.length) rows.push({ kind: 'message', label: listing.filter ? `No image tag contains "${listing.filter}"` : 'No images' } satisfies MessageNode);
    return rows;
  }

  protected treeItem(node: Exclude<ExplorerNode, MessageNode>): vscode.TreeItem {
    switch (node.kind) {
      case 'registry': {
        const listing = this.repositories;
        const shown = listing?.visible().length ?? 0;
        const more = listing?.hasMore() ?? false;
        const count = listing?.hasStarted ? (more ? `${shown.toLocaleString('en-US')}+ repositories` : plural(shown, 'repository', 'repositories')) : undefined;
        return registryItem(node, count);
      }
      case 'repository':
        return repositoryItem(node, this.repositoryState(node.repository));
      case 'lifecyclePolicy':
        return lifecyclePolicyItem(node, this.lifecyclePolicies.get(node.repository.repositoryArn ?? '') ?? null);
      case 'image':
        return imageItem(this.withScanRead(node), new Date(), this.platforms.get(node.image.imageDigest ?? ''));
      case 'loadMore':
        return loadMoreItem(node, node.parent.kind === 'registry' ? 'repositories' : 'images');
      default:
        return new vscode.TreeItem('?');
    }
  }

  /** On hover: a manifest list's platforms, read once. */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'image' || this.platforms.has(node.image.imageDigest ?? '')) return item;
    const cancel = abortSignalOf(token);
    try {
      const { edge, clients } = await this.session.access();
      const platforms = await edge.ecr.imagePlatforms(clients.ecr, node.repository.repositoryName ?? '', node.image, { signal: cancel.signal });
      this.platforms.set(node.image.imageDigest ?? '', platforms);
      return imageItem(this.withScanRead(node), new Date(), platforms);
    } catch {
      return item;
    } finally {
      cancel.dispose();
    }
  }

  private withScanRead(node: ImageNode): ImageNode {
    const read = this.scanReads?.readScanOf(node.repository.repositoryName ?? '', node.image.imageDigest);
    return read ? { ...node, image: withReadScan(node.image, read) } : node;
  }

  repositoryState(repository: Repository): { lifecyclePolicyText: string | null | undefined; filter: string; figures?: RepositoryFigures } {
    const arn = repository.repositoryArn ?? '';
    return { lifecyclePolicyText: this.lifecyclePolicies.get(arn), filter: this.filters.get(arn) ?? '', figures: this.figuresOf(arn) };
  }

  /** The image count and size of a repository from the images read so far (undefined before the first page). */
  private figuresOf(repositoryArn: string): RepositoryFigures | undefined {
    const listing = this.images.get(repositoryArn);
    if (!listing?.loadedCount && !listing?.isComplete) return undefined;
    return repositoryFigures(listing.loadedItems(), listing.isComplete);
  }

  protected emptyMessage(node: ExplorerNode | undefined): string {
    return node?.kind === 'registry' ? `No repositories in ${this.session.connection.region}` : 'Nothing here';
  }

  protected override emptyActions(node: ExplorerNode | undefined): MessageNode[] {
    if (node?.kind !== 'registry') return [];
    return [
      { kind: 'message', label: 'Create Repository...', action: { command: 'ecrDeploy.createRepository', icon: 'add' } },
      { kind: 'message', label: 'Choose Region...', action: { command: 'ecrDeploy.selectRegion', icon: 'globe' } },
    ];
  }

  protected failureLabel(node: ExplorerNode | undefined): string {
    if (node?.kind === 'repository') return 'Could not list images';
    return 'Could not list repositories';
  }

  protected override forget(node: ExplorerNode | undefined): void {
    if (!node || node.kind === 'registry') {
      this.repositories = undefined;
      this.images.clear();
      this.lifecyclePolicies.clear();
      this.platforms.clear();
      if (!node) this.registry = undefined;
      return;
    }
    if (node.kind === 'repository') {
      const arn = node.repository.repositoryArn ?? '';
      this.images.delete(arn);
      this.lifecyclePolicies.delete(arn);
    }
  }

  protected override async reread(node: ExplorerNode, access: AwsAccess, signal: AbortSignal): Promise<void> {
    if (node.kind === 'registry') {
      // The registry row counts the repositories: read them before the row is drawn again, so it needs no second
      // redraw later (which would briefly cost VS Code the handles of the repository rows below it).
      await this.repositoryListing(access).loadMore(signal);
      return;
    }
    if (node.kind !== 'repository') return;
    // The policy too: its state is on this row, and knowing it now spares the row a second redraw after its children load.
    const name = node.repository.repositoryName ?? '';
    const [fresh, policy] = await Promise.all([
      access.edge.ecr.describeRepository(access.clients.ecr, name, { signal }),
      access.edge.ecr.getLifecyclePolicy(access.clients.ecr, name, { signal }),
    ]);
    if (fresh) node.repository = fresh;
    this.lifecyclePolicies.set(node.repository.repositoryArn ?? '', policy ?? null);
  }

  /** Shows the next page under a registry or a repository: from memory when it holds more, else from ECR. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const access = await this.session.access();
    const listing = parent.kind === 'registry' ? this.repositoryListing(access) : this.imageListing(parent.repository, access);
    await vscode.window.withProgress({ location: { viewId: 'ecrDeploy.repositories' } }, () => listing.loadMore(this.viewSignal));
    this.redrawChildren(parent);
  }

  /** The tag filter of a repository ('' clears it). */
  filterOf(node: RepositoryNode): string {
    return this.filters.get(node.repository.repositoryArn ?? '') ?? '';
  }

  setFilter(node: RepositoryNode, text: string): void {
    const arn = node.repository.repositoryArn ?? '';
    if (text.trim()) this.filters.set(arn, text.trim());
    else this.filters.delete(arn);
    this.images.get(arn)?.setFilter(text);
    this.redrawChildren(node);
  }

  /** After the extension changed a repository's settings: the row shows the new state without a read. */
  updateRepository(node: RepositoryNode, change: Partial<Repository>): void {
    node.repository = { ...node.repository, ...change };
    this.redraw(node);
  }

  /** After the extension saved or deleted a lifecycle policy. */
  setLifecyclePolicy(repository: Repository, policyText: string | null): void {
    const arn = repository.repositoryArn ?? '';
    this.lifecyclePolicies.set(arn, policyText);
    const node = this.repositoryNodes.get(arn);
    if (node) this.redrawChildren(node);
  }

  knownLifecyclePolicy(repository: Repository): string | null | undefined {
    return this.lifecyclePolicies.get(repository.repositoryArn ?? '');
  }

  /** After the extension deleted images: they leave the list without a read. */
  removeImages(node: RepositoryNode | undefined, repository: Repository, digests: ReadonlySet<string>): void {
    this.images.get(repository.repositoryArn ?? '')?.remove((image) => digests.has(image.imageDigest ?? ''));
    const target = node ?? this.repositoryNodes.get(repository.repositoryArn ?? '');
    if (target) this.redrawChildren(target);
  }

  /** After the extension deleted a repository. */
  removeRepository(repository: Repository): void {
    this.repositories?.remove((r) => r.repositoryArn === repository.repositoryArn);
    this.repositoryNodes.delete(repository.repositoryArn ?? '');
    this.forget({ kind: 'repository', repository });
    if (this.registry) this.redrawChildren(this.registry);
  }

  /** After the extension created a repository (or pushed to one it may not list yet): list the registry again. */
  async refreshRegistry(): Promise<void> {
    await this.refresh(this.registry);
  }

  /** The repository row for a name, as VS Code shows it, for features that know only the name (e.g. after a push). */
  repositoryNode(repositoryName: string): RepositoryNode | undefined {
    return [...this.repositoryNodes.values()].find((n) => n.repository.repositoryName === repositoryName);
  }

  /** Reads one repository again by name (after a push); lists the registry again when the repository is not shown yet. */
  async refreshRepository(repositoryName: string): Promise<void> {
    const node = this.repositoryNode(repositoryName);
    await (node ? this.refresh(node) : this.refreshRegistry());
  }

  /** The repositories read so far (every page read), for pickers. */
  loadedRepositories(): Repository[] {
    return this.repositories?.visible() ?? [];
  }
}
