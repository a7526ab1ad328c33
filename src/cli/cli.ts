import { VERSION } from '../core/version';
import { functionsCommand } from './commands/functions';
import { type Io, UsageError } from './io';

const USAGE = `Usage: lambda-workbench <command> [options]

Commands:
  functions              list the functions and layers in your SAM templates
  new                    scaffold a new function into a template
  size [ID...]           exact package sizes against Lambda's limits (exit 1 if any is over)
  package ID --out F     write the exact deployment zip
  invoke ID              run a function once in a local container
  bench ID --event F     local power tuning: cold/warm latency, memory and cost
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

const COMMANDS = ['functions', 'new', 'size', 'package', 'invoke', 'bench', 'deploy', 'layers', 'doctor'] as const;
type Command = (typeof COMMANDS)[number];

/** Runs one CLI call and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`lambda-workbench: ${err.message}\nRun 'lambda-workbench --help' for usage.`);
      return 2;
    }
    io.err(`lambda-workbench: ${err instanceof Error ? err.message : String(err)}`);
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
  if (!isCommand(first)) throw new UsageError(`unknown command '${first}'`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  if (first === 'functions') return functionsCommand(rest, io);
  io.err(`lambda-workbench: '${first}' is not available yet in version ${VERSION}.`);
  return 1;
}

function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}
