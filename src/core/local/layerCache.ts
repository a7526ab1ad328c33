import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import { extractZipSafely } from '../archive/extract';

/**
 * Fetches a published layer version's zip. Resolves with a path to the zip on disk or its
 * bytes. The extension and the CLI pass one built on Lambda's GetLayerVersionByArn.
 */
export type LayerDownloader = (arn: string, token?: CancellationTokenLike) => Promise<string | Buffer>;

/**
 * Remote layers (ARNs), each downloaded once and unpacked under `dir`. A layer version never
 * changes once published, so the ARN is the cache key; a marker file next to the folder (not in
 * it: the folder is mounted at /opt as it is) says the unpacking finished.
 */
export class LayerCache {
  private readonly inProgress = new Map<string, Promise<string>>();

  constructor(
    readonly dir: string,
    private readonly downloader?: LayerDownloader,
    /** Where a person chooses the AWS profile, for messages. */
    private readonly profileSource = CLI_SOURCES.profile,
  ) {}

  /** The folder holding the layer's content (what Lambda puts in /opt). */
  folderFor(arn: string, token?: CancellationTokenLike): Promise<string> {
    const folder = join(this.dir, createHash('sha256').update(arn).digest('hex').slice(0, 32));
    if (existsSync(`${folder}.complete`)) return Promise.resolve(folder);
    let pending = this.inProgress.get(arn);
    if (!pending) {
      pending = this.fetch(arn, folder, token).finally(() => this.inProgress.delete(arn));
      this.inProgress.set(arn, pending);
    }
    return pending;
  }

  private async fetch(arn: string, folder: string, token?: CancellationTokenLike): Promise<string> {
    if (!this.downloader) {
      throw new UserError(
        `The layer ${arn} is published in AWS and is not in the local cache.`,
        `Local runs download it with your AWS credentials: choose an AWS profile (${this.profileSource}), or replace it with a layer folder from the template.`,
        'layer-no-downloader',
      );
    }
    mkdirSync(this.dir, { recursive: true });
    const work = mkdtempSync(join(this.dir, '.download-'));
    try {
      let zip: string | Buffer;
      try {
        zip = await this.downloader(arn, token);
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`Downloading the layer ${arn} failed: ${(err as Error).message}`, 'Check your AWS credentials, region and that the layer version exists.', 'layer-download');
      }
      throwIfCancelled(token, `downloading ${arn}`);
      let zipPath: string;
      if (typeof zip === 'string') {
        zipPath = zip;
      } else {
        zipPath = join(work, 'layer.zip');
        writeFileSync(zipPath, zip);
      }
      const content = join(work, 'content');
      await extractZipSafely(zipPath, content, { what: `the layer ${arn}` });
      const marker = `${folder}.complete`;
      if (existsSync(marker)) return folder;
      // A folder without its marker is what an interrupted run left.
      rmSync(folder, { recursive: true, force: true });
      try {
        renameSync(content, folder);
      } catch (err) {
        // Another process finished the same layer first: theirs is as good as ours.
        if (existsSync(marker)) return folder;
        throw err;
      }
      writeFileSync(marker, arn);
      return folder;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
