import { getAtt, sub } from '../template/values';
import type { SourceScaffold } from './types';

// HTTP front doors that SAM wires from the function itself: HTTP API and REST API events (SAM
// creates the implicit ServerlessHttpApi / ServerlessRestApi) and the function URL.

export const httpApi: SourceScaffold = {
  id: 'http-api',
  wiring: ({ logicalId, name }) => ({
    events: { HttpApiEvent: { Type: 'HttpApi', Properties: { Path: `/${name}`, Method: 'get' } } },
    outputs: {
      [`${logicalId}Endpoint`]: {
        Description: `GET endpoint of ${name}`,
        Value: sub(`https://\${ServerlessHttpApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${name}`),
      },
    },
  }),
  sample: ({ name }) => ({ name: 'get', params: { method: 'GET', path: `/${name}` } }),
};

export const restApi: SourceScaffold = {
  id: 'rest-api',
  wiring: ({ logicalId, name }) => ({
    events: { ApiEvent: { Type: 'Api', Properties: { Path: `/${name}`, Method: 'get' } } },
    outputs: {
      [`${logicalId}Endpoint`]: {
        Description: `GET endpoint of ${name} (stage Prod)`,
        Value: sub(`https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/Prod/${name}`),
      },
    },
  }),
  sample: ({ name }) => ({ name: 'get', params: { method: 'GET', path: `/${name}` } }),
};

export const functionUrl: SourceScaffold = {
  id: 'function-url',
  wiring: ({ logicalId, name }) => ({
    functionProperties: { FunctionUrlConfig: { AuthType: 'NONE' } },
    // SAM names the AWS::Lambda::Url it generates <LogicalId>Url.
    outputs: { [`${logicalId}FunctionUrl`]: { Description: `URL of ${name}`, Value: getAtt(`${logicalId}Url`, 'FunctionUrl') } },
    comments: [
      {
        path: ['Resources', logicalId, 'Properties', 'FunctionUrlConfig', 'AuthType'],
        text: 'NONE: anyone with the URL can call the function. AWS_IAM requires SigV4-signed requests.',
      },
    ],
    notes: ['The function URL is public (AuthType NONE); set AuthType: AWS_IAM to require signed requests.'],
  }),
  sample: () => ({ name: 'get', params: { method: 'GET', path: '/' } }),
};
