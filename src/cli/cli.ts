import { describeError } from '../core/errors';
import { VERSION } from '../core/version';
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

/** A command's module: how to run it and its own usage text. */
interface CommandModule {
  run: (args: string[], io: Io) => Promise<number>;
  usage: string;
}

/**
 * Every command, loaded only when it runs (or shows its --help): `--version`, `--help` and a
 * mistyped command never load the product's code, and one command never loads another's.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  functions: async () => {
    const m = await import('./commands/functions');
    return { run: m.functionsCommand, usage: m.FUNCTIONS_USAGE };
  },
  new: async () => {
    const m = await import('./commands/new');
    return { run: m.newCommand, usage: m.NEW_USAGE };
  },
  build: async () => {
    const m = await import('./commands/build');
    return { run: m.buildCommand, usage: m.BUILD_USAGE };
  },
  size: async () => {
    const m = await import('./commands/size');
    return { run: m.sizeCommand, usage: m.SIZE_USAGE };
  },
  package: async () => {
    const m = await import('./commands/package');
    return { run: m.packageCommand, usage: m.PACKAGE_USAGE };
  },
  invoke: async () => {
    const m = await import('./commands/invoke');
    return { run: m.invokeCommand, usage: m.INVOKE_USAGE };
  },
  bench: async () => {
    const m = await import('./commands/bench');
    return { run: m.benchCommand, usage: m.BENCH_USAGE };
  },
  serve: async () => {
    const m = await import('./commands/serve');
    return { run: m.serveCommand, usage: m.SERVE_USAGE };
  },
  deploy: async () => {
    const m = await import('./commands/deploy');
    return { run: m.deployCommand, usage: m.DEPLOY_USAGE };
  },
  layers: async () => {
    const m = await import('./commands/layers');
    return { run: m.layersCommand, usage: m.LAYERS_USAGE };
  },
  doctor: async () => {
    const m = await import('./commands/doctor');
    return { run: m.doctorCommand, usage: m.DOCTOR_USAGE };
  },
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
  const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!load) throw new UsageError(`unknown command '${first}'`);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  return command.run(rest, io);
}
