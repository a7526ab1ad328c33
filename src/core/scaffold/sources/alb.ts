import { getAtt, ref, sub } from '../template/values';
import type { SourceScaffold } from './types';

// SAM has no ALB event type: the load balancer, its listener, a Lambda target group and the
// permission for Elastic Load Balancing to invoke the function are plain CloudFormation. The VPC
// and subnets are the account's own, so they are template parameters.

export const alb: SourceScaffold = {
  id: 'alb',
  wiring: ({ logicalId, name }) => {
    const vpc = `${logicalId}VpcId`;
    const subnets = `${logicalId}SubnetIds`;
    const securityGroup = `${logicalId}LoadBalancerSecurityGroup`;
    const loadBalancer = `${logicalId}LoadBalancer`;
    const targetGroup = `${logicalId}TargetGroup`;
    const permission = `${logicalId}LoadBalancerPermission`;
    return {
      parameters: {
        [vpc]: { Type: 'AWS::EC2::VPC::Id', Description: `VPC of the load balancer in front of ${name}` },
        [subnets]: {
          Type: 'List<AWS::EC2::Subnet::Id>',
          Description: `Public subnets (two or more Availability Zones) for the load balancer in front of ${name}`,
        },
      },
      resources: {
        [securityGroup]: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: `HTTP to the load balancer in front of ${name}`,
            VpcId: ref(vpc),
            SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }],
          },
        },
        [loadBalancer]: {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { Type: 'application', Scheme: 'internet-facing', Subnets: ref(subnets), SecurityGroups: [ref(securityGroup)] },
        },
        [permission]: {
          Type: 'AWS::Lambda::Permission',
          Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(logicalId, 'Arn'), Principal: 'elasticloadbalancing.amazonaws.com' },
        },
        [targetGroup]: {
          Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          // The target group registers the function as it is created: the permission must exist first.
          DependsOn: permission,
          Properties: { TargetType: 'lambda', Targets: [{ Id: getAtt(logicalId, 'Arn') }] },
        },
        [`${logicalId}Listener`]: {
          Type: 'AWS::ElasticLoadBalancingV2::Listener',
          Properties: {
            LoadBalancerArn: ref(loadBalancer),
            Port: 80,
            Protocol: 'HTTP',
            DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(targetGroup) }],
          },
        },
      },
      outputs: {
        [`${logicalId}LoadBalancerUrl`]: { Description: `URL of the load balancer in front of ${name}`, Value: sub(`http://\${${loadBalancer}.DNSName}/`) },
      },
      notes: [`Deploying needs the parameters ${vpc} and ${subnets} (public subnets in two or more Availability Zones).`],
    };
  },
  sample: () => ({ name: 'get', params: { method: 'GET', path: '/' } }),
};
