/** Lambda's own default timeout, which applies when neither the function nor Globals set one. */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

/** The template a first function starts from; the function is then inserted like any other. */
export function newTemplateText(description: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: ${JSON.stringify(description)}

# Settings every function in this template shares unless it sets its own.
Globals:
  Function:
    Timeout: 10
    MemorySize: 256

Resources:
`;
}
