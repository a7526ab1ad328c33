import type { SourceScaffold } from './types';

// EventBridge: a rule on the default bus matching the application's own events, and a schedule.

/** The source and detail-type the rule matches and the sample carries. */
export const EVENT_SOURCE = 'com.example.app';
export const EVENT_DETAIL_TYPE = 'ItemCreated';

export const eventBridge: SourceScaffold = {
  id: 'eventbridge',
  wiring: () => ({
    events: {
      RuleEvent: {
        Type: 'EventBridgeRule',
        Properties: { Pattern: { source: [EVENT_SOURCE], 'detail-type': [EVENT_DETAIL_TYPE] } },
      },
    },
    notes: [`The rule matches events with source ${EVENT_SOURCE} and detail-type ${EVENT_DETAIL_TYPE} on the default bus; change its Pattern to yours.`],
  }),
  sample: () => ({ name: 'event', params: { source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPE } }),
};

export const schedule: SourceScaffold = {
  id: 'schedule',
  wiring: ({ name }) => ({
    events: {
      ScheduleEvent: {
        Type: 'Schedule',
        Properties: { Schedule: 'rate(5 minutes)', Description: `Runs ${name} every 5 minutes` },
      },
    },
  }),
  sample: () => ({ name: 'scheduled', params: {} }),
};
