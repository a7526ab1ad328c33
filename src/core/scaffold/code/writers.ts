import type { CodeContext, HandlerSource } from './types';

/** A language's handler writers, one per kind of event source. */
export interface HandlerWriters {
  web(source: 'http-api' | 'function-url' | 'rest-api' | 'alb', ctx: CodeContext): HandlerSource;
  sqs(ctx: CodeContext): HandlerSource;
  stream(source: 'dynamodb' | 'kinesis', ctx: CodeContext): HandlerSource;
  notification(source: 'sns' | 's3' | 'eventbridge' | 'schedule', ctx: CodeContext): HandlerSource;
}

/** The handler and test for the context's event source, from the writer of its kind. */
export function writeHandler(ctx: CodeContext, w: HandlerWriters): HandlerSource {
  switch (ctx.source) {
    case 'http-api':
    case 'function-url':
    case 'rest-api':
    case 'alb':
      return w.web(ctx.source, ctx);
    case 'sqs':
      return w.sqs(ctx);
    case 'dynamodb':
    case 'kinesis':
      return w.stream(ctx.source, ctx);
    case 'sns':
    case 's3':
    case 'eventbridge':
    case 'schedule':
      return w.notification(ctx.source, ctx);
  }
}
