// ELBv2 in moto, over its query protocol (form-encoded requests, XML answers): what the engine checks before
// a BLUE_GREEN / LINEAR / CANARY service (target groups, listener rules), and a builder for a load balancer with
// blue and green target groups and production and test listener rules, for the demo world.

export function elbv2Client(endpoint, region = 'us-east-1') {
  async function call(service, params) {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const res = await fetch(endpoint + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=test/${date}/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0` },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    if (!res.ok) {
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.status}`;
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
      const e = new Error(`${code}: ${message}`);
      e.code = code;
      throw e;
    }
    return text;
  }
  const elb = (params) => call('elasticloadbalancing', { Version: '2015-12-01', ...params });
  const first = (xml, tag) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)?.[1];
  const all = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => m[1]);

  return {
    /** The target group's load balancer ARNs, or undefined when it does not exist. */
    async targetGroupLoadBalancers(arn) {
      try {
        const xml = await elb({ Action: 'DescribeTargetGroups', 'TargetGroupArns.member.1': arn });
        const section = /<LoadBalancerArns>([\s\S]*?)<\/LoadBalancerArns>/.exec(xml)?.[1] ?? '';
        return all(section, 'member');
      } catch (e) {
        if (e.code === 'TargetGroupNotFound' || e.code === 'ValidationError') return undefined;
        throw e;
      }
    },
    async ruleExists(arn) {
      try {
        await elb({ Action: 'DescribeRules', 'RuleArns.member.1': arn });
        return true;
      } catch (e) {
        if (e.code === 'RuleNotFound' || e.code === 'ValidationError') return false;
        throw e;
      }
    },

    /** A load balancer with one target group behind its HTTP listener, as a rolling service behind an ALB has. */
    async createLoadBalancer(name) {
      const subnets = await call('ec2', { Action: 'DescribeSubnets', Version: '2016-11-15' });
      const subnetIds = all(subnets, 'subnetId');
      const vpcId = first(subnets, 'vpcId');
      const lb = await elb({ Action: 'CreateLoadBalancer', Name: name, 'Subnets.member.1': subnetIds[0], 'Subnets.member.2': subnetIds[1] });
      const loadBalancerArn = first(lb, 'LoadBalancerArn');
      const targetGroupArn = first(await elb({ Action: 'CreateTargetGroup', Name: `${name}-tg`, Protocol: 'HTTP', Port: '8000', VpcId: vpcId, TargetType: 'ip', HealthCheckPath: '/healthz' }), 'TargetGroupArn');
      await elb({ Action: 'CreateListener', LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: '80', 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': targetGroupArn });
      return { loadBalancerArn, targetGroupArn };
    },

    /** A load balancer whose production listener rule forwards to `blue` and test listener rule to `green`. */
    async createBlueGreenLoadBalancer(name) {
      const subnets = await call('ec2', { Action: 'DescribeSubnets', Version: '2016-11-15' });
      const subnetIds = all(subnets, 'subnetId');
      const vpcId = first(subnets, 'vpcId');
      const lb = await elb({ Action: 'CreateLoadBalancer', Name: name, 'Subnets.member.1': subnetIds[0], 'Subnets.member.2': subnetIds[1] });
      const loadBalancerArn = first(lb, 'LoadBalancerArn');
      const targetGroup = async (suffix) => first(await elb({ Action: 'CreateTargetGroup', Name: `${name}-${suffix}`, Protocol: 'HTTP', Port: '8000', VpcId: vpcId, TargetType: 'ip', HealthCheckPath: '/healthz' }), 'TargetGroupArn');
      const blue = await targetGroup('blue');
      const green = await targetGroup('green');
      const listenerRule = async (port, targetGroupArn) => {
        const listener = first(await elb({ Action: 'CreateListener', LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: String(port), 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': targetGroupArn }), 'ListenerArn');
        const rule = await elb({ Action: 'CreateRule', ListenerArn: listener, Priority: '1', 'Conditions.member.1.Field': 'path-pattern', 'Conditions.member.1.Values.member.1': '/*', 'Actions.member.1.Type': 'forward', 'Actions.member.1.TargetGroupArn': targetGroupArn });
        return first(rule, 'RuleArn');
      };
      const productionListenerRule = await listenerRule(80, blue);
      const testListenerRule = await listenerRule(8080, green);
      return { loadBalancerArn, targetGroupArn: blue, alternateTargetGroupArn: green, productionListenerRule, testListenerRule };
    },
  };
}
