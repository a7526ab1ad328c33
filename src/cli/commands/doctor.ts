import { awsDoctor } from '../../core/deploy';
import { probeEngine } from '../../core/docker';
import { CLI_SOURCES, engineOptions, sessionOptions } from '../../core/open';
import { settingsFromFlags } from '../core';
import type { Io } from '../io';
import { parseOptions } from '../options';
import { AWS_OPTIONS } from './awsSetup';

export const DOCTOR_USAGE = `Usage: lambda-workbench doctor [--profile P] [--region R] [--endpoint-url URL] [--docker-host HOST] [--json]

Checks what the product can reach: the Docker engine (for local runs and image builds) and AWS
credentials (for deploys). Exits 1 when either is unreachable, saying why and what to do.`;

export async function doctorCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { common, values } = parseOptions(args, { ...AWS_OPTIONS, 'docker-host': { type: 'string' } }, { cwd });
  const settings = settingsFromFlags(values);
  const [docker, aws] = await Promise.all([probeEngine(engineOptions(settings, CLI_SOURCES)), awsDoctor(sessionOptions(settings, CLI_SOURCES))]);
  const ok = docker.ok && aws.ok;
  if (common.json) {
    io.out(
      JSON.stringify(
        {
          docker: { ok: docker.ok, endpoint: docker.endpoint, version: docker.version, error: docker.error && [docker.error, docker.hint].filter(Boolean).join(' ') },
          aws: { ok: aws.ok, profile: aws.profile, region: aws.region, account: aws.account, error: aws.error },
        },
        null,
        2,
      ),
    );
    return ok ? 0 : 1;
  }
  io.out(docker.ok ? `Docker   ok     ${docker.version} at ${docker.endpoint}` : `Docker   FAILED ${docker.error}${docker.hint ? `\n         ${docker.hint}` : ''}`);
  io.out(
    aws.ok
      ? `AWS      ok     account ${aws.account} (${aws.arn}), profile ${aws.profile ?? 'default chain'}, region ${aws.region}`
      : `AWS      FAILED ${aws.error}`,
  );
  return ok ? 0 : 1;
}
