import { goModuleFor } from '../../names';
import type { ResolvedFunction } from '../../request';
import type { CodeContext, CodeFolder, HandlerSource } from '../types';
import { writeHandler } from '../writers';
import { goSqs, goStream } from './batches';
import { goNotification } from './notifications';
import { goWeb } from './web';

// A Go function folder for the provided.al2023 runtime: a `bootstrap` binary built by SAM's go1.x
// build method (zip) or by a multi-stage Dockerfile (image).

export const AWS_LAMBDA_GO_VERSION = 'v1.47.0';

/**
 * Checksums of aws-lambda-go v1.47.0 and the modules its go.mod pulls into the build graph, so
 * `go build` and `go test` work without a `go mod tidy` first.
 */
const GO_SUM = `github.com/aws/aws-lambda-go v1.47.0 h1:0H8s0vumYx/YKs4sE7YM0ktwL2eWse+kfopsRI1sXVI=
github.com/aws/aws-lambda-go v1.47.0/go.mod h1:dpMpZgvWx5vuQJfBt0zqBha60q7Dd7RfgJv23DymV8A=
github.com/davecgh/go-spew v1.1.0/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
github.com/davecgh/go-spew v1.1.1 h1:vj9j/u1bqnvCEfJOwUhtlOARqs3+rkHYY13jYWTU97c=
github.com/davecgh/go-spew v1.1.1/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
github.com/pmezard/go-difflib v1.0.0 h1:4DBwDE0NGyQoBHbLQYPwSUPoCMWR5BEzIk/f1lZbAQM=
github.com/pmezard/go-difflib v1.0.0/go.mod h1:iKH77koFhYxTK1pcRnkKkqfTogsbg7gZNVY4sRDYZ/4=
github.com/stretchr/objx v0.1.0/go.mod h1:HFkY916IF+rwdDfMAkV7OtwuqBVzrE8GR6GFx+wExME=
github.com/stretchr/testify v1.7.2 h1:4jaiDzPyXQvSd7D0EjG45355tLlV3VOECpq10pLC+8s=
github.com/stretchr/testify v1.7.2/go.mod h1:R6va5+xMeoiuVRoj+gSkQ7d3FALtqAAGI1FQKckRals=
gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405/go.mod h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=
gopkg.in/yaml.v3 v3.0.1 h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=
gopkg.in/yaml.v3 v3.0.1/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM=
`;

export function goHandler(ctx: CodeContext): HandlerSource {
  return writeHandler(ctx, { web: goWeb, sqs: goSqs, stream: goStream, notification: goNotification });
}

export function goFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  const code = goHandler(ctx);
  const files = [
    { path: 'main.go', content: code.handler },
    { path: 'main_test.go', content: code.test },
    { path: 'go.mod', content: `module ${goModuleFor(fn.name)}\n\ngo 1.22\n\nrequire github.com/aws/aws-lambda-go ${AWS_LAMBDA_GO_VERSION}\n` },
    { path: 'go.sum', content: GO_SUM },
    { path: '.gitignore', content: 'bootstrap\n' },
  ];
  if (fn.packageType === 'Image') {
    files.push({ path: 'Dockerfile', content: dockerfile(fn) });
    files.push({ path: '.dockerignore', content: 'bootstrap\n*_test.go\n' });
  }
  return {
    files,
    handlerFile: 'main.go',
    testFile: 'main_test.go',
    testDir: '',
    test: { command: 'go', args: ['test', './...'], needsInstall: true },
  };
}

function dockerfile(fn: ResolvedFunction): string {
  return `# Builds the bootstrap binary with the Go toolchain (cross-compiling for the target platform),
# then puts it on the OS-only Lambda base image.
FROM --platform=$BUILDPLATFORM golang:1.24 AS build
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH go build -tags lambda.norpc -o bootstrap .

FROM ${fn.runtime.baseImage}
COPY --from=build /src/bootstrap ./bootstrap
# provided.al2023 images run the function's own binary, which serves the Lambda Runtime API loop.
ENTRYPOINT ["./bootstrap"]
`;
}
