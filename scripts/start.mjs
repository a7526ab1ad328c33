// `npm start`: the product in a real VS Code on examples/. Builds and packages the extension,
// installs the VSIX into a private code-server (VS Code's server and web workbench), starts a
// Docker engine for local runs if none answers, and prints the loopback URL to open.
// Ctrl-C stops everything this started.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const { codeServerBin, startCodeServer, toolCache } = await import(join(root, 'out/test/support/codeServer.js'));
const { ensureDocker } = await import(join(root, 'out/test/support/services.js'));

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
run('npm', ['run', '--silent', 'package']);
const extensionsDir = join(toolCache(), 'start-extensions');
mkdirSync(extensionsDir, { recursive: true });
run(codeServerBin(), ['--extensions-dir', extensionsDir, '--install-extension', join(root, 'dist/lambda-workbench.vsix'), '--force']);

const docker = await ensureDocker((line) => console.log(`[start] ${line}`)).catch((err) => {
  console.log(`[start] local runs need a Docker engine: ${err.message}`);
  return undefined;
});
const port = Number(process.env.PORT ?? 0) || undefined;
const server = await startCodeServer({ port, extensionsDir });
const url = `${server.url}/?folder=${encodeURIComponent(join(root, 'examples'))}`;
console.log(`\nLambda Workbench is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl-C stops it.`);

const stop = async () => {
  await server.stop();
  await docker?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => {}, 1 << 30);
