import * as vscode from 'vscode';
import type { AwsSession, DeployContext, DeployOptions } from '../../core/deploy';
import type { SizeEngine } from '../../core/size';
import type { CoreServices } from '../core';

/**
 * What deploys and the Cloud view use of the core: the AWS session for the current profile,
 * region and endpoint settings, and the size engine deploys share with size checks (its cache
 * makes an unchanged redeploy cheap). Both are made on first use, so activation loads neither the
 * AWS SDK nor the engine.
 */
export class AwsServices implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The profile, region or endpoint changed: views showing AWS state should reload. */
  readonly onDidChangeSession = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly services: CoreServices) {
    this.sub = services.onDidApplySettings((r) => r.aws && this.changed.fire());
  }

  getSession(): Promise<AwsSession> {
    return this.services.core.session();
  }

  sizeEngine(): Promise<SizeEngine> {
    return this.services.core.sizeEngine();
  }

  /** A deploy's context (session, packager, image engine), opened the way the CLI opens it. */
  deployContext(options: DeployOptions): Promise<DeployContext> {
    return this.services.core.deployContext(options);
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
