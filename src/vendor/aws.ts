// The AWS SDK clients the product uses, bundled once into dist/vendor/aws.js. The extension and
// the CLI load that file only when a command first needs AWS (scripts/build.mjs maps the package
// imports here), so activation never parses the SDK.
export * as clientLambda from '@aws-sdk/client-lambda';
export * as clientS3 from '@aws-sdk/client-s3';
export * as clientEcr from '@aws-sdk/client-ecr';
export * as clientIam from '@aws-sdk/client-iam';
export * as clientSts from '@aws-sdk/client-sts';
export * as credentialProviders from '@aws-sdk/credential-providers';
