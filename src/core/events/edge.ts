import { hexFrom, queryString } from './common';
import { eventSchema, list, matching, obj, oneOfStrings, str } from './schemaParts';
import type { SampleEventDefinition } from './types';

// Lambda@Edge: a CloudFront viewer request.

export const cloudFront: SampleEventDefinition = {
  type: 'cloudfront',
  label: 'CloudFront viewer request (Lambda@Edge)',
  description: 'A viewer request CloudFront passes to a Lambda@Edge function.',
  defaultName: 'viewer-request',
  params: ['method', 'path', 'headers', 'query'],
  build(p) {
    const host = 'd111111abcdef8.cloudfront.net';
    const headers: Record<string, { key: string; value: string }[]> = {
      host: [{ key: 'Host', value: host }],
      'user-agent': [{ key: 'User-Agent', value: 'curl/8.5.0' }],
      accept: [{ key: 'Accept', value: '*/*' }],
    };
    for (const [name, value] of Object.entries(p.headers ?? {})) headers[name.toLowerCase()] = [{ key: name, value }];
    return {
      Records: [
        {
          cf: {
            config: {
              distributionDomainName: host,
              distributionId: 'EDFDVBD6EXAMPLE',
              eventType: 'viewer-request',
              requestId: Buffer.from(hexFrom('cloudfront request', 42), 'hex').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
            },
            request: {
              clientIp: '203.0.113.178',
              headers,
              method: (p.method ?? 'GET').toUpperCase(),
              querystring: queryString(p.query),
              uri: p.path ?? '/index.html',
            },
          },
        },
      ],
    };
  },
  schema: eventSchema(
    'cloudfront',
    'CloudFront Lambda@Edge request event',
    obj({
      Records: list(
        obj({
          cf: obj({
            config: obj({
              distributionDomainName: str(),
              distributionId: str(),
              eventType: oneOfStrings('viewer-request', 'origin-request', 'viewer-response', 'origin-response'),
              requestId: str(),
            }),
            request: obj({
              clientIp: str(),
              headers: { type: 'object', additionalProperties: list(obj({ key: str(), value: str() }, ['key'])) },
              method: str(),
              querystring: str(),
              uri: matching('^/'),
            }),
          }),
        }),
        1,
      ),
    }),
  ),
};
