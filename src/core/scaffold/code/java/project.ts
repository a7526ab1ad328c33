import { javaPackageFor, packageNameFor } from '../../names';
import type { ResolvedFunction } from '../../request';
import type { CodeContext, CodeFile, CodeFolder, HandlerSource } from '../types';
import { writeHandler } from '../writers';
import { javaSqs, javaStream } from './batches';
import { javaNotification } from './notifications';
import { sampleFile } from './syntax';
import { javaWeb } from './web';

// A Java function folder: a Maven project whose handler class implements RequestHandler with the
// event types of aws-lambda-java-events, a JUnit 5 test, and a pom.xml that builds what SAM's Maven
// builder packs (the classes, and the runtime dependencies' jars in lib/).

/**
 * The dependencies every generated function declares (test/fixtures/build/java-scaffold keeps the
 * same, so setup fetches them ahead). Jackson writes the JSON the handlers return and log;
 * aws-lambda-java-serialization is what the Java runtime reads events with, so the tests read
 * the sample event the same way.
 */
export const JAVA_POM_DEPENDENCIES = `  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>aws-lambda-java-core</artifactId>
      <version>1.4.0</version>
    </dependency>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>aws-lambda-java-events</artifactId>
      <version>3.16.1</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>2.21.8</version>
    </dependency>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>aws-lambda-java-serialization</artifactId>
      <version>1.4.1</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.14.4</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
`;

/**
 * Every plugin the build runs, pinned: Maven's own defaults differ between Maven versions (and
 * older ones run no JUnit 5 tests), so the project builds the same with any Maven 3.
 */
export const JAVA_POM_BUILD = `  <build>
    <plugins>
      <plugin><artifactId>maven-clean-plugin</artifactId><version>3.5.0</version></plugin>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.5</version></plugin>
      <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
      <plugin><artifactId>maven-install-plugin</artifactId><version>3.1.4</version></plugin>
      <!-- sam build copies the runtime dependencies with it into lib/. -->
      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.9.0</version></plugin>
    </plugins>
  </build>
`;

/** The class every generated function's handler is: Handler, in a package named after the function. */
export function javaHandlerFor(name: string): string {
  return `${javaPackageFor(name)}.Handler::handleRequest`;
}

export function javaHandler(ctx: CodeContext): HandlerSource {
  return writeHandler(ctx, { web: javaWeb, sqs: javaSqs, stream: javaStream, notification: javaNotification });
}

export function javaFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  const code = javaHandler(ctx);
  const pkg = javaPackageFor(fn.name);
  const files: CodeFile[] = [
    { path: `src/main/java/${pkg}/Handler.java`, content: code.handler },
    { path: `src/test/java/${pkg}/HandlerTest.java`, content: code.test },
    { path: `src/test/resources/${sampleFile(ctx)}`, content: ctx.sampleEvent },
    { path: 'pom.xml', content: pom(fn, pkg) },
    { path: '.gitignore', content: 'target/\n' },
  ];
  if (fn.packageType === 'Image') {
    files.push({ path: 'Dockerfile', content: dockerfile(fn, pkg) });
    files.push({ path: '.dockerignore', content: 'target/\n' });
  }
  return {
    files,
    handlerFile: files[0].path,
    testFile: files[1].path,
    testDir: '',
    test: { command: 'mvn', args: ['--batch-mode', 'test'], needsInstall: true },
  };
}

function pom(fn: ResolvedFunction, pkg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${pkg}</groupId>
  <artifactId>${packageNameFor(fn.name)}</artifactId>
  <version>1.0.0</version>
  <packaging>jar</packaging>

  <properties>
    <!-- The ${fn.runtime.id} runtime's Java: compiling for it needs a JDK ${fn.runtime.javaRelease} or later. -->
    <maven.compiler.release>${fn.runtime.javaRelease}</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>

${JAVA_POM_DEPENDENCIES}
${JAVA_POM_BUILD}</project>
`;
}

function dockerfile(fn: ResolvedFunction, pkg: string): string {
  const release = fn.runtime.javaRelease;
  return `# Builds the function with Maven on AWS's Java ${release} build image, laid out as sam build lays it
# out (the classes, and the runtime dependencies' jars in lib/), then puts it on the Lambda base image.
FROM public.ecr.aws/sam/build-${fn.runtime.id} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN mvn --batch-mode package && mvn --batch-mode dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM ${fn.runtime.baseImage}
COPY --from=build /src/target/classes \${LAMBDA_TASK_ROOT}/
COPY --from=build /src/target/lib \${LAMBDA_TASK_ROOT}/lib/
# The base image's entrypoint starts the Java runtime with this handler: class ${pkg}.Handler, method handleRequest.
CMD ["${pkg}.Handler::handleRequest"]
`;
}
