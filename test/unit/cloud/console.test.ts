import assert from 'node:assert/strict';
import { consoleUrlForArn, functionConsoleUrl, layerConsoleUrl } from '../../../src/core/cloud/console';

describe('cloud: AWS console links', () => {
  it('links a function and a layer version in their region', () => {
    assert.equal(functionConsoleUrl('eu-west-1', 'orders-api'), 'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/orders-api');
    assert.equal(layerConsoleUrl('us-east-2', 'shared', 7), 'https://us-east-2.console.aws.amazon.com/lambda/home?region=us-east-2#/layers/shared/versions/7');
    assert.equal(layerConsoleUrl('us-east-2', 'shared'), 'https://us-east-2.console.aws.amazon.com/lambda/home?region=us-east-2#/layers/shared');
  });

  it('uses the console of the partition: China and GovCloud', () => {
    assert.equal(functionConsoleUrl('cn-north-1', 'f'), 'https://cn-north-1.console.amazonaws.cn/lambda/home?region=cn-north-1#/functions/f');
    assert.equal(functionConsoleUrl('us-gov-west-1', 'f'), 'https://console.amazonaws-us-gov.com/lambda/home?region=us-gov-west-1#/functions/f');
  });

  it('finds the page from an ARN: function (with or without qualifier), layer, layer version', () => {
    assert.equal(consoleUrlForArn('arn:aws:lambda:ap-south-1:123456789012:function:api'), functionConsoleUrl('ap-south-1', 'api'));
    assert.equal(consoleUrlForArn('arn:aws:lambda:ap-south-1:123456789012:function:api:live'), functionConsoleUrl('ap-south-1', 'api'));
    assert.equal(consoleUrlForArn('arn:aws:lambda:ap-south-1:123456789012:layer:shared:3'), layerConsoleUrl('ap-south-1', 'shared', 3));
    assert.equal(consoleUrlForArn('arn:aws:lambda:ap-south-1:123456789012:layer:shared'), layerConsoleUrl('ap-south-1', 'shared'));
    assert.equal(consoleUrlForArn('arn:aws:s3:::bucket'), undefined);
  });
});
