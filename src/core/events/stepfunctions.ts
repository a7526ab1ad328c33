import { eventSchema } from './schemaParts';
import type { SampleEventDefinition } from './types';

// A Step Functions Task state invokes the function with its state input (the default Payload is
// "$"), so the event is whatever JSON the state machine carries at that point.

export const stepFunctions: SampleEventDefinition = {
  type: 'stepfunctions',
  label: 'Step Functions task input',
  description: 'The state input a Step Functions Task state passes to the function.',
  defaultName: 'task-input',
  params: ['input'],
  build(p) {
    return (
      p.input ?? {
        orderId: 'order-1001',
        customerId: 'customer-42',
        items: [
          { sku: 'SKU-1', quantity: 2, price: 9.5 },
          { sku: 'SKU-2', quantity: 1, price: 24 },
        ],
      }
    );
  },
  schema: eventSchema('stepfunctions', 'Step Functions task input', {
    description: 'Any JSON value: the state input the Task state passes as the payload.',
    type: ['object', 'array', 'string', 'number', 'boolean', 'null'],
  }),
};
