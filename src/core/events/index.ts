// The sample event catalog: what the New Sample Event command, the scaffolder and local invokes use.
export {
  buildSampleEvent,
  isSampleEventType,
  jsonValidationContributions,
  planSampleEvent,
  SAMPLE_EVENTS,
  sampleEventDefinition,
  sampleEventFileName,
  sampleEventsFolder,
  sampleEventTypeOfFile,
  sampleTypesForFunction,
  serializeSampleEvent,
  type JsonValidationContribution,
  type NewSampleEventInput,
} from './catalog';
export { validateJson, type JsonSchema, type SchemaViolation } from './jsonSchema';
export { decodeLogsData, encodeLogsData, type CloudWatchLogsData } from './logs';
export { sampleParamProblems } from './params';
export {
  COGNITO_TRIGGERS,
  SAMPLE_EVENT_TYPES,
  type CognitoTrigger,
  type SampleEventDefinition,
  type SampleEventType,
  type SampleParamName,
  type SampleParams,
} from './types';
