import { account, isoSeconds, region, uuidFrom } from './common';
import { arn, constant, eventSchema, list, obj, str } from './schemaParts';
import type { SampleEventDefinition } from './types';

// Amazon EventBridge: an event matched by a rule, and the event a schedule rule sends.

const ENVELOPE = {
  version: str(),
  id: str(),
  'detail-type': str(),
  source: str(),
  account: str(),
  time: str(),
  region: str(),
  resources: list(str()),
};

export const eventBridge: SampleEventDefinition = {
  type: 'eventbridge',
  label: 'Amazon EventBridge event',
  description: 'An event a rule on an event bus delivers to its target.',
  defaultName: 'event',
  params: ['source', 'detailType', 'detail', 'region', 'accountId'],
  build(p) {
    const source = p.source ?? 'com.example.app';
    const detailType = p.detailType ?? 'ItemCreated';
    return {
      version: '0',
      id: uuidFrom(`eventbridge ${source} ${detailType}`),
      'detail-type': detailType,
      source,
      account: account(p),
      time: isoSeconds(),
      region: region(p),
      resources: [],
      detail: p.detail ?? { itemId: 'item-1', quantity: 2 },
    };
  },
  schema: eventSchema('eventbridge', 'Amazon EventBridge event', obj({ ...ENVELOPE, detail: { type: 'object' } })),
};

export const schedule: SampleEventDefinition = {
  type: 'schedule',
  label: 'Scheduled event',
  description: 'The event an EventBridge schedule rule (rate or cron) sends.',
  defaultName: 'scheduled',
  params: ['ruleName', 'region', 'accountId'],
  build(p) {
    const rule = p.ruleName ?? 'example-schedule';
    return {
      version: '0',
      id: uuidFrom(`schedule ${rule}`),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: account(p),
      time: isoSeconds(),
      region: region(p),
      resources: [`arn:aws:events:${region(p)}:${account(p)}:rule/${rule}`],
      detail: {},
    };
  },
  schema: eventSchema(
    'schedule',
    'EventBridge scheduled event',
    obj({
      ...ENVELOPE,
      'detail-type': constant('Scheduled Event'),
      source: constant('aws.events'),
      resources: list(arn('events'), 1),
      detail: { type: 'object' },
    }),
  ),
};
