import { crateNameFor } from '../../names';
import type { ResolvedFunction } from '../../request';
import type { CodeContext, CodeFolder, HandlerSource } from '../types';
import { writeHandler } from '../writers';
import { rustSqs, rustStream } from './batches';
import { rustNotification } from './notifications';
import { rustWeb } from './web';

// A Rust function folder for the provided.al2023 runtime: a Cargo package whose binary becomes
// the `bootstrap`, built by SAM's rust-cargolambda build method (zip) or by a multi-stage
// Dockerfile on Amazon Linux 2023 (image). lambda_runtime serves the Runtime API loop;
// aws_lambda_events has the event types.

/** The dependencies every generated function has (test/fixtures/build/rust-scaffold keeps the same). */
export const RUST_DEPENDENCIES = `aws_lambda_events = "1"
lambda_runtime = "1"
percent-encoding = "2"
serde_json = "1"
tokio = { version = "1", features = ["macros"] }
`;

export function rustHandler(ctx: CodeContext): HandlerSource {
  return writeHandler(ctx, { web: rustWeb, sqs: rustSqs, stream: rustStream, notification: rustNotification });
}

export function rustFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  const code = rustHandler(ctx);
  const crate = crateNameFor(fn.name);
  const files = [
    { path: 'src/main.rs', content: code.handler },
    { path: 'src/tests.rs', content: code.test },
    { path: 'Cargo.toml', content: `[package]\nname = "${crate}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${RUST_DEPENDENCIES}` },
    { path: '.gitignore', content: 'target/\n' },
  ];
  if (fn.packageType === 'Image') {
    files.push({ path: 'Dockerfile', content: dockerfile(fn, crate) });
    files.push({ path: '.dockerignore', content: 'target/\n' });
  }
  return {
    files,
    handlerFile: 'src/main.rs',
    testFile: 'src/tests.rs',
    testDir: 'src',
    test: { command: 'cargo', args: ['test'], needsInstall: true },
  };
}

function dockerfile(fn: ResolvedFunction, crate: string): string {
  return `# Builds the bootstrap binary on Amazon Linux 2023 itself, so it links against the glibc the
# runtime has, then puts it on the OS-only Lambda base image.
FROM public.ecr.aws/amazonlinux/amazonlinux:2023 AS build
RUN dnf install -y gcc && curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
WORKDIR /src
COPY Cargo.toml ./
COPY src ./src
RUN /root/.cargo/bin/cargo build --release && cp target/release/${crate} /bootstrap

FROM ${fn.runtime.baseImage}
COPY --from=build /bootstrap ./bootstrap
# provided.al2023 images run the function's own binary, which serves the Lambda Runtime API loop.
ENTRYPOINT ["./bootstrap"]
`;
}
