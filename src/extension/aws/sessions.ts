import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsSession } from '../../core/deploy';
import type { SizeEngine } from '../../core/size';
import { onSettingsChanged, readSettings } from '../settings';
import type { Workbench } from '../workbench';

/**
 * The AWS session for the current profile/region/endpoint settings, and the size engine that
 * deploys and size checks share (its cache makes an unchanged redeploy cheap). Both are created on
 * first use, so activation loads neither the AWS SDK nor the engine.
 */
export class AwsServices implements vscode.Disposable {
  private session: Promise<AwsSession> | undefined;
  private engine: Promise<SizeEngine> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The profile, region or endpoint changed: views showing AWS state should reload. */
  readonly onDidChangeSession = this.changed.event;
  private readonly sub: vscode.Disposable;

  /** The AWS settings the current session was made for. */
  private awsSettings = JSON.stringify(readSettings().aws);

  constructor(private readonly wb: Workbench) {
    this.sub = onSettingsChanged(() => {
      const now = JSON.stringify(readSettings().aws);
      if (now === this.awsSettings) return;
      this.awsSettings = now;
      void this.dropSession();
      this.changed.fire();
    });
  }

  getSession(): Promise<AwsSession> {
    const s = readSettings().aws;
    this.session ??= import('../../core/deploy')
      .then(({ createAwsSession }) =>
        createAwsSession({
          ...(s.profile ? { profile: s.profile } : {}),
          ...(s.region ? { region: s.region } : {}),
          ...(s.endpointUrl ? { endpointUrl: s.endpointUrl } : {}),
        }),
      )
      .catch((err: unknown) => {
        this.session = undefined;
        throw err;
      });
    return this.session;
  }

  sizeEngine(): Promise<SizeEngine> {
    this.engine ??= import('../../core/size').then(({ SizeEngine }) => new SizeEngine({ cacheDir: path.join(this.wb.context.globalStorageUri.fsPath, 'size') }));
    return this.engine;
  }

  cacheDir(name: string): string {
    return path.join(this.wb.context.globalStorageUri.fsPath, name);
  }

  private async dropSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    (await s?.catch(() => undefined))?.destroy();
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
    void this.dropSession();
    void this.engine?.then((e) => e.dispose());
  }
}
