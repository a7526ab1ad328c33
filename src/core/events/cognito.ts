import { hexFrom, region, uuidFrom } from './common';
import type { JsonSchema } from './jsonSchema';
import { bool, eventSchema, matching, obj, oneOfStrings, str, STRING_MAP } from './schemaParts';
import { COGNITO_TRIGGERS, type CognitoTrigger, type SampleEventDefinition } from './types';

// Amazon Cognito user pool Lambda triggers: the shared envelope and the request/response of the
// sign-up and authentication triggers.

function requestAndResponse(trigger: CognitoTrigger, attributes: Record<string, string>): { request: unknown; response: unknown } {
  switch (trigger) {
    case 'PreSignUp_SignUp':
      return {
        request: { userAttributes: attributes, validationData: null },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      };
    case 'PostConfirmation_ConfirmSignUp':
      return { request: { userAttributes: attributes }, response: {} };
    case 'PreAuthentication_Authentication':
      return { request: { userAttributes: attributes, validationData: null, userNotFound: false }, response: {} };
    case 'PostAuthentication_Authentication':
      return { request: { userAttributes: attributes, newDeviceUsed: false }, response: {} };
  }
}

export const cognitoUserPool: SampleEventDefinition = {
  type: 'cognito-user-pool',
  label: 'Cognito user pool trigger',
  description: 'A user pool trigger (pre sign-up by default; also post confirmation, pre and post authentication).',
  defaultName: 'pre-sign-up',
  params: ['triggerSource', 'userPoolId', 'userName', 'region'],
  build(p) {
    const trigger = p.triggerSource ?? 'PreSignUp_SignUp';
    const userName = p.userName ?? 'jane.doe';
    const attributes: Record<string, string> = {
      sub: uuidFrom(`user ${userName}`),
      email: `${userName}@example.com`,
      email_verified: trigger === 'PreSignUp_SignUp' ? 'false' : 'true',
      'cognito:user_status': trigger === 'PreSignUp_SignUp' ? 'UNCONFIRMED' : 'CONFIRMED',
    };
    return {
      version: '1',
      region: region(p),
      userPoolId: p.userPoolId ?? `${region(p)}_${hexFrom('user pool', 9)}`,
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: hexFrom('app client', 26) },
      triggerSource: trigger,
      ...requestAndResponse(trigger, attributes),
    };
  },
  schema: eventSchema(
    'cognito-user-pool',
    'Amazon Cognito user pool trigger event',
    obj({
      version: str(),
      region: str(),
      userPoolId: matching('^[\\w-]+_[0-9a-zA-Z]+$'),
      userName: str(),
      callerContext: obj({ awsSdkVersion: str(), clientId: str() }),
      triggerSource: oneOfStrings(...COGNITO_TRIGGERS),
      request: obj({ userAttributes: STRING_MAP }),
      response: {
        type: 'object',
        properties: { autoConfirmUser: bool(), autoVerifyEmail: bool(), autoVerifyPhone: bool() },
      } satisfies JsonSchema,
    }),
  ),
};
