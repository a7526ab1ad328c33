import * as vscode from 'vscode';
import type { AwsDoctorResult } from '../../core/deploy';
import { sentences } from '../../core/errors';
import { EDITOR_SOURCES, engineOptions, sessionOptions } from '../../core/open/settings';
import { readSettings } from '../settings';
import type { Workbench } from '../workbench';

export interface DoctorReport {
  docker: { ok: boolean; endpoint: string | null; version: string | null; error: string | null; hint: string | null };
  aws: AwsDoctorResult;
}

/** Lambda: Check Docker and AWS Access — what local runs and deploys can reach, and what to do if not. */
export async function doctor(wb: Workbench): Promise<DoctorReport> {
  const s = readSettings();
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking Docker and AWS access' }, async () => {
    const [{ probeEngine }, { awsDoctor }] = await Promise.all([import('../../core/docker'), import('../../core/deploy')]);
    const [docker, aws] = await Promise.all([probeEngine(engineOptions(s, EDITOR_SOURCES)), awsDoctor(sessionOptions(s, EDITOR_SOURCES))]);
    return { docker, aws };
  });
  const dockerLine = report.docker.ok ? `Docker ${report.docker.version} at ${report.docker.endpoint}` : `Docker: ${report.docker.error} ${report.docker.hint ?? ''}`.trim();
  const awsLine = report.aws.ok ? `AWS account ${report.aws.account} in ${report.aws.region} (profile ${report.aws.profile ?? 'default chain'})` : `AWS: ${report.aws.error}`;
  wb.log.info(`doctor: ${dockerLine} | ${awsLine}`);
  const show = report.docker.ok && report.aws.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  // A missing region is fixed by choosing one; any other AWS problem by another profile.
  const action = report.aws.ok ? undefined : report.aws.region === null && /region/i.test(report.aws.error ?? '') ? 'Choose AWS Region' : 'Choose AWS Profile';
  void show(sentences(dockerLine, awsLine), ...(action ? [action] : [])).then((a) => a && vscode.commands.executeCommand(a === 'Choose AWS Region' ? 'lambdaWorkbench.chooseRegion' : 'lambdaWorkbench.chooseProfile'));
  return report;
}
