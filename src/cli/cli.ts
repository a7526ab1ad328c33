import { describeError } from '../core/errors';
import { VERSION } from '../core/version';
import { BENCH_USAGE, benchCommand } from './commands/bench';
import { BUILD_USAGE, buildCommand } from './commands/build';
import { DEPLOY_USAGE, deployCommand } from './commands/deploy';
import { DOCTOR_USAGE, doctorCommand } from './commands/doctor';
import { functionsCommand } from './commands/functions';
import { INVOKE_USAGE, invokeCommand } from './commands/invoke';
import { LAYERS_USAGE, layersCommand } from './commands/layers';
import { NEW_USAGE, newCommand } from './commands/new';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { PACKAGE_USAGE, packageCommand } from './commands/package';
import { SIZE_USAGE, sizeCommand } from './commands/size';
import { type Io, UsageError } from './io';

const USAGE = `Usage: lambda-workbench <command> [options]

Commands:
  functions              list the functions and layers in your SAM templates
  new                    scaffold a new function into a template
  build [ID...]          build functions the way Lambda runs them (skips what is up to date)
  size [ID...]           exact package sizes against Lambda's limits (exit 1 if any is over)
  package ID --out F     write the exact deployment zip
  invoke ID              run a function once in a local container
  bench ID --event F     local power tuning: cold/warm latency, memory and cost
  serve                  serve the templates' HTTP routes, function URLs and load balancer
                         targets on 127.0.0.1 (ROUTE lines, then READY; Ctrl-C stops)
  deploy [ID...]         deploy zip or image packages with their layers
  layers list|publish|prune
                         manage layer versions
  doctor                 check what the product can reach: Docker and AWS credentials

Common options:
  --template PATH        a SAM template (repeatable; default: discover under --root)
  --root DIR             where to discover templates (default: the current directory)
  --json                 machine-readable output on stdout
  --help, --version

Run 'lambda-workbench <command> --help' for a command's own options.`;

const FUNCTIONS_USAGE = `Usage: lambda-workbench functions [--root DIR] [--template PATH]... [--json]

Lists the functions and layers in your SAM templates. Exits 1 if any template has errors.`;

/** Every command: how to run it and its own usage text. */
const COMMANDS: Record<string, { run: (args: string[], io: Io) => Promise<number>; usage: string }> = {
  functions: { run: functionsCommand, usage: FUNCTIONS_USAGE },
  new: { run: newCommand, usage: NEW_USAGE },
  build: { run: buildCommand, usage: BUILD_USAGE },
  size: { run: sizeCommand, usage: SIZE_USAGE },
  package: { run: packageCommand, usage: PACKAGE_USAGE },
  invoke: { run: invokeCommand, usage: INVOKE_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  deploy: { run: deployCommand, usage: DEPLOY_USAGE },
  layers: { run: layersCommand, usage: LAYERS_USAGE },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
};

/** Runs one CLI call and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`lambda-workbench: ${err.message}\nRun 'lambda-workbench --help' for usage.`);
      return 2;
    }
    io.err(`lambda-workbench: ${describeError(err)}`);
    return 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(USAGE);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(VERSION);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw new UsageError(`unknown command '${first}'`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  return command.run(rest, io);
}
