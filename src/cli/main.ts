import { runCli } from './cli';
import { processIo } from './io';

// The CLI ships its own pinned AWS SDK: the SDK's notice about future Node.js support is not
// something its users can act on here, and it would clutter stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
