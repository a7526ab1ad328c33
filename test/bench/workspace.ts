/** A generated workspace of 50 templates / 500 functions, shaped like a monorepo, for the benchmarks. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const TEMPLATES = 50;
export const FUNCTIONS_PER_TEMPLATE = 10;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A template shaped like real projects: Globals, comments, layers by !Ref and ARN, events, intrinsics. */
function templateText(t: number): string {
  const fns: string[] = [];
  for (let f = 0; f < FUNCTIONS_PER_TEMPLATE; f++) {
    const python = f % 2 === 1;
    fns.push(`  # Function ${f} of service ${t}
  Fn${f}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '\${AWS::StackName}-fn-${f}'
      CodeUri: functions/fn${f}/
      Handler: ${python ? 'app.lambda_handler' : 'app.handler'}
      Runtime: ${python ? 'python3.13' : 'nodejs22.x'}
      MemorySize: ${128 * (1 + (f % 4))}
      Layers:
        - !Ref SharedLayer
        - arn:aws:lambda:us-east-1:123456789012:layer:vendor:${f + 1}
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !GetAtt [Queue, QueueUrl]
          MODE: !If [IsProd, live, test]
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /s${t}/f${f}/{id}
            Method: get
        Messages:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            BatchSize: 10
`);
  }
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Generated service ${t}

Parameters:
  Stage:
    Type: String
    Default: dev

Conditions:
  IsProd: !Equals [!Ref Stage, prod]

Globals:
  Function:
    Timeout: 10
    Architectures: [arm64]
    Environment:
      Variables:
        STAGE: !Ref Stage

Resources:
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared/
      CompatibleRuntimes: [nodejs22.x, python3.13]

  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]

  Queue:
    Type: AWS::SQS::Queue

${fns.join('\n')}`;
}

export function generate(root: string): void {
  for (let t = 0; t < TEMPLATES; t++) {
    // Nested the way monorepos are: services/<group>/<service>.
    const dir = join(root, 'services', `group${t % 5}`, `service${t}`);
    write(join(dir, 'template.yaml'), templateText(t));
    write(join(dir, 'layers', 'shared', 'nodejs', 'package.json'), '{"name":"shared","version":"1.0.0"}\n');
    for (let f = 0; f < FUNCTIONS_PER_TEMPLATE; f++) {
      const fnDir = join(dir, 'functions', `fn${f}`);
      if (f % 2 === 1) write(join(fnDir, 'app.py'), 'import json\n\n\ndef lambda_handler(event, context):\n    return {"statusCode": 200, "body": json.dumps(event)}\n');
      else write(join(fnDir, 'app.mjs'), "import { randomUUID } from 'node:crypto';\n\nexport const handler = async (event) => ({ statusCode: 200, body: randomUUID() });\n");
      write(join(fnDir, 'README.md'), `Function ${f}\n`);
    }
    // What discovery must not descend into: dependencies and SAM's build output.
    for (let p = 0; p < 20; p++) write(join(dir, 'node_modules', `pkg${p}`, 'lib', 'index.js'), 'module.exports = {};\n');
    write(join(dir, '.aws-sam', 'build', 'template.yaml'), 'Resources: {}\n');
  }
}
