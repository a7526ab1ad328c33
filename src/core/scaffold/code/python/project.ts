import type { ResolvedFunction } from '../../request';
import { runtimeDockerfile } from '../dockerfile';
import type { CodeContext, CodeFile, CodeFolder, HandlerSource } from '../types';
import { pythonSqs, pythonStream } from './batches';
import { pythonNotification } from './notifications';
import { pythonWeb } from './web';

// A Python function folder: app.py, its unittest tests (standard library only, so they run with
// no install), and requirements.txt for SAM's pip build.

export function pythonHandler(ctx: CodeContext): HandlerSource {
  switch (ctx.source) {
    case 'http-api':
    case 'function-url':
    case 'rest-api':
    case 'alb':
      return pythonWeb(ctx.source, ctx);
    case 'sqs':
      return pythonSqs(ctx);
    case 'dynamodb':
    case 'kinesis':
      return pythonStream(ctx.source, ctx);
    case 'sns':
    case 's3':
    case 'eventbridge':
    case 'schedule':
      return pythonNotification(ctx.source, ctx);
  }
}

export function pythonFolder(fn: ResolvedFunction, ctx: CodeContext): CodeFolder {
  const code = pythonHandler(ctx);
  const files: CodeFile[] = [
    { path: 'app.py', content: code.handler },
    { path: 'requirements.txt', content: '# Packages the function imports, one per line. boto3 is already part of the Lambda runtime.\n' },
    { path: 'tests/__init__.py', content: '' },
    { path: 'tests/test_app.py', content: code.test },
    { path: '.gitignore', content: '__pycache__/\n' },
  ];
  if (fn.packageType === 'Image') {
    files.push({ path: 'Dockerfile', content: dockerfile(fn) });
    files.push({ path: '.dockerignore', content: 'tests\n__pycache__\n' });
  }
  return {
    files,
    handlerFile: 'app.py',
    testFile: 'tests/test_app.py',
    testDir: 'tests',
    test: { command: 'python3', args: ['-m', 'unittest'], needsInstall: false },
  };
}

function dockerfile(fn: ResolvedFunction): string {
  return runtimeDockerfile({ family: 'python', baseImage: fn.runtime.baseImage, handler: 'app.lambda_handler', handlerMeans: 'app.py, lambda_handler', manifest: 'requirements.txt', code: ['app.py'] });
}
