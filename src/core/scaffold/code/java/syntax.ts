import type { CodeContext } from '../types';

/** Java source helpers for generated functions (4-space indents, imports sorted as IDEs order them). */

/** `import` lines: static ones first, each group sorted and deduplicated. */
export function javaImports(names: string[]): string {
  const unique = [...new Set(names)].sort();
  const statics = unique.filter((n) => n.startsWith('static ')).map((n) => `import ${n};`);
  const plain = unique.filter((n) => !n.startsWith('static ')).map((n) => `import ${n};`);
  return [statics.join('\n'), plain.join('\n')].filter((g) => g !== '').join('\n\n');
}

/** A Java string literal (JSON's escapes are Java's for the characters these strings hold). */
export function javaString(value: string): string {
  return JSON.stringify(value);
}

/** Indents each non-empty line of a block by `spaces`. */
export function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

/** Imports every handler has: the Lambda interfaces and Jackson, which writes the JSON it returns or logs. */
export const HANDLER_IMPORTS = [
  'com.amazonaws.services.lambda.runtime.Context',
  'com.amazonaws.services.lambda.runtime.RequestHandler',
  'com.fasterxml.jackson.core.JsonProcessingException',
  'com.fasterxml.jackson.databind.ObjectMapper',
  'java.io.UncheckedIOException',
];

/** The mapper and the helper that turns a value (a record, a map) into JSON text. */
export const JSON_HELPER = `private static final ObjectMapper MAPPER = new ObjectMapper();

/** The value as JSON; the records and maps handed in always serialize. */
static String json(Object value) {
    try {
        return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
    }
}`;

/** A handler class: package, imports, its doc comment, and the body inside the class. */
export function handlerClass(pkg: string, imports: string[], doc: string, input: string, output: string, body: string): string {
  return `package ${pkg};

${javaImports([...HANDLER_IMPORTS, ...imports])}

${javadoc(doc, '')}
public class Handler implements RequestHandler<${input}, ${output}> {
${indent(JSON_HELPER, 4)}

${indent(body, 4)}
}
`;
}

/** A /** comment *\/ of one or more sentences, wrapped at about 100 columns. */
export function javadoc(text: string, pad: string): string {
  const width = 100 - pad.length - 3;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  if (lines.length === 1 && lines[0].length <= width - 4) return `${pad}/** ${lines[0]} */`;
  return [`${pad}/**`, ...lines.map((l) => `${pad} * ${l}`), `${pad} */`].join('\n');
}

/** Imports of every test: JUnit, the Lambda context types, and the runtime's own event reader. */
const TEST_IMPORTS = [
  'com.amazonaws.services.lambda.runtime.ClientContext',
  'com.amazonaws.services.lambda.runtime.CognitoIdentity',
  'com.amazonaws.services.lambda.runtime.Context',
  'com.amazonaws.services.lambda.runtime.LambdaLogger',
  'com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers',
  'com.fasterxml.jackson.databind.ObjectMapper',
  'java.io.IOException',
  'java.io.InputStream',
  'java.nio.charset.StandardCharsets',
  'java.util.ArrayList',
  'java.util.List',
  'java.util.Objects',
  'org.junit.jupiter.api.Test',
];

/** The name of the test resource holding a copy of the sample event: the saved file's own. */
export function sampleFile(ctx: CodeContext): string {
  return ctx.eventFromTest.slice(ctx.eventFromTest.lastIndexOf('/') + 1);
}

/**
 * A test class: the sample event read from the test resources as the Java runtime reads events,
 * and a Context whose logger keeps what the handler logs.
 */
export function testClass(pkg: string, imports: string[], input: string, ctx: CodeContext, body: string): string {
  const name = ctx.name;
  return `package ${pkg};

${javaImports([...TEST_IMPORTS, ...imports])}

class HandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

${javadoc(`A copy of ${ctx.eventFromTest}, the sample event local invokes use. The tests read it from their resources, so they pass where the code folder is built on its own too (a build copies it without the events folder).`, '    ')}
    private static final String SAMPLE = ${javaString(`/${sampleFile(ctx)}`)};

    /** The sample event, read as the Java runtime reads events (aws-lambda-java-serialization). */
    private static ${input} sample() throws IOException {
        try (InputStream in = Objects.requireNonNull(HandlerTest.class.getResourceAsStream(SAMPLE), SAMPLE)) {
            return LambdaEventSerializers.serializerFor(${input}.class, HandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

${indent(body, 4)}

    /** A Context as Lambda passes one, whose logger keeps the lines the handler logs. */
    private static final class TestContext implements Context {
        final List<String> lines = new ArrayList<>();

        @Override public String getAwsRequestId() { return "c6af9ac6-7b61-11e6-9a41-93e812345678"; }
        @Override public String getLogGroupName() { return ${javaString(`/aws/lambda/${name}`)}; }
        @Override public String getLogStreamName() { return "2026/01/01/[$LATEST]0123456789abcdef"; }
        @Override public String getFunctionName() { return ${javaString(name)}; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return ${javaString(`arn:aws:lambda:us-east-1:123456789012:function:${name}`)}; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 3000; }
        @Override public int getMemoryLimitInMB() { return 512; }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String line) { lines.add(line); }
                @Override public void log(byte[] line) { lines.add(new String(line, StandardCharsets.UTF_8)); }
            };
        }
    }
}
`;
}
